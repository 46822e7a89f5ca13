import { z } from 'zod';
import {
  NAN_MODES,
  OVERFLOW_MODES,
  ROUNDING_MODES,
  formatByName,
  resolvePolicy,
  type FloatFormat,
  type Policy,
  type ResolvedPolicy,
} from './formats/index.ts';
import { PRESETS } from './formats/presets.ts';
import { choiceParam } from './generator.ts';

/** Names of the float presets a datapath can take as an operand. */
export const FLOAT_FORMAT_NAMES = PRESETS.filter((f) => f.kind === 'float').map((f) => f.name) as [
  string,
  ...string[],
];

/** Float formats a rounding datapath can produce (signed, with mantissa bits and subnormal encodings). */
export const ROUNDED_FORMAT_NAMES = PRESETS.filter(
  (f) => f.kind === 'float' && f.signed && f.subnormals && f.mantBits >= 1,
).map((f) => f.name) as [string, ...string[]];

export function floatFormatParam(names: readonly [string, ...string[]] = FLOAT_FORMAT_NAMES) {
  return choiceParam(names);
}

export function floatFormat(name: string): FloatFormat {
  return formatByName(name) as FloatFormat;
}

/** The rounding policy parameters every rounding datapath shares, with the defaults of docs/ieee-and-fp8.md#policy. */
export const roundingParams = {
  rounding: choiceParam(ROUNDING_MODES)
    .default('rne')
    .describe(
      'rounding mode: rne nearest-even, rna nearest-away, rnz nearest toward zero, rnd nearest down, rtz toward zero, rup toward +∞, rdown toward −∞',
    ),
  overflow: choiceParam(OVERFLOW_MODES.filter((o) => o !== 'wrap') as [string, ...string[]])
    .optional()
    .describe(
      'results beyond the largest finite value: saturate, inf, ieee (±Inf, or saturate when rounding toward zero) or nan; default saturate for 8-bit-or-narrower outputs and formats without Inf, ieee otherwise',
    ),
  outputSubnormals: choiceParam(['keep', 'flush'])
    .default('keep')
    .describe('keep: gradual underflow; flush: tiny results become ±0.'),
  tininess: choiceParam(['after', 'before'])
    .default('after')
    .describe('underflow is detected after rounding (IEEE 754 default, as x86 and Arm) or before it'),
  nan: choiceParam(NAN_MODES)
    .optional()
    .describe(
      'NaN results: canonical quiet NaN (default where the format has NaN), or for formats without NaN max (default) or zero.',
    ),
};

export interface RoundingParams {
  rounding: string;
  overflow?: string | undefined;
  outputSubnormals: string;
  tininess: string;
  nan?: string | undefined;
}

export function outputPolicy(p: RoundingParams): Policy {
  return {
    rounding: p.rounding as Policy['rounding'],
    ...(p.overflow === undefined ? {} : { overflow: p.overflow as Policy['overflow'] }),
    subnormals: p.outputSubnormals as Policy['subnormals'],
    tininess: p.tininess as Policy['tininess'],
    ...(p.nan === undefined ? {} : { nan: p.nan as Policy['nan'] }),
  };
}

/**
 * Check a policy against the output format inside a zod refinement: a choice the format cannot honour
 * becomes an issue on the generator's own parameter, with the format library's reason.
 */
export function checkOutputPolicy(p: RoundingParams & { outFormat: string }, ctx: z.RefinementCtx): void {
  try {
    resolvePolicy(floatFormat(p.outFormat), outputPolicy(p));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const field = /policy\.(\w+)/.exec(message)?.[1];
    const param = field === 'subnormals' ? 'outputSubnormals' : (field ?? 'outFormat');
    ctx.addIssue({
      code: 'custom',
      path: [param],
      message: message.replace(/^policy\.\w+ = '[^']*' is /, 'is '),
    });
  }
}

export function resolvedOutputPolicy(p: RoundingParams & { outFormat: string }): ResolvedPolicy {
  return resolvePolicy(floatFormat(p.outFormat), outputPolicy(p));
}

/** Module-name suffixes for the policy choices that differ from the defaults. */
export function policyTag(p: RoundingParams): string {
  const parts: string[] = [];
  if (p.rounding !== 'rne') parts.push(p.rounding);
  if (p.overflow !== undefined) parts.push(`ovf${p.overflow}`);
  if (p.outputSubnormals === 'flush') parts.push('ftz');
  if (p.tininess === 'before') parts.push('tb');
  if (p.nan !== undefined) parts.push(`nan${p.nan.replace(/-/g, '')}`);
  return parts.map((x) => `_${x}`).join('');
}
