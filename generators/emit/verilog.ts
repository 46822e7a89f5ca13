import { foldConstants } from '../hdl/evaluate.ts';
import { fromBits } from '../hdl/types.ts';
import {
  constantNodes,
  moduleHierarchy,
  type Module,
  type Node,
  type Port,
  type Register,
} from '../hdl/ir.ts';
import { moduleNamingGraph, ValueNames } from '../hdl/value-names.ts';
import { fileHeader } from './header.ts';

export interface VerilogFile {
  /** `<module>.v` */
  fileName: string;
  moduleName: string;
  text: string;
}

/** Verilog-2005 for a module and every module it instantiates, one module per file, the top last. */
export function emitVerilog(top: Module): VerilogFile[] {
  return moduleHierarchy(top).map((m) => ({
    fileName: `${m.name}.v`,
    moduleName: m.name,
    text: emitModule(m),
  }));
}

/** Kinds whose Verilog expression is cheap and clear enough to repeat at every use. */
const INLINE_ALWAYS = new Set(['slice', 'zext', 'sext', 'cast', 'const']);
/** Kinds whose Verilog expression is only correct at exactly its own width: they get a wire of their own. */
const OWN_WIRE = new Set(['mul', 'sra']);
/** Expressions longer than this are broken into named wires (lines are wrapped at LINE_LIMIT). */
const EXPRESSION_LIMIT = 120;
/** Stands in the body for a named constant's declaration until it is known whether anything uses the name. */
const CONSTANT_MARK = '\u0000constant:';

const BINARY: Readonly<Record<string, string>> = {
  add: '+',
  sub: '-',
  and: '&',
  or: '|',
  xor: '^',
  eq: '==',
  ne: '!=',
};
const RELATIONAL: Readonly<Record<string, string>> = { lt: '<', le: '<=', gt: '>', ge: '>=' };

/** Kinds whose expression needs no parentheses when it is an operand. */
const ATOMIC = new Set(['slice', 'zext', 'sext', 'concat', 'const', 'reg', 'input', 'instout', 'memrd']);
/** Kinds whose operand must be a plain name (Verilog-2005 cannot index an expression). */
const NEEDS_NAMED_OPERAND = new Set(['slice', 'sext', 'mul']);

/**
 * Emission rules that keep the text correct without relying on Verilog's context-width rules:
 * every operand already has the width its operator computes at (the IR guarantees it), nets are
 * declared unsigned, and `$signed` appears only where signedness changes the result.
 */
export function emitModule(module: Module): string {
  const e = new ModuleEmitter(module);
  return [
    ...fileHeader(module, '//'),
    '`default_nettype none',
    '',
    `module ${module.name} (`,
    ...e.portLines().map((line) => `    ${line}`),
    ');',
    '',
    ...e.bodyLines().map((line) => (line === '' ? '' : `    ${line}`)),
    'endmodule',
    '',
    '`default_nettype wire',
    '',
  ]
    .flatMap(wrapLine)
    .join('\n');
}

/** The longest line the Verilog has; a longer one is wrapped at spaces into lines of WRAP_WIDTH. */
const LINE_LIMIT = 160;
const WRAP_WIDTH = 120;

/**
 * A line longer than LINE_LIMIT as several lines, broken at spaces (no Verilog token holds one); the
 * continuation is indented, and a comment's continuation stays a comment.
 */
export function wrapLine(line: string): string[] {
  if (line.length <= LINE_LIMIT) return [line];
  const indent = /^ */.exec(line)![0];
  const comment = line.indexOf('//');
  const isComment = comment === indent.length;
  const next = isComment ? `${indent}//     ` : `${indent}        `;
  const lines: string[] = [];
  let rest = line;
  while (rest.length > WRAP_WIDTH) {
    const inComment = !isComment && comment >= 0 && line.length - rest.length + WRAP_WIDTH > comment;
    const at = rest.lastIndexOf(' ', WRAP_WIDTH);
    if (inComment || at <= next.length) break;
    lines.push(rest.slice(0, at));
    rest = next + rest.slice(at + 1);
  }
  lines.push(rest);
  return lines;
}

class ModuleEmitter {
  private readonly constant: boolean[];
  private readonly folded: bigint[];
  private readonly uses: number[];
  private readonly wireName = new Map<number, string>();
  private readonly portOfDriver = new Map<number, Port>();
  private readonly namedConstantsUsed = new Set<number>();
  /** Wires of instance outputs that nothing reads (e.g. out_valid), by `<instance>.<port>`. */
  private readonly unreadOutputs = new Map<string, { name: string; width: number }>();

