import { Evaluator, foldConstants } from '../hdl/evaluate.ts';
import { HdlError } from '../hdl/errors.ts';
import { constantNodes, isControlPort, type Instance, type Module, type Node, type Port } from '../hdl/ir.ts';
import { UInt, type HdlType } from '../hdl/types.ts';

/**
 * The untimed view of a module: what one call of its HLS function computes for one accepted vector.
 *
 * A lowered module holds three kinds of registers, told apart by their role (see RegisterRole):
 * - pipeline registers (`<value>_s<k>`) and the valid chain load on every advancing cycle (no enable,
 *   or `advance`). They are timing, not function: the vector now in stage k reads what it computed in
 *   stage k-1, so in the untimed function a read of `x_s<k>` is simply `x`.
 * - designer registers (declared with `m.register`) load when their stage fires (`fire_s<s>`, and the
 *   designer's `when`). They carry state from one vector to the next: read in their own stage s they
 *   hold what the previous vector loaded (the reset value before the first vector). Read in stage s+1,
 *   which only happens when the register loads on every vector and doubles as the pipeline copy of its
 *   next value (see `loadedBy` in lower.ts), they hold what this very vector loaded: its next value.
 * - in_valid and out_ready are 1 in the untimed view: every call is one accepted vector that advances,
 *   so `valid_s*`, `advance` and `fire_s*` fold to 1 and disappear.
 *
 * The result is a module without pipeline or valid registers: its registers are the designer's, with
 * their reset values and the remaining load condition (`enable` only where the designer gave `when`).
 * Its ports are the data ports, plus an input `rst` when a register has a reset value. Evaluating it with
 * one clock edge per vector (see runUntimedVectors) gives the same outputs as the pipelined module under
 * the testbench protocol. The HLS function takes rst as its first argument: a call with rst = 1 loads
 * the reset values and returns at once, without taking a vector.
 */
export function untimedModule(m: Module): Module {
  if ((m.timing.kind === 'comb' && m.registers.length === 0) || untimedModules.has(m)) return m;
  const untimed = new Untimer(m).build();
  untimedModules.add(untimed);
  return untimed;
}

/** Results of untimedModule, which are their own untimed view. */
const untimedModules = new WeakSet<Module>();

/** How many stages after its inputs an instance's outputs come (0 for combinational modules). */
function instanceLatency(inst: Instance): number {
  return inst.module.timing.kind === 'pipelined' ? inst.module.timing.latency : 0;
}

interface UntimedNode {
  kind: Node['kind'];
  type: HdlType;
  args: number[];
  value?: bigint | undefined;
  hi?: number | undefined;
  lo?: number | undefined;
  amount?: number | undefined;
  port?: string | undefined;
  reg?: number | undefined;
  inst?: number | undefined;
  name?: string | undefined;
  /** Where the node came from in the IR: the emitted order follows the generator's where it can. */
  key: number;
}

class Untimer {
  private readonly nodes: UntimedNode[] = [];
  private readonly nodeOf = new Map<number, number>();
  private readonly stateOf = new Map<number, number>();
  private readonly constant: boolean[];
  private readonly advance: number | undefined;
  private readonly designer: boolean[];
  /** Designer registers read as "the value this vector loaded": they must load on every vector. */
  private readonly loadedReads = new Set<number>();
  private one: number | undefined;

  constructor(private readonly m: Module) {
    this.constant = constantNodes(m.nodes);
    this.advance =
      m.ports.find((p) => p.name === 'in_ready')?.driver ??
      m.nodes.find((n) => n.kind === 'input' && n.port === 'advance')?.id;
    this.designer = m.registers.map((r) => r.role === 'state');
  }

