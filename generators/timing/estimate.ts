import type { Module } from '../hdl/ir.ts';
import { DELAY_MODELS, type DelayModel, type TimingTarget } from './delay-model.ts';
import { timingGraph, type TimingGraph } from './timing-graph.ts';

/** The slowest register-to-register path the model finds, and the clock it allows. */
export interface TimingEstimate {
  target: TimingTarget;
  /** Estimated Fmax (MHz) and period (ns). */
  mhz: number;
  periodNs: number;
  /** Where the slowest path starts and ends, by name. */
  from: string;
  to: string;
  /** The path returns to the register it starts at: a loop, which stage cuts cannot shorten. */
  loop: boolean;
  /** Each value on the slowest path, from its start, with the time its latest bit arrives (ns). */
  path: { name: string; ns: number }[];
}

/** A timing graph in flat arrays, for the arrival loop (the calibration runs it many thousand times). */
export interface Compiled {
  graph: TimingGraph;
  op: Uint8Array;
  argStart: Int32Array;
  argList: Int32Array;
  /** Per argument: 1 when it is a single-use part of this vertex's LUT cone. */
  merged: Uint8Array;
  /** Each kind's numbers. a: shift levels, carry bits, DSP carry bits. b: reduce leaves per operand,
   * carry chains, a slice's lo as a share of its word. c: a slice's hi as a share of its word. */
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
  fanout: Float64Array;
  endpoint: Int32Array;
  /** The logic's size in bits of operations: routes grow longer in a larger design. */
  size: number;
  /**
   * Per LUT vertex with a small support (SUPPORT_BITS): the values its region of LUT logic starts from
   * (registers, chains, shifters; `supportList` from `supportStart[v]`, empty where the support is too
   * large to bound the depth), each weighted by its share of the bits one output bit can read.
   */
  supportStart: Int32Array;
  supportList: Int32Array;
  supportWeight: Float64Array;
}

/**
 * Logic of at most this many input bits is priced as one LUT tree over them as well, however it is
 * written: technology mapping (ABC) duplicates shared logic to shorten such a function's depth.
 */
const SUPPORT_BITS = 24;

const OP = {
  const: 0,
  source: 1,
  bramSource: 2,
  wire: 3,
  slice: 4,
  lut: 5,
  reduce: 6,
  shift: 7,
  carry: 8,
  compare: 9,
  dsp: 10,
};

/** Op codes up to this one are constants and sources (registers, inputs, block RAM reads). */
export const OP_SOURCES = OP.bramSource;

const compiled = new WeakMap<Module, Map<string, Compiled>>();

function compile(graph: TimingGraph): Compiled {
  const { vertices } = graph;
  const n = vertices.length;
  const op = new Uint8Array(n);
  const argStart = new Int32Array(n + 1);
  const argList = new Int32Array(vertices.reduce((s, v) => s + v.args.length, 0));
  const merged = new Uint8Array(argList.length);
  // Bitwise logic, or wiring that only carries single-use bitwise logic: part of its user's LUT cone.
  const coneLike = new Uint8Array(n);
  let size = 0;
  const [a, b, c, fanout] = [0, 0, 0, 0].map(() => new Float64Array(n)) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  let k = 0;
  vertices.forEach((v, i) => {
    argStart[i] = k;
    for (const x of v.args) {
      if (vertices[x]!.mapped.op === 'const') continue;
      merged[k] = coneLike[x] && vertices[x]!.uses === 1 ? 1 : 0;
      argList[k++] = x;
    }
    fanout[i] = v.fanout;
    const m = v.mapped;
    coneLike[i] =
      m.op === 'lut' ||
      (m.op === 'wire' && k > argStart[i]! && merged.subarray(argStart[i]!, k).every((x) => x === 1))
        ? 1
        : 0;
    if (m.op === 'source') op[i] = m.bram ? OP.bramSource : OP.source;
    else if (m.op === 'const') op[i] = OP.const;
    else if (m.op === 'wire') {
      op[i] = m.lo !== undefined && v.args.length === 1 ? OP.slice : OP.wire;
      const w = Math.max(1, vertices[v.args[0] ?? i]!.width - 1);
      b[i] = (m.lo ?? 0) / w;
      c[i] = (m.hi ?? 0) / w;
    } else if (m.op === 'lut') op[i] = OP.lut;
    else if (m.op === 'reduce') {
      op[i] = OP.reduce;
      b[i] = m.bits;
    } else if (m.op === 'shift') {
      op[i] = OP.shift;
      a[i] = m.levels;
    } else if (m.op === 'carry') {
      op[i] = m.compare ? OP.compare : OP.carry;
      a[i] = m.bits;
      b[i] = m.chains;
    } else {
      op[i] = OP.dsp;
      a[i] = m.carry;
    }
  });
  argStart[n] = k;
  for (let i = 0; i < n; i++) if (op[i]! >= OP.lut) size += vertices[i]!.width;
  return {
    ...supports(vertices, op, argStart, argList),
    graph,
    op,
    argStart,
    argList,
    merged,
    a,
    b,
    c,
    fanout,
    endpoint: Int32Array.from(graph.endpoints.map((e) => e.vertex)),
    size,
  };
}

