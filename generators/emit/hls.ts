import { moduleNamingGraph, ValueNames } from '../hdl/value-names.ts';
import { foldConstants } from '../hdl/evaluate.ts';
import { constantNodes, moduleHierarchy, type Module, type Node, type Port } from '../hdl/ir.ts';
import { fromBits, UInt, type HdlType } from '../hdl/types.ts';
import { fileHeader } from './header.ts';
import { untimedModule } from './hls-untimed.ts';
import { versionedText } from './templates.ts';

/** One generated HLS file: a .cpp, a .h, or a portable header. */
export interface HlsFile {
  fileName: string;
  text: string;
}

/** The portable arbitrary-precision types every HLS file includes (the vendor's ap_int.h under an HLS tool). */
export const HLS_TYPES_HEADER = 'bitsmith_ap.h';
/** The hls::stream shim for C-simulation of loop-level designs (the vendor's hls_stream.h under an HLS tool). */
export const HLS_STREAM_HEADER = 'bitsmith_stream.h';

/**
 * Vitis-style HLS C++ for a module and every module it instantiates: `bitsmith_ap.h`, then per module
 * `<module>.h` and `<module>.cpp` (the top last). Each module is one function whose arguments are its
 * data ports; a pipelined module becomes its untimed function (see untimedModule) with
 * `#pragma HLS PIPELINE II=1` and `#pragma HLS LATENCY` set to the RTL latency. Registers the designer
 * declared are `static` variables, reset by a call with `rst` = 1.
 */
export function emitHls(top: Module): HlsFile[] {
  const modules = moduleHierarchy(top);
  return [hlsTypesHeader(), ...modules.flatMap((m) => emitHlsModuleFiles(m, m === top ? 'top' : 'inline'))];
}

/**
 * `<module>.h` and `<module>.cpp` of one module's function. A 'top' function carries the interface,
 * pipeline and latency pragmas; an 'inline' one (an instance, a kernel of a loop) `#pragma HLS INLINE`.
 */
export function emitHlsModuleFiles(m: Module, role: 'top' | 'inline'): HlsFile[] {
  if (m.timing.kind === 'sequential' || m.memories.length > 0) {
    throw new Error(
      `${m.name} is a sequential module with its own stream handshakes: its HLS C++ is a loop-level design (generators/emit/hls-loop.ts)`,
    );
  }
  const untimed = untimedModule(m);
  return [
    { fileName: `${m.name}.h`, text: emitHlsHeader(untimed) },
    { fileName: `${m.name}.cpp`, text: emitHlsSource(untimed, role) },
  ];
}

/** `bitsmith_ap.h`: the same text for every design of this bitsmith version. */
export function hlsTypesHeader(): HlsFile {
  return {
    fileName: HLS_TYPES_HEADER,
    text: versionedText('hls/bitsmith_ap.h.hbs'),
  };
}

/** `bitsmith_stream.h`: hls::stream for C-simulation, the vendor's under an HLS tool. */
export function hlsStreamHeader(): HlsFile {
  return {
    fileName: HLS_STREAM_HEADER,
    text: versionedText('hls/bitsmith_stream.h.hbs'),
  };
}

/** One argument of a module's HLS function, in call order. */
export interface HlsArgument {
  /** The C++ name (the port name, unless that is a C++ keyword). */
  name: string;
  /** The port it stands for ('rst' for the reset argument of stateful units). */
  port: string;
  direction: 'input' | 'output';
  type: HdlType;
  /** `ap_int<8>`, `ap_uint<1>`. */
  cppType: string;
}

/** The HLS function of a module: its name, header file and arguments in call order. */
export interface HlsFunction {
  name: string;
  header: string;
  /** True when the function takes `rst` first: its state is reset by one call with rst = 1. */
  resettable: boolean;
  args: HlsArgument[];
}

