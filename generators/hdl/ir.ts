import { HdlError } from './errors.ts';
import type { HdlType } from './types.ts';

/**
 * The IR: a flat, backend-neutral netlist of word-level operations and registers.
 *
 * Invariants every back end relies on:
 * - each node carries its own type (width, signedness); values are bit patterns of that width;
 * - operands of add, sub, and, or, xor, mux arms and comparisons have exactly the node's operand width
 *   (the builder inserts explicit extensions), so no back end needs implicit width rules;
 * - cast reinterprets the same bits with another signedness (no hardware);
 * - mul takes operands of any widths and signedness and yields their full product;
 * - nodes are stored in creation order, which is a topological order of the combinational graph.
 */
export type NodeKind =
  | 'input'
  | 'const'
  | 'add'
  | 'sub'
  | 'mul'
  | 'and'
  | 'or'
  | 'xor'
  | 'not'
  | 'shl'
  | 'shr'
  | 'sra'
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge'
  | 'mux'
  | 'concat'
  | 'slice'
  | 'zext'
  | 'sext'
  | 'cast'
  | 'andr'
  | 'orr'
  | 'xorr'
  | 'reg'
  | 'instout'
  | 'memrd';

export interface Node {
  readonly id: number;
  readonly kind: NodeKind;
  readonly type: HdlType;
  /** Operand node ids. For mux: [select, whenTrue, whenFalse]; for concat: most significant part first. */
  readonly args: readonly number[];
  /** const: the bit pattern. */
  readonly value?: bigint;
  /** slice: bit range, inclusive. */
  readonly hi?: number;
  readonly lo?: number;
  /** shl/shr/sra by a constant amount (a variable amount is args[1]). */
  readonly amount?: number;
  /** input: port name; reg: register index; instout: instance index and port name; memrd: memory index. */
  readonly port?: string;
  readonly reg?: number;
  readonly inst?: number;
  readonly mem?: number;
  /** The name this value keeps in every back end, when the designer gave one. */
  name?: string;
  /** Pipeline stage in which the value is computed (0 before any stage cut). */
  readonly stage: number;
}

export interface Port {
  readonly name: string;
  readonly direction: 'input' | 'output';
  readonly type: HdlType;
  /** What the port carries, for documentation (e.g. 'e4m3fn code', 'product'). */
  readonly doc?: string;
  /** Output ports: the node that drives the port. */
  readonly driver?: number;
}

/**
 * What a register is for: `state` is the designer's (declared with `m.register`, it carries a value from
 * one vector or cycle to the next), `pipeline` a stage copy of a value (`<value>_s<k>`), `valid` the
 * valid bit that travels beside a vector. Back ends that drop timing (the untimed HLS view) keep only state.
 */
export type RegisterRole = 'state' | 'pipeline' | 'valid';

export interface Register {
  readonly name: string;
  readonly role: RegisterRole;
  readonly type: HdlType;
  /** Value loaded while rst is high; undefined for registers that need no reset (pipeline data). */
  readonly reset?: bigint;
  /** The node whose value is loaded at the clock edge. */
  readonly next: number;
  /** Load only when this 1-bit node is high; undefined loads every cycle. */
  readonly enable?: number;
  /** The node that reads the register's current value. */
  readonly read: number;
}

/**
 * A word-addressed memory with one write port, written at the clock edge, and combinational reads
 * (memrd nodes, address in args[0]). A read that feeds a register becomes a synchronous read port:
 * the shape Yosys maps to block RAM. Contents start undefined (0 in the evaluator).
 */
export interface Memory {
  readonly name: string;
  /** Type of one word. */
  readonly type: HdlType;
  readonly depth: number;
  /** Node ids of the write port: 1-bit enable, address, data. */
  readonly write: { readonly enable: number; readonly address: number; readonly data: number };
}

export interface Instance {
  readonly name: string;
  readonly module: Module;
  /** Input port name -> driving node id in the parent. */
  readonly inputs: ReadonlyMap<string, number>;
  /** Output port name -> instout node id in the parent. */
  readonly outputs: ReadonlyMap<string, number>;
}

/**
 * Timing of a module as seen from its ports. A sequential module has clk and rst only and drives its
 * own handshakes (streams, start/done); its registers load every cycle unless given a load condition.
 */
export type Timing =
  | { kind: 'comb' }
  /** `skid`: in_ready is a register, high while a one-entry output skid buffer is empty (ready 'skid'). */
  | { kind: 'pipelined'; latency: number; ready: boolean; skid?: true }
  | { kind: 'sequential' };

export interface Module {
  readonly name: string;
  /** Generator and parameters that produced the module, written into every file header. */
  readonly origin: { generator: string; params: Readonly<Record<string, unknown>> };
  readonly ports: readonly Port[];
  readonly nodes: readonly Node[];
  readonly registers: readonly Register[];
  readonly instances: readonly Instance[];
  readonly memories: readonly Memory[];
  readonly timing: Timing;
}

/** Names of the control ports of clocked modules. */
export const CONTROL_PORTS = [
  'clk',
  'rst',
  'in_valid',
  'in_ready',
  'out_valid',
  'out_ready',
  'advance',
] as const;

export function isControlPort(name: string): boolean {
  return (CONTROL_PORTS as readonly string[]).includes(name);
}

/**
 * Every module a design needs, the top last, each once: instances of equal modules share one
 * definition. Two different modules under one name are an error, since names derive from parameters.
 */
export function moduleHierarchy(top: Module): Module[] {
  const seen = new Map<string, Module>();
  const visit = (m: Module): void => {
    for (const inst of m.instances) visit(inst.module);
    const known = seen.get(m.name);
    if (known === undefined) seen.set(m.name, m);
    else if (known !== m && JSON.stringify(known.origin) !== JSON.stringify(m.origin)) {
      throw new HdlError(
        `two different modules are both named '${m.name}' (from ${m.origin.generator} and ${known.origin.generator}); ` +
          `module names must derive from every parameter that changes the hardware`,
      );
    }
  };
  visit(top);
  return [...seen.values()];
}

/**
 * Which nodes hold the same value whatever the inputs: constants and logic fed only by constants.
 * They are never registered between stages, and back ends may fold them into literals.
 */
export function constantNodes(nodes: readonly { kind: NodeKind; args: readonly number[] }[]): boolean[] {
  const constant: boolean[] = [];
  nodes.forEach((n, i) => {
    const source = n.kind === 'input' || n.kind === 'reg' || n.kind === 'instout' || n.kind === 'memrd';
    constant[i] = n.kind === 'const' || (!source && n.args.length > 0 && n.args.every((a) => constant[a]));
  });
  return constant;
}