/**
 * The support of each LUT region (Compiled.supportList): where a region of LUT logic starts, and how
 * many bits one output bit can read, bounded two ways: the widths of the distinct values it starts
 * from, and the bits per operand bit through the region (bitwise logic reads bit i of each operand).
 */
function supports(
  vertices: readonly { width: number }[],
  op: Uint8Array,
  argStart: Int32Array,
  argList: Int32Array,
): Pick<Compiled, 'supportStart' | 'supportList' | 'supportWeight'> {
  const n = op.length;
  const inRegion = new Uint8Array(n);
  const region = (x: number) => op[x] === OP.lut || op[x] === OP.reduce || inRegion[x] === 1;
  const sets: (number[] | undefined)[] = new Array(n);
  const perBit = new Float64Array(n);
  const totals = new Float64Array(n);
  const bounded = new Uint8Array(n);
  for (let v = 0; v < n; v++) {
    const kind = op[v]!;
    const wiring = kind === OP.wire || kind === OP.slice;
    if (kind !== OP.lut && kind !== OP.reduce && !wiring) continue;
    let anyRegion = false;
    for (let k = argStart[v]!; k < argStart[v + 1]!; k++) anyRegion ||= region(argList[k]!);
    if (wiring && !anyRegion) continue; // wiring of a register or a chain: the region's start
    inRegion[v] = 1;
    let set: Set<number> | undefined = new Set();
    let bits = 0;
    for (let k = argStart[v]!; k < argStart[v + 1]!; k++) {
      const x = argList[k]!;
      const from = region(x) ? sets[x] : [x];
      const per = region(x) ? perBit[x]! : 1;
      if (from === undefined) set = undefined;
      else if (set !== undefined) for (const y of from) set.add(y);
      bits =
        kind === OP.lut
          ? bits + per
          : kind === OP.reduce
            ? bits + per * vertices[x]!.width
            : Math.max(bits, per);
    }
    let total = 0;
    if (set !== undefined) for (const y of set) total += vertices[y]!.width;
    perBit[v] = Math.min(bits, set === undefined ? Infinity : total);
    totals[v] = total;
    sets[v] = set !== undefined && total <= 4 * SUPPORT_BITS ? [...set] : undefined;
    if (kind !== OP.lut && kind !== OP.reduce) continue;
    bounded[v] = perBit[v]! > 0 && perBit[v]! <= SUPPORT_BITS && sets[v] !== undefined ? 1 : 0;
  }
  const supportStart = new Int32Array(n + 1);
  const list: number[] = [];
  const weights: number[] = [];
  for (let v = 0; v < n; v++) {
    supportStart[v] = list.length;
    if (bounded[v] === 0) continue;
    for (const x of sets[v]!) {
      list.push(x);
      weights.push((vertices[x]!.width * perBit[v]!) / totals[v]!);
    }
  }
  supportStart[n] = list.length;
  return { supportStart, supportList: Int32Array.from(list), supportWeight: Float64Array.from(weights) };
}