export function hlsFunction(top: Module): HlsFunction {
  const untimed = untimedModule(top);
  const names = new CppNames(untimed);
  return {
    name: top.name,
    header: `${top.name}.h`,
    resettable: untimed.ports.some((p) => p.name === 'rst'),
    args: untimed.ports.map((p) => ({
      name: names.port(p.name),
      port: p.name,
      direction: p.direction,
      type: p.type,
      cppType: cppType(p.type),
    })),
  };
}

/** `ap_int<W>` or `ap_uint<W>`. */
export function cppType(t: HdlType): string {
  return `${t.signed ? 'ap_int' : 'ap_uint'}<${t.width}>`;
}

function emitHlsHeader(m: Module): string {
  const names = new CppNames(m);
  const guard = `BITSMITH_HLS_${m.name.toUpperCase()}_H`;
  return [
    ...fileHeader(m, '//'),
    `#ifndef ${guard}`,
    `#define ${guard}`,
    '',
    `#include "${HLS_TYPES_HEADER}"`,
    '',
    ...functionDoc(m).map((line) => `// ${line}`),
    ...signatureLines(m, names, ';'),
    '',
    `#endif  // ${guard}`,
    '',
  ].join('\n');
}

function emitHlsSource(m: Module, role: 'top' | 'inline'): string {
  const e = new FunctionEmitter(m, role);
  const includes = [`${m.name}.h`, ...new Set(m.instances.map((i) => `${i.module.name}.h`))];
  return [
    ...fileHeader(m, '//'),
    ...includes.map((file) => `#include "${file}"`),
    '',
    ...functionDoc(m).map((line) => `// ${line}`),
    ...signatureLines(m, e.names, ' {'),
    ...e.bodyLines().map((line) => (line === '' ? '' : `    ${line}`)),
    '}',
    '',
  ].join('\n');
}

function functionDoc(m: Module): string[] {
  const t = m.timing;
  if (t.kind !== 'pipelined') return ['Combinational: one call computes the outputs of one vector.'];
  const lines = [
    `Untimed function of a pipelined unit (RTL latency ${t.latency}${t.ready ? ', valid/ready' : ''}): one call takes`,
    'one accepted vector and returns its outputs; the pipeline registers of the RTL are not modelled.',
  ];
  if (m.registers.length > 0) {
    const state = m.registers.map((r) => r.name).join(', ');
    lines.push(`The registers ${state} are static state, kept from one call to the next.`);
  }
  if (m.ports.some((p) => p.name === 'rst'))
    lines.push('A call with rst = 1 resets them (as the RTL rst does) and takes no vector.');
  return lines;
}

function signatureLines(m: Module, names: CppNames, end: string): string[] {
  const params = m.ports.map((p) => {
    const type = cppType(p.type);
    return `${p.direction === 'output' ? `${type}&` : type} ${names.port(p.name)}`;
  });
  const width = Math.max(...params.map((p) => p.length)) + 1;
  return [
    `void ${m.name}(`,
    ...params.map((text, i) => {
      const p = m.ports[i]!;
      const line = `${text}${i < params.length - 1 ? ',' : ''}`;
      const note = [p.direction === 'output' ? 'out' : 'in', p.type.signed ? 'signed' : '', p.doc ?? '']
        .filter((s) => s !== '')
        .join(', ');
      return `    ${line.padEnd(width)} // ${note}`;
    }),
    `)${end}`,
  ];
}

// C++ keywords and names the generated code itself uses: a port or signal with one of these names gets
// a trailing '_' in C++.
const CPP_RESERVED = new Set(
  (
    'alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t char32_t class ' +
    'compl concept const consteval constexpr constinit const_cast continue co_await co_return co_yield decltype ' +
    'default delete do double dynamic_cast else enum explicit export extern false float for friend goto if inline ' +
    'int long mutable namespace new noexcept not not_eq nullptr operator or or_eq private protected public ' +
    'register reinterpret_cast requires return short signed sizeof static static_assert static_cast struct switch ' +
    'template this thread_local throw true try typedef typeid typename union unsigned using virtual void volatile ' +
    'wchar_t while xor xor_eq main assert std hls ap_int ap_uint ap_int_base ap_range_ref bitsmith_ap ' +
    'int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t size_t NULL errno stdin stdout stderr EOF'
  ).split(' '),
);

