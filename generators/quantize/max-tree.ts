import { mux, type Signal } from '../hdl/signal.ts';

/** The largest of values (all signed or all unsigned), as a balanced tree of comparisons; `cut` after its third level. */
export function maxTree(values: Signal[], name: string, cut?: () => void): Signal {
  let level = values;
  let depth = 0;
  while (level.length > 1) {
    if (depth === 3) cut?.();
    const next: Signal[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const [a, b] = [level[i]!, level[i + 1]];
      next.push(b === undefined ? a : mux(a.lt(b), b, a).named(`${name}_t${depth}_${i / 2}`));
    }
    level = next;
    depth++;
  }
  return level[0]!.named(name);
}