  build(): Module {
    const latency = this.m.timing.kind === 'pipelined' ? this.m.timing.latency : 0;
    const outputs = this.m.ports
      .filter((p) => p.direction === 'output' && !isControlPort(p.name))
      .map((p) => ({ port: p, driver: this.resolve(p.driver!, latency) }));
    const registers = this.m.registers
      .map((r, index) => ({ r, index }))
      .filter(({ index }) => this.designer[index])
      .map(({ r, index }) => {
        // It loads in the stage of its load condition, which may follow the stage it is read in (a loop
        // spread over stages: `next(…, { fromLaterStage })`).
        const stage = Math.max(this.m.nodes[r.read]!.stage, this.m.nodes[r.enable!]!.stage);
        return {
          index,
          register: r,
          next: this.resolve(r.next, stage),
          enable: this.resolve(r.enable!, stage),
        };
      });
    // Instances become calls of their untimed functions, which take the data inputs only.
    const instances = this.m.instances.map((inst) => {
      const module = untimedModule(inst.module);
      const ports = new Set(module.ports.filter((p) => p.direction === 'input').map((p) => p.name));
      if (ports.has('rst')) {
        throw new HdlError(
          `instance '${inst.name}' of '${inst.module.name}' keeps state between vectors; the untimed (HLS) ` +
            `function of a module has no form for a stateful instance`,
        );
      }
      const reader = inst.outputs.values().next().value;
      const stage = reader === undefined ? 0 : this.m.nodes[reader]!.stage - instanceLatency(inst);
      return {
        inst: { ...inst, module },
        inputs: new Map(
          [...inst.inputs]
            .filter(([port]) => ports.has(port))
            .map(([port, id]) => [port, this.resolve(id, stage)] as const),
        ),
      };
    });

    // Fold what the control inputs being 1 made constant, and drop logic gated by constants.
    const alias: number[] = this.nodes.map((_, i) => i);
    const final = (id: number): number => {
      while (alias[id] !== id) id = alias[id]!;
      return id;
    };
    for (let changed = true; changed;) {
      changed = false;
      for (const n of this.nodes) n.args = n.args.map(final);
      const frozen = this.frozen(instances.map((i) => ({ ...i.inst, inputs: mapValues(i.inputs, final) })));
      const isConstant = constantNodes(frozen.nodes);
      const values = foldConstants(frozen, isConstant);
      this.nodes.forEach((n, i) => {
        if (alias[i] !== i) return;
        if (isConstant[i] && n.kind !== 'const') {
          this.nodes[i] = {
            kind: 'const',
            type: n.type,
            args: [],
            value: values[i]!,
            name: n.name,
            key: n.key,
          };
          changed = true;
          return;
        }
        const target = simplify(n, (id) => (isConstant[id] ? values[id]! : undefined));
        if (target !== undefined) {
          alias[i] = target;
          changed = true;
        }
      });
    }

    for (const index of this.loadedReads) {
      const r = registers.find((x) => x.index === index)!;
      const enable = this.nodes[final(r.enable)]!;
      if (enable.kind !== 'const' || enable.value !== 1n) {
        throw new HdlError(
          `module '${this.m.name}': register '${r.register.name}' is read one stage after its own as the value it ` +
            `loaded, but it does not load on every vector; the untimed (HLS) function cannot express that`,
        );
      }
    }

    // Keep what reaches an output, and the registers whose value something live reads.
    const live = new Uint8Array(this.nodes.length);
    const mark = (id: number): void => {
      const stack = [id];
      while (stack.length > 0) {
        const top = final(stack.pop()!);
        if (live[top]) continue;
        live[top] = 1;
        stack.push(...this.nodes[top]!.args);
      }
    };
    for (const o of outputs) mark(o.driver);
    const keptRegisters = new Set<number>();
    for (let changed = true; changed;) {
      changed = false;
      for (const r of registers) {
        const state = this.stateOf.get(r.index);
        if (state === undefined || !live[state] || keptRegisters.has(r.index)) continue;
        keptRegisters.add(r.index);
        mark(r.next);
        if (!isOne(this.nodes[final(r.enable)]!)) mark(r.enable);
        changed = true;
      }
    }
    const usedInstances = new Set<number>();
    this.nodes.forEach((n, i) => {
      if (live[i] && n.kind === 'instout') usedInstances.add(n.inst!);
    });
    for (const i of usedInstances) for (const id of instances[i]!.inputs.values()) mark(id);

    // Renumber in a topological order that follows the IR's order where it can.
    const renumber = new Map<number, number>();
    const kept: number[] = [];
    const visited = new Uint8Array(this.nodes.length);
    const visit = (root: number): void => {
      const stack: [number, number][] = [[root, 0]];
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const [id, next] = top;
        const args = this.nodes[id]!.args;
        if (next < args.length) {
          top[1]++;
          const a = final(args[next]!);
          if (!visited[a]) {
            visited[a] = 1;
            stack.push([a, 0]);
          }
          continue;
        }
        stack.pop();
        renumber.set(id, kept.length);
        kept.push(id);
      }
    };
    const byKey = this.nodes
      .map((n, i) => ({ i, key: n.key }))
      .filter(({ i }) => live[i] && alias[i] === i)
      .sort((x, y) => x.key - y.key || x.i - y.i);
    for (const { i } of byKey) {
      if (visited[i]) continue;
      visited[i] = 1;
      visit(i);
    }
    const map = (id: number) => renumber.get(final(id))!;
    const keptInstanceList = [...usedInstances].sort((a, b) => a - b);
    const instanceIndex = new Map(keptInstanceList.map((old, i) => [old, i]));
    const registerList = registers.filter((r) => keptRegisters.has(r.index));
    const registerIndex = new Map(registerList.map((r, i) => [r.index, i]));