/** C++ names of ports and named values: the IR's names, with '_' appended where C++ reserves them. */
class CppNames {
  readonly taken = new Set<string>(CPP_RESERVED);
  private readonly ports = new Map<string, string>();

  constructor(m: Module) {
    this.taken.add(m.name);
    for (const inst of m.instances) this.taken.add(inst.module.name);
    for (const p of m.ports) this.ports.set(p.name, this.claim(p.name));
  }

  port(name: string): string {
    return this.ports.get(name)!;
  }

  claim(name: string): string {
    let unique = name;
    while (this.taken.has(unique)) unique = `${unique}_`;
    this.taken.add(unique);
    return unique;
  }
}

/** Kinds whose expression is cheap and clear enough to repeat at every use. */
const INLINE_ALWAYS = new Set(['slice', 'zext', 'sext', 'cast', 'const']);

/**
 * The body of one module's function. Every operand is written with exactly its IR type (`typed`), so
 * C++'s own width rules never decide a result: operators compute at the vendor's widened type and the
 * result is converted (wrapped) to the node's type where it is declared or used.
 */
class FunctionEmitter {
  readonly names: CppNames;
  private readonly constant: boolean[];
  private readonly folded: bigint[];
  private readonly uses: number[];
  private readonly local = new Map<number, string>();
  /** Nodes written straight into the output port of the same name. */
  private readonly intoPort = new Map<number, Port>();
  private readonly wideConstants: number[] = [];
  private readonly valueNames: ValueNames;

  constructor(
    private readonly m: Module,
    private readonly role: 'top' | 'inline',
  ) {
    this.names = new CppNames(m);
    this.valueNames = new ValueNames(moduleNamingGraph(m), new Set(m.nodes.flatMap((n) => n.name ?? [])));
    this.constant = constantNodes(m.nodes);
    this.folded = foldConstants(m, this.constant);
    this.uses = new Array<number>(m.nodes.length).fill(0);
    // Uses in the text: a constant's operands are folded into it and never written.
    for (const n of m.nodes) if (!this.constant[n.id]) for (const a of n.args) this.uses[a]!++;
    for (const r of m.registers) {
      this.uses[r.next]!++;
      if (r.enable !== undefined) this.uses[r.enable]!++;
    }
    for (const inst of m.instances) for (const id of inst.inputs.values()) this.uses[id]!++;
    for (const p of m.ports) if (p.driver !== undefined) this.uses[p.driver]!++;
    this.chooseLocals();
  }

