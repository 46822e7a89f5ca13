import { HdlError } from './errors.ts';
import { isControlPort, type Module, type Node, type Port } from './ir.ts';
import { fromBits, toBits } from './types.ts';

type Compute = (values: bigint[]) => bigint;

/**
 * Cycle-accurate evaluation of a module in TypeScript. It reads the same lowered IR as the emitters,
 * registers and pipeline included, so a unit test here exercises what the Verilog will do.
 * Values are bit patterns (unsigned BigInt of the port's width).
 */
export class Evaluator {
  private readonly values: bigint[];
  private readonly state: bigint[];
  private readonly memories: bigint[][];
  private readonly computes: (Compute | undefined)[];
  private readonly inputs = new Map<string, bigint>();
  private readonly inputNodes = new Map<string, number[]>();
  /** Ports by name: instance outputs drive their child's inputs on every settle. */
  private readonly ports: ReadonlyMap<string, Port>;
  /** One evaluator per instance: clocked ones keep their state and tick with this module. */
  private readonly children: Evaluator[];
  private dirty = true;
  /** Clock edges seen since construction. */
  cycles = 0;

  constructor(readonly module: Module) {
    this.values = new Array<bigint>(module.nodes.length).fill(0n);
    this.ports = new Map(module.ports.map((p) => [p.name, p]));
    this.state = module.registers.map((r) => r.reset ?? 0n);
    this.memories = module.memories.map((mem) => new Array<bigint>(mem.depth).fill(0n));
    this.children = module.instances.map((inst) => new Evaluator(inst.module));
    this.computes = module.nodes.map((n) => compileNode(module, n, this.state, this.memories, this.children));
    for (const p of module.ports) if (p.direction === 'input') this.inputs.set(p.name, 0n);
    for (const n of module.nodes) {
      if (n.kind === 'input') this.inputNodes.set(n.port!, [...(this.inputNodes.get(n.port!) ?? []), n.id]);
    }
  }

  /** Drive an input port; a negative number is taken as its two's complement pattern. */
  set(port: string, value: bigint | number): void {
    const p = this.ports.get(port);
    if (p?.direction !== 'input') throw new HdlError(`'${this.module.name}' has no input port '${port}'`);
    this.inputs.set(port, toBits(BigInt(value), p.type.width));
    this.dirty = true;
  }

  /** The bit pattern on an output port (or the value driven on an input port). */
  get(port: string): bigint {
    this.settle();
    const p = this.ports.get(port);
    if (p === undefined) throw new HdlError(`'${this.module.name}' has no port '${port}'`);
    if (p.direction === 'input') return this.inputs.get(port)!;
    return this.values[p.driver!]!;
  }

  /** The value on a port read with its signedness. */
  getValue(port: string): bigint {
    const p = this.module.ports.find((q) => q.name === port)!;
    return fromBits(this.get(port), p.type);
  }

  /** The value of a named signal or register, for debugging and tests. */
  peek(name: string): bigint {
    this.settle();
    const n = this.module.nodes.find((m) => m.name === name);
    if (n === undefined) throw new HdlError(`'${this.module.name}' has no signal named '${name}'`);
    return this.values[n.id]!;
  }

  /** The current value of node `id` (used to fold constant logic into literals). */
  nodeValue(id: number): bigint {
    this.settle();
    return this.values[id]!;
  }

  /** One rising clock edge: registers load what the current inputs and state make. */
  tick(): void {
    this.settle();
    const rst = this.inputs.get('rst') === 1n;
    const next = this.module.registers.map((r, i) => {
      if (rst && r.reset !== undefined) return r.reset;
      if (r.enable !== undefined && this.values[r.enable] !== 1n) return this.state[i]!;
      return this.values[r.next]!;
    });
    const writes = this.module.memories.map((mem) => {
      const w = mem.write;
      return this.values[w.enable] === 1n
        ? [Number(this.values[w.address]!), this.values[w.data]!]
        : undefined;
    });
    // The children tick on the same edge, on their inputs' settled values: a forward wire may drive one
    // from a node computed after the child's outputs were read.
    this.children.forEach((child, k) => {
      if (child.module.timing.kind === 'comb') return;
      for (const [port, id] of this.module.instances[k]!.inputs)
        if (child.inputs.get(port) !== this.values[id]) child.set(port, this.values[id]!);
      if (child.inputs.has('rst')) child.set('rst', rst ? 1n : 0n);
      child.tick();
    });
    next.forEach((v, i) => (this.state[i] = v));
    writes.forEach((write, i) => {
      if (write !== undefined && write[0]! < this.memories[i]!.length)
        this.memories[i]![write[0] as number] = write[1] as bigint;
    });
    this.cycles++;
    this.dirty = true;
  }