  constructor(private readonly m: Module) {
    this.constant = constantNodes(m.nodes);
    this.folded = foldConstants(m, this.constant);
    this.uses = new Array<number>(m.nodes.length).fill(0);
    for (const n of m.nodes) for (const a of n.args) this.uses[a]!++;
    for (const r of m.registers) {
      this.uses[r.next]!++;
      if (r.enable !== undefined) this.uses[r.enable]!++;
    }
    for (const mem of m.memories) for (const id of Object.values(mem.write)) this.uses[id]!++;
    for (const p of m.ports) if (p.driver !== undefined) this.uses[p.driver]!++;
    for (const p of m.ports) {
      if (p.direction === 'output' && p.driver !== undefined && m.nodes[p.driver]!.name === p.name) {
        this.portOfDriver.set(p.driver, p);
      }
    }
    this.chooseWires();
  }

  portLines(): string[] {
    const ports = this.m.ports;
    const decls = ports.map((p) => {
      const isReg =
        p.direction === 'output' &&
        p.driver !== undefined &&
        this.m.nodes[p.driver]!.kind === 'reg' &&
        this.portOfDriver.has(p.driver);
      const kind = p.direction === 'input' ? 'input  wire' : isReg ? 'output reg ' : 'output wire';
      return `${kind} ${range(p.type.width).padEnd(8)} ${p.name}`;
    });
    const width = Math.max(...decls.map((d) => d.length)) + 1;
    return decls.map((d, i) => {
      const p = ports[i]!;
      const note = [p.type.signed ? 'signed' : '', p.doc ?? ''].filter((s) => s !== '').join(', ');
      const line = `${d}${i < ports.length - 1 ? ',' : ''}`;
      return note === '' ? line : `${line.padEnd(width)} // ${note}`;
    });
  }

  bodyLines(): string[] {
    const lines: string[] = [];
    const regs = this.m.nodes
      .filter((n) => n.kind === 'reg' && !this.portOfDriver.has(n.id))
      .sort((x, y) => x.stage - y.stage);
    if (regs.length > 0) {
      lines.push('// Registers');
      for (const n of regs) lines.push(`reg  ${range(n.type.width).padEnd(8)} ${n.name};${signedNote(n)}`);
      lines.push('');
    }
    for (const mem of this.m.memories) {
      lines.push(`// Memory: ${mem.depth} words of ${mem.type.width} bits`);
      lines.push(`reg  ${range(mem.type.width).padEnd(8)} ${mem.name} [0:${mem.depth - 1}];`, '');
    }
    const instOutputs = this.m.nodes.filter((n) => n.kind === 'instout');
    for (const n of instOutputs)
      lines.push(`wire ${range(n.type.width).padEnd(8)} ${this.wireName.get(n.id)};${signedNote(n)}`);
    for (const { name, width } of this.unreadOutputs.values())
      lines.push(`wire ${range(width).padEnd(8)} ${name};  // not read`);
    if (instOutputs.length + this.unreadOutputs.size > 0) lines.push('');

    const logic: string[] = [];
    for (const n of this.m.nodes) {
      const name = this.wireName.get(n.id);
      if (name === undefined || n.kind === 'reg' || n.kind === 'input' || n.kind === 'instout') continue;
      if (this.constant[n.id]) {
        // Declared only if some expression refers to it by name (decided once all text is written).
        logic.push(`${CONSTANT_MARK}${n.id}`);
      } else if (this.portOfDriver.has(n.id)) {
        continue;
      } else {
        logic.push(`wire ${range(n.type.width).padEnd(8)} ${name} = ${this.expression(n)};${signedNote(n)}`);
      }
    }
    if (logic.length > 0) lines.push('// Logic', ...logic, '');

    for (const [i, inst] of this.m.instances.entries()) {
      const clock = inst.module.ports.filter((p) => p.name === 'clk' || p.name === 'rst');
      const conns = [
        ...clock.map((p) => `.${p.name}(${p.name})`),
        ...[...inst.inputs].map(([port, id]) => `.${port}(${this.operand(id)})`),
        ...inst.module.ports
          .filter((p) => p.direction === 'output')
          .map((p) => `.${p.name}(${this.instanceOutputWire(inst, p.name)})`),
      ];
      lines.push(
        `${inst.module.name} ${inst.name} (`,
        ...conns.map((c, k) => `    ${c}${k < conns.length - 1 ? ',' : ''}`),
        ');',
      );
      if (i === this.m.instances.length - 1) lines.push('');
    }

    lines.push(...this.registerBlocks());
    for (const mem of this.m.memories) {
      const w = mem.write;
      lines.push(
        'always @(posedge clk) begin',
        `    if (${this.operand(w.enable)}) ${mem.name}[${this.operand(w.address)}] <= ${this.operand(w.data)};`,
        'end',
        '',
      );
    }

    const outputs = this.m.ports.filter((p) => p.direction === 'output');
    const assigns = outputs
      .filter((p) => !(this.portOfDriver.has(p.driver!) && this.m.nodes[p.driver!]!.kind === 'reg'))
      .map((p) => {
        const driver = this.m.nodes[p.driver!]!;
        const value = this.portOfDriver.has(driver.id) ? this.expression(driver) : this.operand(driver.id);
        return `assign ${p.name} = ${value};`;
      });
    if (assigns.length > 0) lines.push('// Outputs', ...assigns, '');

    const unused = this.unusedBits();
    if (unused.length > 0) {
      lines.push('// Bits that no logic reads, gathered so that lint sees they are dropped on purpose.');
      lines.push(`wire unused_bits = ^{${unused.join(', ')}};`, '');
    }
    while (lines[lines.length - 1] === '') lines.pop();
    return lines.flatMap((line) => {
      if (!line.startsWith(CONSTANT_MARK)) return [line];
      const n = this.m.nodes[Number(line.slice(CONSTANT_MARK.length))]!;
      if (!this.namedConstantsUsed.has(n.id)) return [];
      return [
        `localparam ${range(n.type.width).padEnd(8)} ${this.wireName.get(n.id)} = ${typedLiteral(this.folded[n.id]!, n.type)};`,
      ];
    });
  }