  bodyLines(): string[] {
    const lines: string[] = [...this.pragmas()];
    const read = new Set(
      this.m.nodes.filter((n) => n.kind === 'input' && this.uses[n.id]! > 0).map((n) => n.port),
    );
    const unused = this.m.ports.filter(
      (p) => p.direction === 'input' && p.name !== 'rst' && !read.has(p.name),
    );
    for (const p of unused) lines.push(`(void)${this.names.port(p.name)};  // not read`);

    const regs = this.m.registers;
    if (regs.length > 0) {
      lines.push('', '// State: registers kept from one call to the next');
      for (const r of regs) {
        const name = this.local.get(r.read)!;
        lines.push(`static ${cppType(r.type)} ${name} = ${literal(r.reset ?? 0n, r.type)};`);
        if (r.reset !== undefined && this.role === 'top')
          lines.push('#ifdef __SYNTHESIS__', `#pragma HLS RESET variable=${name}`, '#endif');
      }
    }
    if (this.wideConstants.length > 0) {
      lines.push('', '// Constants wider than 64 bits, made once');
      for (const id of this.wideConstants) {
        const n = this.m.nodes[id]!;
        lines.push(
          `static const ${cppType(n.type)} ${this.local.get(id)} = ${literal(this.folded[id]!, n.type)};`,
        );
      }
    }
    const withReset = regs.filter((r) => r.reset !== undefined);
    if (this.m.ports.some((p) => p.name === 'rst')) {
      lines.push('', `if (${this.names.port('rst')}) {`);
      for (const r of withReset) lines.push(`    ${this.local.get(r.read)} = ${literal(r.reset!, r.type)};`);
      lines.push('    return;', '}');
    }

    const logic: string[] = [];
    const called = new Set<number>();
    for (const n of this.m.nodes) {
      if (n.kind === 'instout') {
        if (!called.has(n.inst!)) {
          called.add(n.inst!);
          logic.push(...this.instanceCall(n.inst!));
        }
        continue;
      }
      const name = this.local.get(n.id);
      if (name === undefined || n.kind === 'reg' || n.kind === 'input') continue;
      if (this.constant[n.id] && n.type.width > 64) continue;
      logic.push(`const ${cppType(n.type)} ${name} = ${this.raw(n)};`);
    }
    if (logic.length > 0) lines.push('', ...logic);

    const outputs = this.m.ports.filter((p) => p.direction === 'output');
    lines.push('', '// Outputs');
    for (const p of outputs) {
      const driver = this.m.nodes[p.driver!]!;
      const value =
        this.intoPort.has(driver.id) || !this.local.has(driver.id)
          ? this.raw(driver)
          : this.local.get(driver.id)!;
      lines.push(`${this.names.port(p.name)} = ${value};`);
    }

    if (regs.length > 0) {
      lines.push('', '// Registers load for the next call');
      // Every register loads what its next value was at the start of the update: a value that reads a
      // register's state (directly or inside an expression) is computed into a local first.
      const stable = (id: number) =>
        this.constant[id] || (this.local.has(id) && this.m.nodes[id]!.kind !== 'reg');
      const operand = (id: number, t: HdlType, name: string) => {
        if (stable(id)) return this.convert(id, t);
        const copy = this.names.claim(name);
        lines.push(`const ${cppType(t)} ${copy} = ${unwrap(this.convert(id, t))};`);
        return copy;
      };
      const updates = regs.map((r) => {
        const name = this.local.get(r.read)!;
        const value = operand(r.next, r.type, `${name}_next`);
        const load = r.enable === undefined ? undefined : operand(r.enable, UInt(1), `${name}_load`);
        return load === undefined ? `${name} = ${value};` : `if (${unwrap(load)}) ${name} = ${value};`;
      });
      lines.push(...updates);
    }
    return lines;
  }

  /** HLS pragmas, seen only by the HLS tool: g++ -Wall would warn about every one of them. */
  private pragmas(): string[] {
    return ['#ifdef __SYNTHESIS__', ...this.toolPragmas(), '#endif'];
  }

  private toolPragmas(): string[] {
    if (this.role === 'inline') return ['#pragma HLS INLINE'];
    const t = this.m.timing.kind === 'pipelined' ? this.m.timing : ({ kind: 'comb' } as const);
    const lines: string[] = [];
    const control = t.kind === 'comb' ? 'ap_ctrl_none' : t.ready ? 'ap_ctrl_chain' : 'ap_ctrl_hs';
    lines.push(`#pragma HLS INTERFACE mode=${control} port=return`);
    for (const p of this.m.ports) {
      const mode = p.direction === 'input' || t.kind === 'comb' ? 'ap_none' : 'ap_vld';
      lines.push(`#pragma HLS INTERFACE mode=${mode} port=${this.names.port(p.name)}`);
    }
    // flp: a flushable pipeline lets results drain without new inputs, as the RTL's valid chain does.
    lines.push(t.kind === 'comb' ? '#pragma HLS PIPELINE II=1' : '#pragma HLS PIPELINE II=1 style=flp');
    const latency = t.kind === 'comb' ? 0 : t.latency;
    lines.push(`#pragma HLS LATENCY min=${latency} max=${latency}`);
    return lines;
  }