export function compiledFor(module: Module, model: DelayModel): Compiled {
  const key = JSON.stringify(model.mapping);
  const byMapping = compiled.get(module) ?? new Map<string, Compiled>();
  compiled.set(module, byMapping);
  if (!byMapping.has(key)) byMapping.set(key, compile(timingGraph(module, model.mapping)));
  return byMapping.get(key)!;
}

/**
 * Arrival times, filled in vertex by vertex in topological order (`arrive`). Each value has two: of its
 * earliest bit (`early`) and of its latest (`late`). A carry chain's low bits are ready soon after its
 * operands' low bits, so chained adders overlap; bitwise logic keeps the bits apart; a comparison or
 * shifter mixes them. A cone of single-use bitwise operations is priced as one tree of K-input LUTs over
 * its leaves, weighted by their arrivals.
 */
export class Arrivals {
  readonly early: Float64Array;
  readonly late: Float64Array;
  /** Where the latest path into each vertex starts. */
  readonly origin: Int32Array;
  readonly latestArg: Int32Array;
  /** 1 where the value leaves a carry chain with no logic since: a comparison it feeds pays the hop. */
  private readonly fromChain: Uint8Array;
  // A LUT cone's leaves as a potential, Σ K^(arrival / lutNs), kept relative to its largest term.
  private readonly coneTop: Float64Array;
  private readonly conePotential: Float64Array;
  private readonly coneTopEarly: Float64Array;
  private readonly conePotentialEarly: Float64Array;
  private readonly lnK: number;
  private readonly L: number;
  private readonly M: number;

  /**
   * `stage`: for placing registers (place-stages.ts), each vertex's pipeline stage; an argument from an
   * earlier stage than the vertex computed reaches it through a register.
   */
  constructor(
    readonly g: Compiled,
    readonly model: DelayModel,
    private readonly stage?: Int32Array,
  ) {
    const n = g.op.length;
    this.early = new Float64Array(n);
    this.late = new Float64Array(n);
    this.origin = new Int32Array(n).fill(-1);
    this.latestArg = new Int32Array(n).fill(-1);
    this.fromChain = new Uint8Array(n);
    this.coneTop = new Float64Array(n);
    this.conePotential = new Float64Array(n);
    this.coneTopEarly = new Float64Array(n);
    this.conePotentialEarly = new Float64Array(n);
    this.lnK = Math.log(model.mapping.lutInputs);
    // Routing between levels lengthens with the design's size (relative to 1,000 bits of logic).
    const spread = (g.size / 1000) ** model.sizeExponent;
    this.L = model.lutNs * spread;
    this.M = model.muxNs * spread;
  }

