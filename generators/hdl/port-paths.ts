import type { Module } from './ir.ts';

const known = new WeakMap<Module, ReadonlyMap<string, ReadonlySet<string>>>();

/**
 * For each output port, the input ports that reach it without passing through a register: the paths
 * that make an instance's output depend on its inputs in the same cycle. A sequential block whose
 * outputs all come from registers has none, so a parent may feed its outputs back into its inputs
 * (forward wires, `ModuleBuilder.wire`) without forming a loop.
 */
export function combinationalInputs(module: Module): ReadonlyMap<string, ReadonlySet<string>> {
  const cached = known.get(module);
  if (cached !== undefined) return cached;
  // Final modules list nodes so that an instance output follows the inputs that reach it (lower.ts),
  // though not always its other inputs: a forward wire may feed one back from a later node.
  const reach: ReadonlySet<string>[] = [];
  const none: ReadonlySet<string> = new Set();
  for (const n of module.nodes) {
    if (n.kind === 'input') reach[n.id] = new Set([n.port!]);
    else if (n.kind === 'reg' || n.kind === 'const') reach[n.id] = none;
    else if (n.kind === 'instout') {
      const inst = module.instances[n.inst!]!;
      const through = combinationalInputs(inst.module).get(n.port!) ?? none;
      reach[n.id] = union([...through].map((port) => reach[inst.inputs.get(port)!]!));
    } else reach[n.id] = union(n.args.map((a) => reach[a]!));
  }
  const map = new Map<string, ReadonlySet<string>>();
  for (const p of module.ports) if (p.direction === 'output') map.set(p.name, reach[p.driver!]!);
  known.set(module, map);
  return map;
}

function union(sets: ReadonlySet<string>[]): ReadonlySet<string> {
  const nonEmpty = sets.filter((s) => s.size > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? new Set();
  return new Set(nonEmpty.flatMap((s) => [...s]));
}