  private instanceCall(index: number): string[] {
    const inst = this.m.instances[index]!;
    const child = untimedModule(inst.module);
    const lines: string[] = [];
    const args: string[] = [];
    for (const p of child.ports) {
      if (p.direction === 'input') {
        args.push(this.convert(inst.inputs.get(p.name)!, p.type));
        continue;
      }
      const id = inst.outputs.get(p.name);
      const name = id === undefined ? this.names.claim(`${inst.name}_${p.name}`) : this.local.get(id)!;
      lines.push(`${cppType(p.type)} ${name};`);
      args.push(name);
    }
    lines.push(`${inst.module.name}(${args.join(', ')});  // instance ${inst.name}`);
    return lines;
  }

  /** Which nodes are declared as named locals; the rest are written inline where they are used. */
  private chooseLocals(): void {
    const portNamed = new Map<number, Port>();
    for (const p of this.m.ports) {
      if (p.direction === 'output' && p.driver !== undefined && this.m.nodes[p.driver]!.name === p.name)
        portNamed.set(p.driver, p);
    }
    for (const n of this.m.nodes) {
      if (n.kind === 'input') {
        this.local.set(n.id, this.names.port(n.port!));
        continue;
      }
      if (n.kind === 'reg') {
        this.local.set(n.id, this.names.claim(n.name!));
        continue;
      }
      // A constant that only other constants read is folded into them: naming it would leave it unused.
      if (this.constant[n.id] && this.uses[n.id] === 0) continue;
      const wide = this.constant[n.id] && n.type.width > 64 && this.uses[n.id]! > 0;
      if (portNamed.has(n.id) && this.uses[n.id] === 1 && !wide) {
        this.intoPort.set(n.id, portNamed.get(n.id)!);
        continue;
      }
      const own =
        wide ||
        n.name !== undefined ||
        n.kind === 'instout' ||
        (this.uses[n.id]! > 1 && !INLINE_ALWAYS.has(n.kind) && !this.constant[n.id]);
      if (!own) continue;
      this.local.set(n.id, this.names.claim(n.name ?? this.valueNames.claim(n.id)));
      if (wide) this.wideConstants.push(n.id);
    }
  }

  /** A node as an operand of exactly its own C++ type, in a form that needs no parentheses. */
  private typed(id: number): string {
    const name = this.local.get(id);
    if (name !== undefined) return name;
    const n = this.m.nodes[id]!;
    if (this.constant[id]) return literal(this.folded[id]!, n.type);
    const text = this.raw(n);
    const natural = this.naturalType(n);
    if (natural !== undefined && cppType(natural) === cppType(n.type))
      return isAtomic(text) ? text : `(${text})`;
    return `${cppType(n.type)}(${text})`;
  }

  /** A node as an operand of type `t` (the same width; the signedness may differ). */
  private convert(id: number, t: HdlType): string {
    const n = this.m.nodes[id]!;
    if (cppType(n.type) === cppType(t)) return this.typed(id);
    if (this.constant[id] && !this.local.has(id))
      return literal(BigInt.asUintN(t.width, fromBits(this.folded[id]!, n.type)), t);
    return `${cppType(t)}(${unwrap(this.typed(id))})`;
  }

  /**
   * The C++ type of a node's expression as `raw` writes it (the vendor's result type), or undefined when
   * it is not an ap type (a bool) or not known.
   */
  private naturalType(n: Node): HdlType | undefined {
    const arg = (i: number) => this.m.nodes[n.args[i]!]!.type;
    switch (n.kind) {
      case 'add':
        return { width: Math.max(arg(0).width, arg(1).width) + 1, signed: arg(0).signed };
      case 'sub':
        return { width: Math.max(arg(0).width, arg(1).width) + 1, signed: true };
      case 'mul':
        return { width: arg(0).width + arg(1).width, signed: arg(0).signed || arg(1).signed };
      case 'and':
      case 'or':
      case 'xor':
      case 'not':
      case 'mux':
        return n.type;
      case 'shl':
        return n.type;
      case 'shr':
        return n.amount === undefined && this.shiftNeedsGuard(n)
          ? n.type
          : { width: n.type.width, signed: false };
      case 'sra':
        return { width: n.type.width, signed: true };
      case 'concat':
        return { width: n.type.width, signed: false };
      // Written as `T(...)` of their own type.
      case 'slice':
      case 'zext':
      case 'sext':
      case 'cast':
      case 'andr':
      case 'orr':
      case 'xorr':
      case 'const':
        return n.type;
      default:
        return undefined;
    }
  }