  /** Hold rst high for `cycles` clock edges. */
  reset(cycles = 2): void {
    this.set('rst', 1n);
    for (let i = 0; i < cycles; i++) this.tick();
    this.set('rst', 0n);
  }

  private settle(): void {
    if (!this.dirty) return;
    for (const [port, ids] of this.inputNodes) for (const id of ids) this.values[id] = this.inputs.get(port)!;
    for (let i = 0; i < this.computes.length; i++) {
      const compute = this.computes[i];
      if (compute !== undefined) this.values[i] = compute(this.values);
    }
    this.dirty = false;
  }
}

/** The values of the nodes marked constant (logic of constants only), computed without any input. */
export function foldConstants(module: Module, constant: readonly boolean[]): bigint[] {
  const values: bigint[] = [];
  for (const n of module.nodes) {
    if (constant[n.id]) values[n.id] = compileNode(module, n, [], [])!(values);
  }
  return values;
}

function mask(width: number): bigint {
  return (1n << BigInt(width)) - 1n;
}

function compileNode(
  module: Module,
  n: Node,
  state: bigint[],
  memories: bigint[][],
  children: Evaluator[] = [],
): Compute | undefined {
  const w = n.type.width;
  const m = mask(w);
  const [a, b, c] = n.args as [number, number, number];
  const argType = (i: number) => module.nodes[n.args[i]!]!.type;
  switch (n.kind) {
    case 'input':
      return undefined;
    case 'const': {
      const value = n.value!;
      return () => value;
    }
    case 'add':
      return (v) => (v[a]! + v[b]!) & m;
    case 'sub':
      return (v) => (v[a]! - v[b]!) & m;
    case 'mul': {
      const ta = argType(0);
      const tb = argType(1);
      return (v) => toBits(fromBits(v[a]!, ta) * fromBits(v[b]!, tb), w);
    }
    case 'and':
      return (v) => v[a]! & v[b]!;
    case 'or':
      return (v) => v[a]! | v[b]!;
    case 'xor':
      return (v) => v[a]! ^ v[b]!;
    case 'not':
      return (v) => v[a]! ^ m;
    case 'shl':
      return n.amount !== undefined
        ? (v) => (v[a]! << BigInt(n.amount!)) & m
        : (v) => (v[b]! >= BigInt(w) ? 0n : (v[a]! << v[b]!) & m);
    case 'shr':
      return n.amount !== undefined
        ? (v) => v[a]! >> BigInt(n.amount!)
        : (v) => (v[b]! >= BigInt(w) ? 0n : v[a]! >> v[b]!);
    case 'sra': {
      const amount = (v: bigint[]) => (n.amount !== undefined ? BigInt(n.amount) : v[b]!);
      return (v) => toBits(BigInt.asIntN(w, v[a]!) >> amount(v), w);
    }
    case 'eq':
      return (v) => (v[a] === v[b] ? 1n : 0n);
    case 'ne':
      return (v) => (v[a] !== v[b] ? 1n : 0n);
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge': {
      const t = argType(0);
      const test = {
        lt: (x: bigint, y: bigint) => x < y,
        le: (x: bigint, y: bigint) => x <= y,
        gt: (x: bigint, y: bigint) => x > y,
        ge: (x: bigint, y: bigint) => x >= y,
      }[n.kind];
      return (v) => (test(fromBits(v[a]!, t), fromBits(v[b]!, t)) ? 1n : 0n);
    }
    case 'mux':
      return (v) => (v[a] === 1n ? v[b]! : v[c]!);
    case 'concat': {
      const parts = n.args.map((id) => ({ id, width: BigInt(module.nodes[id]!.type.width) }));
      return (v) => parts.reduce((acc, p) => (acc << p.width) | v[p.id]!, 0n);
    }
    case 'slice': {
      const lo = BigInt(n.lo!);
      return (v) => (v[a]! >> lo) & m;
    }
    case 'zext':
    case 'cast':
      return (v) => v[a]!;
    case 'sext': {
      const from = argType(0).width;
      return (v) => toBits(BigInt.asIntN(from, v[a]!), w);
    }
    case 'andr': {
      const all = mask(argType(0).width);
      return (v) => (v[a] === all ? 1n : 0n);
    }
    case 'orr':
      return (v) => (v[a] !== 0n ? 1n : 0n);
    case 'xorr':
      return (v) => {
        let x = v[a]!;
        let parity = 0n;
        while (x !== 0n) {
          parity ^= x & 1n;
          x >>= 1n;
        }
        return parity;
      };
    case 'reg': {
      const index = n.reg!;
      return () => state[index]!;
    }
    case 'instout':
      return compileInstanceOutput(module, n, children[n.inst!]!);
    case 'memrd': {
      const words = memories[n.mem!]!;
      return (v) => words[Number(v[a]!)] ?? 0n;
    }
  }
}