    const nodes: Node[] = kept.map((old, id) => {
      const n = this.nodes[old]!;
      return {
        id,
        kind: n.kind,
        type: n.type,
        args: n.args.map(map),
        value: n.value,
        hi: n.hi,
        lo: n.lo,
        amount: n.amount,
        port: n.port,
        reg: n.kind === 'reg' ? registerIndex.get(n.reg!) : undefined,
        inst: n.kind === 'instout' ? instanceIndex.get(n.inst!) : undefined,
        name: n.name,
        stage: 0,
      };
    });
    const hasReset = registerList.some((r) => r.register.reset !== undefined);
    const ports: Port[] = [
      ...(hasReset
        ? [
            {
              name: 'rst',
              direction: 'input' as const,
              type: UInt(1),
              doc: 'reset the state; no vector is taken',
            },
          ]
        : []),
      ...this.m.ports
        .filter((p) => !isControlPort(p.name))
        .map((p) => {
          const o = outputs.find((x) => x.port === p);
          return o === undefined ? p : { ...p, driver: map(o.driver) };
        }),
    ];
    return {
      name: this.m.name,
      origin: this.m.origin,
      memories: [],
      ports,
      nodes,
      registers: registerList.map((r) => {
        const enable = this.nodes[final(r.enable)]!;
        return {
          name: r.register.name,
          role: r.register.role,
          type: r.register.type,
          read: map(this.stateOf.get(r.index)!),
          next: map(r.next),
          ...(isOne(enable) ? {} : { enable: map(r.enable) }),
          ...(r.register.reset === undefined ? {} : { reset: r.register.reset }),
        };
      }),
      instances: keptInstanceList.map((old) => {
        const { inst, inputs } = instances[old]!;
        const outputsMap = new Map<string, number>();
        this.nodes.forEach((n, i) => {
          if (live[i] && alias[i] === i && n.kind === 'instout' && n.inst === old)
            outputsMap.set(n.port!, renumber.get(i)!);
        });
        return { name: inst.name, module: inst.module, inputs: mapValues(inputs, map), outputs: outputsMap };
      }),
      timing: this.m.timing,
    };
  }

  /** An instance output's args are its inputs in port order, the handshake ones (in_valid, advance) last. */
  private untimedInputCount(inst: Instance): number {
    return [...inst.inputs.keys()].filter((port) => !isControlPort(port)).length;
  }

  /** The untimed node for IR node `id` as the logic of stage `stage` reads it. */
  private resolve(id: number, stage: number): number {
    const n = this.m.nodes[id]!;
    // The stall signal spans every stage; in the untimed view nothing stalls.
    if (id === this.advance) return this.constantOne();
    if (n.kind !== 'reg') {
      if (n.stage > stage && !this.constant[id]) {
        throw new HdlError(
          `module '${this.m.name}': stage ${stage} reads '${n.name ?? `${n.kind}#${id}`}' of the later stage ${n.stage}; ` +
            `its value depends on cycle timing, which the untimed (HLS) function cannot express`,
        );
      }
      return this.node(id);
    }
    const r = this.m.registers[n.reg!]!;
    if (!this.designer[n.reg!]) return this.resolve(r.next, n.stage - 1);
    if (stage === n.stage) return this.state(n.reg!);
    if (stage === n.stage + 1) {
      this.loadedReads.add(n.reg!);
      return this.resolve(r.next, n.stage);
    }
    throw new HdlError(
      `module '${this.m.name}': register '${r.name}' of stage ${n.stage} is read in stage ${stage}; ` +
        `the untimed (HLS) function cannot express that`,
    );
  }

  private node(id: number): number {
    const known = this.nodeOf.get(id);
    if (known !== undefined) return known;
    const n = this.m.nodes[id]!;
    let made: number;
    if (n.kind === 'input' && (n.port === 'in_valid' || n.port === 'out_ready')) {
      made = this.constantOne();
    } else {
      const inst = n.kind === 'instout' ? this.m.instances[n.inst!]! : undefined;
      const stage = inst === undefined ? n.stage : n.stage - instanceLatency(inst);
      const args = n.args
        .slice(0, inst === undefined ? n.args.length : this.untimedInputCount(inst))
        .map((a) => this.resolve(a, stage));
      made = this.add({
        kind: n.kind,
        type: n.type,
        args,
        value: n.value,
        hi: n.hi,
        lo: n.lo,
        amount: n.amount,
        port: n.port,
        inst: n.inst,
        name: n.name,
        key: id,
      });
    }
    this.nodeOf.set(id, made);
    return made;
  }

  private state(reg: number): number {
    let id = this.stateOf.get(reg);
    if (id === undefined) {
      const r = this.m.registers[reg]!;
      id = this.add({ kind: 'reg', type: r.type, args: [], reg, name: r.name, key: r.read });
      this.stateOf.set(reg, id);
    }
    return id;
  }

  private constantOne(): number {
    this.one ??= this.add({ kind: 'const', type: UInt(1), args: [], value: 1n, key: -1 });
    return this.one;
  }

  private add(n: UntimedNode): number {
    this.nodes.push(n);
    return this.nodes.length - 1;
  }

  /** The nodes as a Module, for constant folding. */
  private frozen(instances: Instance[]): Module {
    return {
      ...this.m,
      nodes: this.nodes.map((n, id) => ({ ...n, id, stage: 0 })),
      registers: [],
      instances,
    };
  }
}

