import { constantNodes, type Module, type Node } from '../hdl/ir.ts';
import { mapNode, type Mapped, type Mapping } from './features.ts';

/**
 * A design flattened for timing: one vertex per operation of every module in the hierarchy, in a
 * topological order. Registers (and the top's inputs) are where paths start; their next values and
 * load enables, memory write ports and the top's outputs are where paths end. A child's ports are
 * wires, so a path runs on through instances.
 */
export interface TimingGraph {
  readonly vertices: readonly Vertex[];
  readonly endpoints: readonly Endpoint[];
  /** The vertex of each of the top module's nodes (-1 for a node no path reaches). */
  readonly topVertex: readonly number[];
}

export interface Vertex {
  readonly mapped: Mapped | { op: 'source'; bram: boolean };
  readonly args: readonly number[];
  readonly width: number;
  /** The value's name, with its instance path. */
  readonly name: string;
  /** Word-level uses: a vertex used once can be merged into its user's LUT cone. */
  uses: number;
  /** log2 of the loads one of its bits drives (routing grows with the spread). */
  fanout: number;
  /** The top module's instance whose hierarchy the vertex is in, or -1 for the top's own logic. */
  readonly instance: number;
}

export interface Endpoint {
  readonly vertex: number;
  /** What the path ends at: `acc_q` (next value), `acc_q (enable)`, `y` (output port), `mem (write)`. */
  readonly name: string;
  /** For a register's next value or enable: the vertex that reads the register (a loop returns to it). */
  readonly register?: number;
}

export function timingGraph(top: Module, map: Mapping): TimingGraph {
  const vertices: Vertex[] = [];
  const endpoints: Endpoint[] = [];
  let instance = -1;
  const add = (mapped: Vertex['mapped'], args: number[], width: number, name: string) =>
    vertices.push({ mapped, args, width, name, uses: 0, fanout: 0, instance }) - 1;
  let topVertex: number[] = [];

  const flatten = (m: Module, path: string, driven: ReadonlyMap<string, number>): Map<string, number> => {
    const at: number[] = new Array(m.nodes.length).fill(-1);
    if (m === top) topVertex = at;
    const constant = constantNodes(m.nodes);
    const label = (n: Node) => `${path}${n.name ?? `${n.kind}#${n.id}`}`;
    const childOutputs = new Map<number, Map<string, number>>();
    const forward: { wire: number; node: number }[] = [];
    const memoryLoads = new Set(
      m.registers.filter((r) => m.nodes[r.next]!.kind === 'memrd').map((r) => r.read),
    );
    for (const n of m.nodes) {
      if (n.kind === 'input') {
        at[n.id] = driven.get(n.port!) ?? add({ op: 'source', bram: false }, [], n.type.width, label(n));
      } else if (n.kind === 'reg') {
        const name = `${path}${m.registers[n.reg!]!.name}`;
        at[n.id] = add({ op: 'source', bram: memoryLoads.has(n.id) }, [], n.type.width, name);
      } else if (n.kind === 'instout') {
        if (!childOutputs.has(n.inst!)) {
          const inst = m.instances[n.inst!]!;
          // An input driven from a later node (a forward wire) enters through a wire vertex, patched below.
          const inputs = new Map(
            [...inst.inputs].map(([port, id]) => {
              if (at[id] !== -1) return [port, at[id]!];
              const wire = add({ op: 'wire' }, [], m.nodes[id]!.type.width, `${path}${inst.name}.${port}`);
              forward.push({ wire, node: id });
              return [port, wire];
            }),
          );
          const outer = instance;
          if (m === top) instance = n.inst!;
          childOutputs.set(n.inst!, flatten(inst.module, `${path}${inst.name}.`, inputs));
          instance = outer;
        }
        at[n.id] = childOutputs.get(n.inst!)!.get(n.port!)!;
      } else if (constant[n.id]) {
        at[n.id] = add({ op: 'const' }, [], n.type.width, label(n));
      } else {
        const mapped = mapNode(
          n,
          n.args.map((a) => m.nodes[a]!.type.width),
          n.args.map((a) => constant[a]!),
          map,
        );
        at[n.id] = add(
          mapped,
          n.args.map((a) => at[a]!),
          n.type.width,
          label(n),
        );
      }
    }
    for (const { wire, node } of forward.splice(0)) (vertices[wire]!.args as number[]).push(at[node]!);
    for (const r of m.registers) {
      endpoints.push({ vertex: at[r.next]!, name: `${path}${r.name}`, register: at[r.read]! });
      if (r.enable !== undefined)
        endpoints.push({ vertex: at[r.enable]!, name: `${path}${r.name} (enable)`, register: at[r.read]! });
    }
    for (const mem of m.memories) {
      for (const id of [mem.write.enable, mem.write.address, mem.write.data])
        endpoints.push({ vertex: at[id]!, name: `${path}${mem.name} (write)` });
    }
    const outputs = new Map<string, number>();
    for (const p of m.ports) if (p.direction === 'output') outputs.set(p.name, at[p.driver!]!);
    return outputs;
  };

  const outputs = flatten(top, '', new Map());
  for (const [name, v] of outputs) endpoints.push({ vertex: v, name });
  const graph: { vertices: Vertex[]; endpoints: Endpoint[]; topVertex: number[] } = vertices.some((v, i) =>
    v.args.some((a) => a > i),
  )
    ? sortTopologically(vertices, endpoints, topVertex)
    : { vertices, endpoints, topVertex };
  countLoads(graph.vertices, graph.endpoints);
  mergeCarryIns(graph.vertices);
  return graph;
}

