import type { ModuleBuilder } from './hdl/module.ts';

/**
 * Where a generator with `latency` stages cuts its pipeline: the first `latency` of its cut points,
 * taken in the order that balances timing best (`byPriority`). `at(point)` places a cut there;
 * `has(point)` tells whether it will (a block built differently around a cut, e.g. a split multiplier).
 */
export function pipelineCuts<T extends string>(m: ModuleBuilder, latency: number, byPriority: readonly T[]) {
  const chosen = new Set(byPriority.slice(0, latency));
  return {
    at(point: T): void {
      if (chosen.has(point)) m.stage();
    },
    has(point: T): boolean {
      return chosen.has(point);
    },
  };
}