function mapValues<K>(map: ReadonlyMap<K, number>, f: (id: number) => number): Map<K, number> {
  return new Map([...map].map(([k, v]) => [k, f(v)]));
}

function isOne(n: UntimedNode): boolean {
  return n.kind === 'const' && n.value === 1n && n.type.width === 1;
}

/** A node that one constant operand reduces to one of its operands (and(1, x) = x, ...), or undefined. */
function simplify(n: UntimedNode, constant: (id: number) => bigint | undefined): number | undefined {
  const all = (1n << BigInt(n.type.width)) - 1n;
  const [a, b, c] = n.args;
  switch (n.kind) {
    case 'and':
      if (constant(a!) === all) return b;
      if (constant(b!) === all) return a;
      return undefined;
    case 'or':
    case 'xor':
      if (constant(a!) === 0n) return b;
      if (constant(b!) === 0n) return a;
      return undefined;
    case 'mux': {
      const select = constant(a!);
      return select === undefined ? undefined : select === 1n ? b : c;
    }
    default:
      return undefined;
  }
}

/**
 * Outputs of the untimed module for each stimulus row, in order: one reset edge first (when the module
 * has rst), then per vector the outputs and one clock edge. Rows hold data ports in declaration order.
 * (In this reset edge a register without a reset value loads its next value from all-zero inputs, where
 * the HLS function's rst call leaves it alone; registers without reset start at 0 in both.)
 */
export function runUntimedVectors(untimed: Module, stimulus: bigint[][]): bigint[][] {
  const ev = new Evaluator(untimed);
  const inputs = untimed.ports.filter((p) => p.direction === 'input' && p.name !== 'rst');
  const outputs = untimed.ports.filter((p) => p.direction === 'output');
  if (untimed.ports.some((p) => p.name === 'rst')) {
    ev.set('rst', 1n);
    ev.tick();
    ev.set('rst', 0n);
  }
  return stimulus.map((row) => {
    inputs.forEach((p, i) => ev.set(p.name, row[i]!));
    const out = outputs.map((p) => ev.get(p.name));
    ev.tick();
    return out;
  });
}