  /**
   * Compute vertex v from its arguments. With `at` (a stage), an argument from an earlier stage reaches
   * v through a register: its bits all arrive at 0 and it is a leaf of v's cone, never part of it.
   */
  arrive(v: number, at = -1): void {
    const { op, argStart, argList, a, b, c, fanout } = this.g;
    const { early, late, origin, latestArg, model } = this;
    const kind = op[v]!;
    this.fromChain[v] = 0;
    if (kind === OP.const) return;
    if (kind === OP.source || kind === OP.bramSource) {
      early[v] = late[v] = kind === OP.bramSource ? model.bramNs : 0;
      origin[v] = v;
      return;
    }
    const stage = this.stage;
    let inLate = 0;
    let inEarly = 0;
    let from = -1;
    for (let k = argStart[v]!; k < argStart[v + 1]!; k++) {
      const x = argList[k]!;
      const registered = at >= 0 && stage![x]! < at;
      const lx = registered ? 0 : late[x]!;
      if (from < 0 || lx > inLate) {
        inLate = lx;
        from = registered ? x : origin[x]!;
        latestArg[v] = x;
      }
      const ex = registered ? 0 : early[x]!;
      if (ex > inEarly) inEarly = ex;
    }
    origin[v] = from;
    if (from < 0) return; // constant operands only
    const wire = model.fanoutNs * fanout[v]!;
    switch (kind) {
      case OP.wire: {
        early[v] = inEarly;
        late[v] = inLate;
        // Wiring inside a cone carries the cone's leaves on (of its latest part).
        const x = latestArg[v]!;
        const inside = !(at >= 0 && stage![x]! < at);
        this.fromChain[v] = inside ? this.fromChain[x]! : 0;
        this.coneTop[v] = inside ? this.coneTop[x]! : 0;
        this.conePotential[v] = inside ? this.conePotential[x]! : 1;
        this.coneTopEarly[v] = inside ? this.coneTopEarly[x]! : 0;
        this.conePotentialEarly[v] = inside ? this.conePotentialEarly[x]! : 1;
        break;
      }
      case OP.slice: {
        // A slice of a rippled word: its bits arrive between the word's earliest and latest.
        const x = argList[argStart[v]!]!;
        const registered = at >= 0 && stage![x]! < at;
        const ex = registered ? 0 : early[x]!;
        const lx = registered ? 0 : late[x]!;
        early[v] = ex + (lx - ex) * b[v]!;
        late[v] = ex + (lx - ex) * c[v]!;
        this.fromChain[v] = registered ? 0 : this.fromChain[x]!;
        break;
      }
      case OP.lut:
        late[v] =
          Math.min(this.cone(v, late, this.coneTop, this.conePotential, 1, at), this.tree(v, at)) + wire;
        early[v] = Math.min(
          late[v]!,
          this.cone(v, early, this.coneTopEarly, this.conePotentialEarly, 1, at) + wire,
        );
        break;
      case OP.reduce:
        late[v] = early[v] =
          Math.min(this.cone(v, late, this.coneTop, this.conePotential, b[v]!, at), this.tree(v, at)) + wire;
        this.coneTopEarly[v] = this.coneTop[v]!;
        this.conePotentialEarly[v] = this.conePotential[v]!;
        break;
      case OP.shift:
        early[v] = late[v] = inLate + a[v]! * this.M + wire;
        break;
      case OP.carry:
      case OP.compare: {
        // A comparison read straight from a chain: the sum bits leave through their LUTs and are
        // routed to the comparison's chain (chainExitNs). Additions in series are not charged so:
        // synthesis merges them into one multi-operand adder (Yosys alumacc).
        let late0 = inLate;
        let early0 = inEarly;
        if (kind === OP.compare && model.chainExitNs > 0) {
          late0 = early0 = 0;
          for (let k = argStart[v]!; k < argStart[v + 1]!; k++) {
            const x = argList[k]!;
            if (at >= 0 && stage![x]! < at) continue;
            const exit = this.fromChain[x] === 1 ? model.chainExitNs : 0;
            late0 = Math.max(late0, late[x]! + exit);
            early0 = Math.max(early0, early[x]! + exit);
          }
        }
        // A carry-in merged into its sum's chain (chains 0) enters a chain of its own when a register
        // comes between them.
        let enter = model.chainNs * b[v]!;
        if (b[v] === 0 && at >= 0) {
          for (let k = argStart[v]!; k < argStart[v + 1]!; k++) {
            const x = argList[k]!;
            if (op[x] === OP.carry && stage![x]! < at) enter = model.chainNs;
          }
        }
        late[v] =
          Math.max(late0 + enter + model.carryBitNs, early0 + enter + a[v]! * model.carryBitNs) + wire;
        early[v] =
          kind === OP.compare ? late[v]! : Math.min(late[v]!, early0 + enter + model.carryBitNs + wire);
        this.fromChain[v] = 1;
        break;
      }
      case OP.dsp:
        early[v] = late[v] = inLate + model.dspNs + a[v]! * model.carryBitNs + wire;
        break;
    }
  }

