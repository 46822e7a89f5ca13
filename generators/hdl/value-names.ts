import type { Module, NodeKind } from './ir.ts';

/** The parts of a module graph that naming needs: draft and final modules both provide them. */
export interface NamingGraph {
  readonly nodes: readonly {
    readonly kind: NodeKind;
    readonly args: readonly number[];
    readonly name?: string | undefined;
    readonly inst?: number | undefined;
    readonly port?: string | undefined;
  }[];
  /** Values that leave the logic under a name: register loads, output ports, memory writes. */
  readonly sinks: readonly (readonly [id: number, name: string])[];
  /** Instance names and their input ports in the order of an instout node's args. */
  readonly instances: readonly { readonly name: string; readonly inputPorts: readonly string[] }[];
}

/**
 * Names for the values a generator left unnamed, made from the value they feed instead of from node
 * numbers, so that an edit elsewhere in the module renames nothing: a value is called after the
 * register, port or instance input it drives, or else after its first user, e.g. `a_lz_slice` and
 * `a_lz_slice_2` inside the leading-zero count that produces `a_lz`.
 */
export class ValueNames {
  private readonly owner: string[];
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly graph: NamingGraph,
    private readonly taken: Set<string>,
  ) {
    this.owner = valueOwners(graph);
  }

  /** A fresh name for node `id`, claimed so that no later call returns it again. */
  claim(id: number): string {
    const node = this.graph.nodes[id]!;
    const base = node.kind === 'instout' ? this.owner[id]! : `${this.owner[id]}_${node.kind}`;
    let count = this.counts.get(base) ?? 0;
    let name: string;
    do {
      count++;
      name = count === 1 ? base : `${base}_${count}`;
    } while (this.taken.has(name));
    this.counts.set(base, count);
    this.taken.add(name);
    return name;
  }
}

/** The name each node is called after: its own, its sink's, or its first user's. */
function valueOwners(graph: NamingGraph): string[] {
  const { nodes } = graph;
  const sink = new Map<number, string>();
  for (const [id, name] of graph.sinks) if (!sink.has(id)) sink.set(id, name);
  // First user of each node; users come later in creation (topological) order.
  const firstUse = new Int32Array(nodes.length).fill(-1);
  const firstArg = new Int32Array(nodes.length).fill(-1);
  nodes.forEach((n, user) => {
    n.args.forEach((a, i) => {
      if (firstUse[a] === -1) {
        firstUse[a] = user;
        firstArg[a] = i;
      }
    });
  });
  const owner: string[] = new Array<string>(nodes.length);
  for (let id = nodes.length - 1; id >= 0; id--) {
    const n = nodes[id]!;
    const user = firstUse[id]!;
    if (n.name !== undefined) owner[id] = n.name;
    else if (n.kind === 'instout') owner[id] = `${graph.instances[n.inst!]!.name}_${n.port}`;
    else if (sink.has(id)) owner[id] = sink.get(id)!;
    else if (user === -1 || user <= id) owner[id] = 'value';
    else if (nodes[user]!.kind === 'instout') {
      const inst = graph.instances[nodes[user]!.inst!]!;
      owner[id] = `${inst.name}_${inst.inputPorts[firstArg[id]!]}`;
    } else owner[id] = owner[user]!;
  }
  return owner;
}

/** The naming graph of a built module. */
export function moduleNamingGraph(m: Module): NamingGraph {
  const sinks: [number, string][] = [];
  for (const r of m.registers) {
    const name = m.nodes[r.read]!.name!;
    sinks.push([r.next, name]);
    if (r.enable !== undefined) sinks.push([r.enable, `${name}_load`]);
  }
  for (const p of m.ports) if (p.driver !== undefined) sinks.push([p.driver, p.name]);
  for (const mem of m.memories) {
    sinks.push([mem.write.data, `${mem.name}_wdata`], [mem.write.address, `${mem.name}_waddr`]);
    sinks.push([mem.write.enable, `${mem.name}_we`]);
  }
  const instances = m.instances.map((i) => ({ name: i.name, inputPorts: [...i.inputs.keys()] }));
  return { nodes: m.nodes, sinks, instances };
}