  /** The wire an instance output drives: its value's, or one that only lint reads (e.g. out_valid). */
  private instanceOutputWire(inst: Module['instances'][number], port: string): string {
    const id = inst.outputs.get(port);
    return id === undefined ? this.unreadOutputs.get(`${inst.name}.${port}`)!.name : this.wireName.get(id)!;
  }

  /** Registers grouped by reset and load condition, one always block per group. */
  private registerBlocks(): string[] {
    const groups = new Map<string, Register[]>();
    const byStage = [...this.m.registers].sort(
      (x, y) => this.m.nodes[x.read]!.stage - this.m.nodes[y.read]!.stage,
    );
    for (const r of byStage) {
      const key = `${r.reset !== undefined}|${r.enable ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    const lines: string[] = [];
    for (const regs of groups.values()) {
      const first = regs[0]!;
      const enable = first.enable === undefined ? undefined : this.operand(first.enable);
      const loads = regs.map((r) => `${this.m.nodes[r.read]!.name} <= ${this.operand(r.next)};`);
      lines.push('always @(posedge clk) begin');
      if (first.reset !== undefined) {
        lines.push('    if (rst) begin');
        for (const r of regs)
          lines.push(`        ${this.m.nodes[r.read]!.name} <= ${typedLiteral(r.reset!, r.type)};`);
        lines.push(enable === undefined ? '    end else begin' : `    end else if (${enable}) begin`);
        lines.push(...loads.map((l) => `        ${l}`), '    end');
      } else if (enable !== undefined) {
        lines.push(`    if (${enable}) begin`, ...loads.map((l) => `        ${l}`), '    end');
      } else {
        lines.push(...loads.map((l) => `    ${l}`));
      }
      lines.push('end', '');
    }
    return lines;
  }

  /** Decide which nodes are declared under a name and which are written inline where they are used. */
  private chooseWires(): void {
    const taken = new Set<string>([
      ...this.m.ports.map((p) => p.name),
      ...this.m.instances.map((i) => i.name),
    ]);
    for (const n of this.m.nodes) if (n.name !== undefined) taken.add(n.name);
    const valueNames = new ValueNames(moduleNamingGraph(this.m), taken);
    const needsName = new Set<number>();
    // A cast is only a new view of its operand's bits: the need for a name passes through it.
    const requireName = (id: number): void => {
      const n = this.m.nodes[id]!;
      if (n.kind === 'cast' && n.name === undefined) requireName(n.args[0]!);
      else needsName.add(id);
    };
    for (const n of this.m.nodes) {
      if (NEEDS_NAMED_OPERAND.has(n.kind)) for (const a of n.args) requireName(a);
    }
    for (const n of this.m.nodes) {
      if (n.kind === 'input') {
        this.wireName.set(n.id, n.port!);
        continue;
      }
      const cast = n.kind === 'cast' && n.name === undefined;
      const own =
        n.name !== undefined ||
        n.kind === 'instout' ||
        OWN_WIRE.has(n.kind) ||
        (needsName.has(n.id) && !this.constant[n.id] && !cast) ||
        (this.uses[n.id]! > 1 && !INLINE_ALWAYS.has(n.kind) && !this.constant[n.id]);
      if (!own) continue;
      this.wireName.set(n.id, n.name ?? valueNames.claim(n.id));
    }
    this.breakLongExpressions(valueNames);
    for (const inst of this.m.instances) {
      for (const p of inst.module.ports) {
        if (p.direction !== 'output' || inst.outputs.has(p.name)) continue;
        let name = `${inst.name}_${p.name}`;
        while (taken.has(name)) name = `${name}_`;
        taken.add(name);
        this.unreadOutputs.set(`${inst.name}.${p.name}`, { name, width: p.type.width });
      }
    }
  }

  /**
   * Give a wire of its own to the longest inline operand of every expression longer than
   * EXPRESSION_LIMIT characters, until it fits: bottom-up, so every operand has been shortened first.
   */
  private breakLongExpressions(valueNames: ValueNames): void {
    const inlineOperands = (n: Node): number[] =>
      n.args.filter((a) => !this.wireName.has(a) && !this.constant[a] && this.m.nodes[a]!.kind !== 'input');
    for (const n of this.m.nodes) {
      if (this.constant[n.id] || n.kind === 'input' || n.kind === 'reg' || n.kind === 'instout') continue;
      let text = this.expression(n);
      while (text.length > EXPRESSION_LIMIT) {
        const candidates = inlineOperands(n);
        if (candidates.length === 0) break;
        const lengths = candidates.map((a) => this.operand(a).length);
        const longest = candidates[lengths.indexOf(Math.max(...lengths))]!;
        this.wireName.set(longest, valueNames.claim(longest));
        text = this.expression(n);
      }
    }
  }

  /** How a node is referred to as an operand: its name, or its expression in parentheses when compound. */
  operand(id: number): string {
    const n = this.m.nodes[id]!;
    const name = this.wireName.get(id);
    if (this.constant[id]) {
      if (name === undefined) return typedLiteral(this.folded[id]!, n.type);
      this.namedConstantsUsed.add(id);
      return name;
    }
    if (name !== undefined) return name;
    if (n.kind === 'cast') return this.operand(n.args[0]!);
    const text = this.expression(n);
    return ATOMIC.has(n.kind) ? text : `(${text})`;
  }

  /** An operand extended to `width` bits by its signedness; constants become literals of that width. */
  private extendedOperand(id: number, width: number): string {
    const type = this.m.nodes[id]!.type;
    if (this.constant[id]) return literal(BigInt.asUintN(width, fromBits(this.folded[id]!, type)), width);
    return extendTo(this.identifier(id), type, width);
  }

  /** A name usable where Verilog requires an identifier (indexing). */
  private identifier(id: number): string {
    const n = this.m.nodes[id]!;
    if (n.kind === 'cast' && !this.wireName.has(id)) return this.identifier(n.args[0]!);
    return this.wireName.get(id) ?? this.operand(id);
  }

  /** An operand of a signed comparison: `$signed(x)`, or a constant written as a signed literal. */
  private signedOperand(id: number): string {
    const n = this.m.nodes[id]!;
    if (this.constant[id] && !this.wireName.has(id)) return signedLiteral(this.folded[id]!, n.type.width);
    return `$signed(${this.operand(id)})`;
  }

  /**
   * The parts of a concatenation: runs of one operand become a replication (`{16{x}}`), and constants
   * are bit patterns, since a negative literal is an expression that a concatenation should not hold.
   */
  private concatParts(args: readonly number[]): string[] {
    const parts: string[] = [];
    for (let i = 0; i < args.length;) {
      let run = 1;
      while (i + run < args.length && args[i + run] === args[i]) run++;
      const id = args[i]!;
      const n = this.m.nodes[id]!;
      const text =
        this.constant[id] && !this.wireName.has(id)
          ? literal(this.folded[id]!, n.type.width)
          : this.operand(id);
      parts.push(run === 1 ? text : `{${run}{${text}}}`);
      i += run;
    }
    return parts;
  }

  private arg(n: Node, i: number): string {
    return this.operand(n.args[i]!);
  }

  private argType(n: Node, i: number): { width: number; signed: boolean } {
    return this.m.nodes[n.args[i]!]!.type;
  }

  expression(n: Node): string {
    const [a, b] = n.args;
    if (this.constant[n.id]) return typedLiteral(this.folded[n.id]!, n.type);
    switch (n.kind) {
      case 'add':
      case 'sub':
      case 'and':
      case 'or':
      case 'xor':
      case 'eq':
      case 'ne':
        return `${this.arg(n, 0)} ${BINARY[n.kind]} ${this.arg(n, 1)}`;
      case 'lt':
      case 'le':
      case 'gt':
      case 'ge':
        return this.argType(n, 0).signed
          ? `${this.signedOperand(n.args[0]!)} ${RELATIONAL[n.kind]} ${this.signedOperand(n.args[1]!)}`
          : `${this.arg(n, 0)} ${RELATIONAL[n.kind]} ${this.arg(n, 1)}`;
      case 'mul': {
        // Operands extended to the product width: no implicit widening, and $signed lets synthesis
        // see the narrow signed multiplier behind the sign extension.

        const signed = this.argType(n, 0).signed || this.argType(n, 1).signed;
        return signed
          ? `$signed(${this.extendedOperand(n.args[0]!, n.type.width)}) * $signed(${this.extendedOperand(n.args[1]!, n.type.width)})`
          : `${this.extendedOperand(n.args[0]!, n.type.width)} * ${this.extendedOperand(n.args[1]!, n.type.width)}`;
      }
      case 'not':
        return `~${this.arg(n, 0)}`;
      case 'shl':
      case 'shr':
        return `${this.arg(n, 0)} ${n.kind === 'shl' ? '<<' : '>>'} ${n.amount ?? this.operand(b!)}`;
      case 'sra':
        return `$signed(${this.arg(n, 0)}) >>> ${n.amount ?? this.operand(b!)}`;
      case 'mux':
        return `${this.arg(n, 0)} ? ${this.arg(n, 1)} : ${this.arg(n, 2)}`;
      case 'concat':
        return `{${this.concatParts(n.args).join(', ')}}`;
      case 'slice':
        return n.hi === n.lo ? `${this.identifier(a!)}[${n.hi}]` : `${this.identifier(a!)}[${n.hi}:${n.lo}]`;
      case 'zext':
        return `{${literal(0n, n.type.width - this.argType(n, 0).width)}, ${this.arg(n, 0)}}`;
      case 'sext':
        return extendTo(this.identifier(a!), this.argType(n, 0), n.type.width);
      case 'cast':
        return this.arg(n, 0);
      case 'andr':
        return `&${this.arg(n, 0)}`;
      case 'orr':
        return `|${this.arg(n, 0)}`;
      case 'xorr':
        return `^${this.arg(n, 0)}`;
      case 'reg':
      case 'input':
      case 'instout':
        return this.wireName.get(n.id) ?? n.name!;
      case 'memrd':
        return `${this.m.memories[n.mem!]!.name}[${this.arg(n, 0)}]`;
      case 'const':
        return literal(n.value!, n.type.width);
    }
    throw new Error(`unreachable: ${n.kind}`);
  }

  /** Bits of declared signals that nothing reads, as Verilog selects. */
  private unusedBits(): string[] {
    // Most references use every bit: those only set a flag; slices record bit masks.
    const fully = new Uint8Array(this.m.nodes.length);
    const partial = new Map<number, bigint>();
    const visited = new Uint8Array(this.m.nodes.length);
    const stack: [number, bigint | undefined][] = [];
    // Walk what the text references: through inlined nodes down to declared names.
    const reference = (root: number, rootBits: bigint | undefined): void => {
      stack.push([root, rootBits]);
      while (stack.length > 0) {
        const [id, bits] = stack.pop()!;
        const n = this.m.nodes[id]!;
        if (this.wireName.has(id) || n.kind === 'reg' || this.constant[id]) {
          if (bits === undefined) fully[id] = 1;
          else partial.set(id, (partial.get(id) ?? 0n) | bits);
          if (visited[id] || this.constant[id]) continue;
          visited[id] = 1;
        }
        if (n.kind === 'slice')
          stack.push([n.args[0]!, ((1n << BigInt(n.hi! - n.lo! + 1)) - 1n) << BigInt(n.lo!)]);
        else if (n.kind === 'cast') stack.push([n.args[0]!, bits]);
        else for (const a of n.args) stack.push([a, undefined]);
      }
    };
    for (const p of this.m.ports) if (p.driver !== undefined) reference(p.driver, undefined);
    for (const r of this.m.registers) {
      reference(r.next, undefined);
      if (r.enable !== undefined) reference(r.enable, undefined);
    }
    for (const mem of this.m.memories) for (const id of Object.values(mem.write)) reference(id, undefined);
    const used = (id: number): bigint =>
      fully[id] ? (1n << BigInt(this.m.nodes[id]!.type.width)) - 1n : (partial.get(id) ?? 0n);
    const unused: string[] = [];
    const describe = (name: string, width: number, usedBits: bigint) => {
      for (let hi = width - 1; hi >= 0; hi--) {
        if ((usedBits >> BigInt(hi)) & 1n) continue;
        let lo = hi;
        while (lo > 0 && !((usedBits >> BigInt(lo - 1)) & 1n)) lo--;
        unused.push(width === 1 ? name : lo === hi ? `${name}[${hi}]` : `${name}[${hi}:${lo}]`);
        hi = lo;
      }
    };
    const inputNode = new Map(this.m.nodes.filter((n) => n.kind === 'input').map((n) => [n.port!, n]));
    for (const p of this.m.ports) {
      if (p.direction !== 'input' || p.name === 'clk') continue;
      const node = inputNode.get(p.name);
      if (p.name === 'rst') {
        if (!this.m.registers.some((r) => r.reset !== undefined)) unused.push('rst');
        continue;
      }
      describe(p.name, p.type.width, node === undefined ? 0n : used(node.id));
    }
    for (const n of this.m.nodes) {
      if (n.kind === 'input' || !this.wireName.has(n.id) || this.constant[n.id] || fully[n.id]) continue;
      describe(this.wireName.get(n.id)!, n.type.width, used(n.id));
    }
    for (const { name, width } of this.unreadOutputs.values()) describe(name, width, 0n);
    return unused;
  }
}

function range(width: number): string {
  return width === 1 ? '' : `[${width - 1}:0]`;
}

function signedNote(n: Node): string {
  return n.type.signed ? ' // signed' : '';
}

/** A sized Verilog literal: decimal when short, hexadecimal when long. */
export function literal(value: bigint, width: number): string {
  if (width === 1) return `1'b${value}`;
  return value < 1024n ? `${width}'d${value}` : `${width}'h${value.toString(16)}`;
}

/** A literal of a node's type: a negative value of a signed type is written with its sign (`-6'sd1`). */
function typedLiteral(value: bigint, type: { width: number; signed: boolean }): string {
  const negative = type.signed && type.width > 1 && (value >> BigInt(type.width - 1)) & 1n;
  return negative ? signedLiteral(value, type.width) : literal(value, type.width);
}

/** A signed literal of a `width`-bit pattern: `6'sd5`, `-6'sd1`; the most negative value stays a pattern. */
function signedLiteral(value: bigint, width: number): string {
  const negative = width > 1 && (value >> BigInt(width - 1)) & 1n;
  if (!negative) return width === 1 ? `1'sb${value}` : `${width}'sd${value}`;
  const magnitude = (1n << BigInt(width)) - value;
  if (magnitude === 1n << BigInt(width - 1)) return `$signed(${literal(value, width)})`;
  return `-${width}'sd${magnitude}`;
}

/** `name` extended to `width` bits by its type's signedness. */
function extendTo(name: string, type: { width: number; signed: boolean }, width: number): string {
  const extra = width - type.width;
  if (extra === 0) return name;
  if (!type.signed) return `{${literal(0n, extra)}, ${name}}`;
  const sign = type.width === 1 ? name : `${name}[${type.width - 1}]`;
  return extra === 1 ? `{${sign}, ${name}}` : `{{${extra}{${sign}}}, ${name}}`;
}
