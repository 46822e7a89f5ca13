import { HdlError } from '../hdl/errors.ts';
import type { Module } from '../hdl/ir.ts';
import type { DraftModule } from '../hdl/lower.ts';
import { DELAY_MODELS, MAPPINGS, type DelayModel, type TimingTarget } from './delay-model.ts';
import { Arrivals, compiledFor, OP_SOURCES, pathBudgetNs, type Compiled } from './estimate.ts';

/** A clock to place registers for, on the device whose delay model judges it. */
export interface StageRequest {
  fmax: number;
  target: TimingTarget;
  /** The delays to place with, when not the target's calibrated ones (a recorded placement replayed). */
  delays?: PlacementDelays;
}

/** A delay model's numbers, without the target's logic mapping. */
export type PlacementDelays = Omit<DelayModel, 'mapping'>;

/**
 * Place a feed-forward module's pipeline registers from the delay model (docs/timing.md#placement), as
 * FloPoCo does: every operation goes in the earliest stage its operands allow, or in the next one when
 * its path from that stage's registers would pass the clock period. A combinational child is placed
 * whole, in one stage. `draft` is the module built with no stage cuts; the result has a stage for each
 * node and the latency they need (at least 1 with backpressure, which needs a stage to hold).
 */
export function placeStages(draft: DraftModule, request: StageRequest): DraftModule {
  const why =
    draft.sequential || draft.registers.length > 0
      ? 'it holds state (registers outside the pipeline)'
      : draft.memories.length > 0
        ? 'it has memories'
        : draft.latency > 0
          ? 'it was built with stage cuts'
          : draft.instances.some((i) => i.module.timing.kind !== 'comb')
            ? 'it instances a pipelined module'
            : undefined;
  if (why !== undefined) {
    throw new HdlError(
      `module '${draft.name}': the delay model can place registers only in feed-forward logic, and ${why}`,
    );
  }
  const model =
    request.delays === undefined
      ? DELAY_MODELS[request.target]
      : { mapping: MAPPINGS[request.target], ...request.delays };
  const g = compiledFor(timingView(draft), model);
  const { vertices, topVertex } = g.graph;
  const budget = pathBudgetNs(model, 1000 / request.fmax);
  const stage = new Int32Array(vertices.length);
  const arrivals = new Arrivals(g, model, stage);
  const childStage: (number | undefined)[] = draft.instances.map(() => undefined);
  const tooSlow = (what: string, ns: number): never => {
    throw new HdlError(
      `module '${draft.name}': ${what} alone takes ${ns.toFixed(2)} ns of logic on ${request.target}, more than ` +
        `${request.fmax} MHz leaves (${budget.toFixed(2)} ns): no register placement reaches that clock`,
    );
  };

  for (let v = 0; v < vertices.length;) {
    const instance = vertices[v]!.instance;
    // The vertices [v, end): one operation of the top, or everything inside one child.
    let end = v + 1;
    if (instance >= 0) while (end < vertices.length && vertices[end]!.instance === instance) end++;
    let s = 0;
    for (let u = v; u < end; u++)
      for (let k = g.argStart[u]!; k < g.argStart[u + 1]!; k++) {
        const x = g.argList[k]!;
        if (x < v) s = Math.max(s, stage[x]!);
      }
    // A child's vertices share its stage, so only arguments from outside it can come through registers.
    const place = (at: number): number => {
      stage.fill(at, v, end);
      let slowest = 0;
      for (let u = v; u < end; u++) {
        arrivals.arrive(u, at);
        slowest = Math.max(slowest, arrivals.late[u]!);
      }
      return slowest;
    };
    if (place(s) > budget) {
      s++;
      const alone = place(s);
      if (alone > budget)
        tooSlow(
          instance >= 0 ? `instance '${draft.instances[instance]!.name}'` : `'${vertices[v]!.name}'`,
          alone,
        );
    }
    if (instance >= 0) childStage[instance] = s;
    v = end;
  }

  let latency = draft.ready === false ? 0 : 1;
  for (const e of g.graph.endpoints) latency = Math.max(latency, stage[e.vertex]!);
  sinkToFewerBits(g, arrivals, stage, budget, latency);

  // Each node's stage: its vertex's; a constant, a node no port reaches or a child's output follows its operands.
  const stages = new Int32Array(draft.nodes.length);
  for (const n of draft.nodes) {
    const vertex = topVertex[n.id]!;
    const after = Math.max(0, ...n.args.map((a) => stages[a]!));
    const constant = vertices[vertex]!.mapped.op === 'const';
    stages[n.id] =
      n.kind === 'instout' ? Math.max(after, childStage[n.inst!] ?? 0) : constant ? after : stage[vertex]!;
  }
  const inputStage = draft.instances.map((inst) => stages[[...inst.outputs.values()][0]!]!);
  return {
    ...draft,
    nodes: draft.nodes.map((n) => ({ ...n, stage: stages[n.id]! })),
    instances: draft.instances.map((inst, i) => ({ ...inst, inputStage: inputStage[i]! })),
    latency,
  };
}