  /**
   * A small function's time as one LUT tree over its support, the values its LUT region starts from
   * (weighted by their arrivals, as in `cone`); Infinity where the support is too large to bound.
   */
  private tree(v: number, at: number): number {
    const { supportStart, supportList, supportWeight } = this.g;
    const [start, end] = [supportStart[v]!, supportStart[v + 1]!];
    if (start === end) return Infinity;
    const { L, lnK, stage, late } = this;
    const time = (x: number) => (at >= 0 && stage![x]! < at ? 0 : late[x]!);
    let top = -Infinity;
    for (let k = start; k < end; k++) top = Math.max(top, time(supportList[k]!));
    let sum = 0;
    for (let k = start; k < end; k++) {
      sum += supportWeight[k]! * Math.exp(((time(supportList[k]!) - top) / L) * lnK);
    }
    return top + (L * Math.log(Math.max(1, sum))) / lnK;
  }

  /** A cone's output time over its leaves; `bits`: leaves per operand (a reduction reads every bit). */
  private cone(
    v: number,
    times: Float64Array,
    tops: Float64Array,
    potentials: Float64Array,
    bits: number,
    at: number,
  ): number {
    const { argStart, argList, merged } = this.g;
    const { L, lnK, stage } = this;
    let top = -Infinity;
    for (let k = argStart[v]!; k < argStart[v + 1]!; k++) {
      const x = argList[k]!;
      const registered = at >= 0 && stage![x]! < at;
      top = Math.max(top, merged[k] === 1 && !registered ? tops[x]! : registered ? 0 : times[x]!);
    }
    let sum = 0;
    for (let k = argStart[v]!; k < argStart[v + 1]!; k++) {
      const x = argList[k]!;
      const registered = at >= 0 && stage![x]! < at;
      sum +=
        bits *
        (merged[k] === 1 && !registered
          ? potentials[x]! * Math.exp(((tops[x]! - top) / L) * lnK)
          : Math.exp((((registered ? 0 : times[x]!) - top) / L) * lnK));
    }
    tops[v] = top;
    potentials[v] = sum;
    return top + (L * Math.log(sum)) / lnK;
  }
}

/**
 * The clock period (ns) a path of `pathNs` of logic needs: the register's fixed cost plus the path
 * stretched by the path exponent (a long path spreads over more of the die, docs/timing.md#model).
 */
export function pathPeriodNs(model: DelayModel, pathNs: number): number {
  return model.registerNs + 5 * (pathNs / 5) ** model.pathExponent;
}

/** The longest path delay (ns, before the path exponent) that fits a clock period: pathPeriodNs inverted. */
export function pathBudgetNs(model: DelayModel, periodNs: number): number {
  return periodNs <= model.registerNs
    ? 0
    : 5 * ((periodNs - model.registerNs) / 5) ** (1 / model.pathExponent);
}

/**
 * Estimate a unit's Fmax on a target, as measured inside bitsmith's registered-I/O wrapper: every
 * input comes from a register and every output goes to one (docs/timing.md).
 */
export function estimateFmax(
  module: Module,
  target: TimingTarget,
  model: DelayModel = DELAY_MODELS[target],
): TimingEstimate {
  const g = compiledFor(module, model);
  const arrivals = new Arrivals(g, model);
  for (let v = 0; v < g.op.length; v++) arrivals.arrive(v);
  const { late, origin, latestArg } = arrivals;

  const endpoints = g.graph.endpoints;
  let worst = -1;
  for (let e = 0; e < endpoints.length; e++)
    if (worst < 0 || late[g.endpoint[e]!]! > late[g.endpoint[worst]!]!) worst = e;
  const end = endpoints[worst];
  // A longer path spreads over more of the die: its routing grows faster than its logic (pathExponent).
  const periodNs = pathPeriodNs(model, end === undefined ? 0 : late[end.vertex]!);
  const start = end === undefined ? -1 : origin[end.vertex]!;
  const path: { name: string; ns: number }[] = [];
  for (let v = end?.vertex ?? -1; v >= 0; v = latestArg[v]!) {
    if (path[0]?.name !== g.graph.vertices[v]!.name)
      path.unshift({ name: g.graph.vertices[v]!.name, ns: late[v]! });
  }
  return {
    target,
    mhz: 1000 / periodNs,
    periodNs,
    from: start < 0 ? '(constant)' : g.graph.vertices[start]!.name,
    to: end?.name ?? '(none)',
    loop: end?.register !== undefined && end.register === start,
    path,
  };
}