  /**
   * Where bits hi..lo of node `id` come from: through slices, casts and extensions written inline, down
   * to a named value, so that a slice of a slice reads `x.range(61, 60)` rather than nested ranges.
   */
  private bitSource(id: number, hi: number, lo: number): { id: number; hi: number; lo: number } {
    for (;;) {
      const n = this.m.nodes[id]!;
      if (this.local.has(id) || this.constant[id]) return { id, hi, lo };
      if (n.kind === 'slice') {
        hi += n.lo!;
        lo += n.lo!;
      } else if (
        n.kind !== 'cast' &&
        !((n.kind === 'zext' || n.kind === 'sext') && hi < this.m.nodes[n.args[0]!]!.type.width)
      ) {
        return { id, hi, lo };
      }
      id = n.args[0]!;
    }
  }

  /** True when a variable shift amount can reach the operand's width (C++ would not give 0 there). */
  private shiftNeedsGuard(n: Node): boolean {
    const amount = this.m.nodes[n.args[1]!]!.type;
    return amount.width >= 31 || 2 ** amount.width - 1 >= n.type.width;
  }

  /** The expression of a node; converting it to the node's C++ type gives the node's value. */
  private raw(n: Node): string {
    if (this.constant[n.id]) return literal(this.folded[n.id]!, n.type);
    const op = (i: number) => this.typed(n.args[i]!);
    const arg = (i: number) => this.m.nodes[n.args[i]!]!.type;
    const t = cppType(n.type);
    const w = n.type.width;
    switch (n.kind) {
      case 'add':
        return `${op(0)} + ${op(1)}`;
      case 'sub':
        return `${op(0)} - ${op(1)}`;
      case 'mul':
        return `${op(0)} * ${op(1)}`;
      case 'and':
        return `${this.convert(n.args[0]!, n.type)} & ${this.convert(n.args[1]!, n.type)}`;
      case 'or':
        return `${this.convert(n.args[0]!, n.type)} | ${this.convert(n.args[1]!, n.type)}`;
      case 'xor':
        return `${this.convert(n.args[0]!, n.type)} ^ ${this.convert(n.args[1]!, n.type)}`;
      case 'not':
        return `~${this.convert(n.args[0]!, n.type)}`;
      case 'eq':
      case 'ne': {
        const same = cppType(arg(0)) === cppType(arg(1));
        const bits = { width: arg(0).width, signed: false };
        const a = same ? op(0) : this.convert(n.args[0]!, bits);
        const b = same ? op(1) : this.convert(n.args[1]!, bits);
        return `${a} ${n.kind === 'eq' ? '==' : '!='} ${b}`;
      }
      case 'lt':
      case 'le':
      case 'gt':
      case 'ge': {
        const symbol = { lt: '<', le: '<=', gt: '>', ge: '>=' }[n.kind];
        return `${op(0)} ${symbol} ${this.convert(n.args[1]!, arg(0))}`;
      }
      case 'shl':
      case 'shr':
      case 'sra': {
        const operandType = {
          width: w,
          signed: n.kind === 'sra' ? true : n.kind === 'shr' ? false : n.type.signed,
        };
        const value = this.convert(n.args[0]!, operandType);
        const symbol = n.kind === 'shl' ? '<<' : '>>';
        if (n.amount !== undefined) return `${value} ${symbol} ${n.amount}`;
        const amountType = { width: arg(1).width, signed: false };
        const amount = this.convert(n.args[1]!, amountType);
        if (!this.shiftNeedsGuard(n)) return `${value} ${symbol} ${amount}`;
        // The IR gives 0 (or the sign) for amounts of the width or more; C++ shifts must not be asked that.
        const limit = literal(BigInt(w), amountType);
        if (n.kind === 'sra')
          return `${value} >> (${amount} < ${limit} ? ${amount} : ${literal(BigInt(w - 1), amountType)})`;
        return `${amount} < ${limit} ? ${t}(${value} ${symbol} ${amount}) : ${literal(0n, n.type)}`;
      }
      case 'mux':
        return `${op(0)} ? ${this.convert(n.args[1]!, n.type)} : ${this.convert(n.args[2]!, n.type)}`;
      case 'concat': {
        let offset = w;
        return n.args
          .map((id) => {
            const part = this.m.nodes[id]!.type;
            offset -= part.width;
            const bits = `ap_uint<${w}>(${unwrap(this.convert(id, { width: part.width, signed: false }))})`;
            return offset === 0 ? bits : `(${bits} << ${offset})`;
          })
          .join(' | ');
      }
      case 'slice': {
        const { id, hi, lo } = this.bitSource(n.args[0]!, n.hi!, n.lo!);
        const source = this.typed(id);
        if (lo === 0 && hi === this.m.nodes[id]!.type.width - 1) return `${t}(${unwrap(source)})`;
        // One bit of a name reads x[i]; of an expression, T(y).range(i, i): `T(y)[i]` inside a cast could
        // parse as a declarator (a function returning an array).
        if (hi === lo && /^[A-Za-z_]\w*$/.test(source)) return `${t}(${source}[${lo}])`;
        return `${t}(${source}.range(${hi}, ${lo}))`;
      }
      case 'zext':
        return `${t}(${unwrap(this.convert(n.args[0]!, { width: arg(0).width, signed: false }))})`;
      case 'sext':
        return `${t}(${unwrap(this.convert(n.args[0]!, { width: arg(0).width, signed: true }))})`;
      case 'cast':
        return `${t}(${unwrap(op(0))})`;
      case 'andr':
        return `${t}(${op(0)}.and_reduce())`;
      case 'orr':
        return `${t}(${op(0)}.or_reduce())`;
      case 'xorr':
        return `${t}(${op(0)}.xor_reduce())`;
      case 'const':
        return literal(n.value!, n.type);
      case 'reg':
      case 'input':
      case 'instout':
        return this.local.get(n.id)!;
      case 'memrd':
        throw new Error(`${this.m.name}: memories have no untimed HLS form`);
    }
    throw new Error(`unreachable: ${n.kind}`);
  }
}

