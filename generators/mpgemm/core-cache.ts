// One gemv core per parameter object, so that a unit's RTL and its HLS form share one elaboration
// (generators/gemv/gemv.ts caches by the core's parameter object).
import type { GemvParams } from '../gemv/gemv.ts';

export function coreCache<P extends object>(make: (p: P) => GemvParams): (p: P) => GemvParams {
  const cores = new WeakMap<P, GemvParams>();
  return (p) => {
    if (!cores.has(p)) cores.set(p, make(p));
    return cores.get(p)!;
  };
}
