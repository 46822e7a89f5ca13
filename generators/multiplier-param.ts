import { MULTIPLIERS, type Multiplier } from './arith/multiplier.ts';
import { choiceParam } from './generator.ts';

/**
 * The `multiplier` parameter of a unit with an integer product (see arith/multiplier.ts). Optional, like
 * fp_add's operandOrder: left out, it is auto and stays out of the file header, so that the Verilog of
 * units written before it existed is unchanged. `withoutDsp` is what auto becomes for a clock request
 * judged on a target without DSP blocks (generators/timing/choose-latency.ts); auto keeps the unit's
 * own choice there.
 */
export function multiplierParam(withoutDsp: Multiplier = 'auto') {
  const onLuts =
    withoutDsp === 'auto' ? '' : `; ${withoutDsp} when fmax is judged on ice40, which has no DSP blocks`;
  return choiceParam(MULTIPLIERS)
    .optional()
    .meta({ withoutDsp })
    .describe(
      `How the integer product is built: behavioural (Verilog *, DSP blocks where synthesis may use them), booth4 (radix-4 Booth rows summed on carry chains, for LUTs without DSPs), auto (the default: the unit's own choice, * or shifts and adds for narrow significands${onLuts}).`,
    );
}

/** What a unit's `multiplier` parameter says auto becomes on a target without DSP blocks. */
export function multiplierWithoutDsp(schema: unknown): Multiplier {
  const meta = (schema as { meta?: () => { withoutDsp?: Multiplier } | undefined }).meta?.();
  return meta?.withoutDsp ?? 'auto';
}