/** An instance output: the child module's output for the connected values (and its state). */
function compileInstanceOutput(module: Module, n: Node, child: Evaluator): Compute {
  const inst = module.instances[n.inst!]!;
  const connections = [...inst.inputs];
  return (v) => {
    for (const [port, id] of connections) child.set(port, v[id]!);
    return child.get(n.port!);
  };
}

export interface VectorRunOptions {
  /** Cycles in which no vector is offered (in_valid low); default none. */
  idle?: (cycle: number) => boolean;
  /** Cycles in which the consumer takes no result (out_ready low: backpressure); default none. */
  stall?: (cycle: number) => boolean;
  /** Give up after this many cycles without the expected number of outputs. */
  maxCycles?: number;
}

/**
 * Feed vectors through a module under the testbench protocol and collect one output row per vector:
 * for combinational modules directly, for clocked ones in order of out_valid after a reset.
 * Rows list data ports in declaration order (control ports excluded).
 */
export function runVectors(module: Module, stimulus: bigint[][], options: VectorRunOptions = {}): bigint[][] {
  const ev = new Evaluator(module);
  const dataIn = module.ports.filter((p) => p.direction === 'input' && !isControlPort(p.name));
  const dataOut = module.ports.filter((p) => p.direction === 'output' && !isControlPort(p.name));
  const drive = (row: bigint[]) => dataIn.forEach((p, i) => ev.set(p.name, row[i]!));
  const sample = () => dataOut.map((p) => ev.get(p.name));
  if (module.timing.kind === 'comb') {
    return stimulus.map((row) => {
      drive(row);
      return sample();
    });
  }
  if (module.timing.kind === 'sequential')
    throw new HdlError(`'${module.name}' is sequential: drive its streams cycle by cycle with an Evaluator`);
  const hasReady = module.timing.ready;
  if (hasReady) ev.set('out_ready', 1n);
  else if (options.stall !== undefined)
    throw new HdlError(`'${module.name}' has no out_ready: it cannot be stalled`);
  ev.reset();
  const out: bigint[][] = [];
  const limit =
    options.maxCycles ??
    stimulus.length * (options.stall === undefined ? 4 : 16) + module.timing.latency + 16;
  let next = 0;
  for (let cycle = 0; out.length < stimulus.length; cycle++) {
    if (cycle > limit)
      throw new HdlError(
        `'${module.name}': only ${out.length} of ${stimulus.length} outputs after ${cycle} cycles`,
      );
    const offer = next < stimulus.length && !(options.idle?.(cycle) ?? false);
    ev.set('in_valid', offer ? 1n : 0n);
    if (offer) drive(stimulus[next]!);
    const taking = !(options.stall?.(cycle) ?? false);
    if (hasReady) ev.set('out_ready', taking ? 1n : 0n);
    const accepted = offer && (!hasReady || ev.get('in_ready') === 1n);
    if (ev.get('out_valid') === 1n && taking) out.push(sample());
    ev.tick();
    if (accepted) next++;
  }
  return out;
}