/**
 * A one-bit value added to a sum that nothing else reads is that sum's carry-in: Yosys (alumacc)
 * merges the two additions into one chain, so the second enters no chain of its own (`chains: 0`).
 */
function mergeCarryIns(vertices: Vertex[]): void {
  const isAdd = (x: number) => {
    const m = vertices[x]!.mapped;
    return m.op === 'carry' && !m.compare && m.chains <= 1;
  };
  // One bit, extended or cast any number of times.
  const oneBit = (x: number): boolean => {
    const { width, mapped, args } = vertices[x]!;
    return width === 1 || (mapped.op === 'wire' && args.length === 1 && oneBit(args[0]!));
  };
  vertices.forEach((v, i) => {
    if (!isAdd(i) || v.args.length !== 2) return;
    const [x, y] = v.args as [number, number];
    const sum = oneBit(y) ? x : oneBit(x) ? y : -1;
    if (sum < 0 || !isAdd(sum) || vertices[sum]!.uses !== 1 || vertices[sum]!.width !== v.width) return;
    vertices[i] = { ...v, mapped: { ...(v.mapped as Mapped & { op: 'carry' }), chains: 0 } };
  });
}

/** Renumber a graph whose forward wires point at later vertices, so that every vertex follows its args. */
function sortTopologically(vertices: Vertex[], endpoints: Endpoint[], topVertex: number[]) {
  const order: number[] = [];
  const seen = new Uint8Array(vertices.length);
  // Depth-first without recursion: flattened chains run deeper than the call stack.
  for (let root = 0; root < vertices.length; root++) {
    if (seen[root]) continue;
    const stack: [number, number][] = [[root, 0]];
    seen[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const args = vertices[top[0]]!.args;
      if (top[1] < args.length) {
        const a = args[top[1]++]!;
        if (!seen[a]) {
          seen[a] = 1;
          stack.push([a, 0]);
        }
      } else {
        order.push(top[0]);
        stack.pop();
      }
    }
  }
  const index = new Int32Array(vertices.length);
  order.forEach((old, i) => (index[old] = i));
  return {
    vertices: order.map((old) => ({ ...vertices[old]!, args: vertices[old]!.args.map((a) => index[a]!) })),
    endpoints: endpoints.map((e) => ({
      ...e,
      vertex: index[e.vertex]!,
      ...(e.register === undefined ? {} : { register: index[e.register]! }),
    })),
    topVertex: topVertex.map((v) => (v < 0 ? v : index[v]!)),
  };
}

/**
 * Count each vertex's uses, and the loads its bits drive: one per use, or the user's whole width where
 * one bit steers every bit of it (a mux select, a shift amount, a multiplier operand, an enable).
 * Wires pass their loads on to the value they carry.
 */
function countLoads(vertices: Vertex[], endpoints: readonly Endpoint[]): void {
  const loads = new Float64Array(vertices.length);
  for (const e of endpoints) {
    vertices[e.vertex]!.uses++;
    loads[e.vertex]! += e.name.endsWith('(enable)') ? vertices[e.register!]!.width : 1;
  }
  for (let v = vertices.length - 1; v >= 0; v--) {
    const { mapped, args, width } = vertices[v]!;
    args.forEach((a, i) => {
      vertices[a]!.uses++;
      const broadcast =
        (mapped.op === 'lut' && mapped.select && i === 0) || (mapped.op === 'shift' && i === 1);
      loads[a]! += mapped.op === 'wire' ? Math.max(1, loads[v]!) : broadcast ? width : 1;
    });
  }
  vertices.forEach((vx, v) => (vx.fanout = vx.mapped.op === 'wire' ? 0 : Math.log2(Math.max(1, loads[v]!))));
}