/** An expression without the parentheses around the whole of it, for use as a call argument. */
function unwrap(text: string): string {
  if (!text.startsWith('(') || !text.endsWith(')')) return text;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0 && i < text.length - 1) return text;
  }
  return text.slice(1, -1);
}

/** True when a C++ expression needs no parentheses as an operand: a name or one call `f(...)`. */
function isAtomic(text: string): boolean {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) return true;
  const call = /^[A-Za-z_][A-Za-z0-9_<>]*\(/.exec(text);
  if (call === null || !text.endsWith(')')) return false;
  let depth = 0;
  for (let i = call[0].length - 1; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i === text.length - 1;
  }
  return false;
}

/**
 * A constant of type t from its bit pattern: `ap_int<8>(-3)`, `ap_uint<40>(0xff00000000ULL)`, and for
 * more than 64 bits the hex digits of the pattern, `ap_uint<72>("ff0000000000000000", 16)`.
 */
export function literal(bits: bigint, t: HdlType): string {
  const type = cppType(t);
  if (t.width > 64) {
    const digits = `"${bits.toString(16)}", 16`;
    return t.signed ? `${type}(ap_uint<${t.width}>(${digits}))` : `${type}(${digits})`;
  }
  const value = fromBits(bits, t);
  if (value < 0n && value >= -(2n ** 31n)) return `${type}(${value})`;
  if (value >= 0n && value < 2n ** 31n) return `${type}(${value})`;
  return `${type}(0x${bits.toString(16)}ULL)`;
}
