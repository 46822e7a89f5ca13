import { MULTIPLIERS } from './arith/multiplier.ts';
import { choiceParam } from './generator.ts';

/**
 * The `multiplier` parameter of a unit with an integer product (see arith/multiplier.ts). Optional, like
 * fp_add's operandOrder: left out, it is auto and stays out of the file header, so that the Verilog of
 * units written before it existed is unchanged.
 */
export function multiplierParam() {
  return choiceParam(MULTIPLIERS)
    .optional()
    .describe(
      'How the integer product is built: behavioural (Verilog *, DSP blocks where synthesis may use them), booth4 (radix-4 Booth rows summed on carry chains, for LUTs without DSPs), auto (the default: behavioural, or shift-and-add for significands of 4 bits or fewer; booth4 when fmax is judged on ice40, which has no DSP blocks).',
    );
}