/**
 * The draft as the timing graph reads a module, without lowering it: node ids stay the draft's, and a
 * node no port reaches becomes a constant, so that it neither loads nor widens anything.
 */
function timingView(draft: DraftModule): Module {
  const live = new Uint8Array(draft.nodes.length);
  const pending = draft.ports.flatMap((p) => (p.driver === undefined ? [] : [p.driver]));
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (live[id]) continue;
    live[id] = 1;
    pending.push(...draft.nodes[id]!.args);
  }
  for (const n of draft.nodes) {
    if (n.args.some((a) => a >= n.id))
      throw new HdlError(`module '${draft.name}': '${n.name ?? n.kind}' uses a value made after it`);
  }
  return {
    name: draft.name,
    origin: draft.origin,
    ports: draft.ports,
    nodes: draft.nodes.map((n) => (live[n.id] ? n : { ...n, kind: 'const', args: [], value: 0n })),
    registers: [],
    memories: [],
    instances: draft.instances.map((inst) => {
      const first = draft.nodes[[...inst.outputs.values()][0]!]!;
      return {
        name: inst.name,
        module: inst.module,
        inputs: new Map(inst.inputPorts.map((port, i) => [port, first.args[i]!])),
        outputs: inst.outputs,
      };
    }),
    timing: { kind: 'comb' },
  };
}

/**
 * Registers second: the earliest stages leave wide results computed early and carried through many
 * registers. Each operation of the top (from the last) moves to a later stage while that carries fewer
 * bits across the cut (its result is wider than the operands it would take along) and every path it
 * joins still fits the period.
 */
function sinkToFewerBits(
  g: Compiled,
  arrivals: Arrivals,
  stage: Int32Array,
  budget: number,
  latency: number,
): void {
  const { vertices } = g.graph;
  const n = vertices.length;
  const users: number[][] = vertices.map(() => []);
  const argsOf = (v: number) => g.argList.subarray(g.argStart[v]!, g.argStart[v + 1]!);
  for (let v = 0; v < n; v++) for (const x of argsOf(v)) users[x]!.push(v);
  const output = new Uint8Array(n);
  for (const e of g.graph.endpoints) output[e.vertex] = 1;
  // The last stage a value is used in: its registers carry it from its own stage to there.
  const lastUse = (x: number) =>
    users[x]!.reduce((last, u) => Math.max(last, stage[u]!), output[x] ? latency : stage[x]!);
  // Recompute v, and what uses it in stage t through logic of that stage; the slowest arrival.
  const recompute = (v: number, t: number): number => {
    const affected = new Set([v]);
    const pending = [v];
    while (pending.length > 0)
      for (const u of users[pending.pop()!]!)
        if (stage[u] === t && !affected.has(u)) (affected.add(u), pending.push(u));
    let slowest = 0;
    for (const u of [...affected].sort((a, b) => a - b)) {
      arrivals.arrive(u, stage[u]!);
      slowest = Math.max(slowest, arrivals.late[u]!);
    }
    return slowest;
  };
  for (let changed = true, rounds = 0; changed && rounds < 4; rounds++) {
    changed = false;
    for (let v = n - 1; v >= 0; v--) {
      if (vertices[v]!.instance >= 0 || g.op[v]! <= OP_SOURCES) continue;
      const limit = users[v]!.reduce(
        (first, u) => Math.min(first, stage[u]!),
        output[v] ? latency : Infinity,
      );
      while (stage[v]! < limit) {
        const s = stage[v]!;
        // Bits saved: v's result no longer crosses the cut; bits added: each operand that now must.
        let gain = vertices[v]!.width;
        for (let k = g.argStart[v]!; k < g.argStart[v + 1]! && gain > 0; k++) {
          const x = g.argList[k]!;
          if (g.argList.indexOf(x, g.argStart[v]!) === k && lastUse(x) === s) gain -= vertices[x]!.width;
        }
        if (gain <= 0) break;
        stage[v] = s + 1;
        if (recompute(v, s + 1) > budget) {
          stage[v] = s;
          recompute(v, s + 1);
          break;
        }
        changed = true;
      }
    }
  }
}
