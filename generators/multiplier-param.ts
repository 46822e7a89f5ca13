import { MULTIPLIERS } from './arith/multiplier.ts';
import { choiceParam } from './generator.ts';

/** The `multiplier` parameter of a unit with an integer product (see arith/multiplier.ts). */
export function multiplierParam() {
  return choiceParam(MULTIPLIERS)
    .default('auto')
    .describe(
      'How the integer product is built: behavioural (Verilog *, DSP blocks where synthesis may use them), booth4 (radix-4 Booth rows summed on carry chains, for LUTs without DSPs), auto (behavioural).',
    );
}

/** A file header records `multiplier` only when it is not 'auto', so that default output stays as it was. */
export function withoutAutoMultiplier<P extends { multiplier: string }>(p: P): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(p).filter(([key, value]) => !(key === 'multiplier' && value === 'auto')),
  );
}
