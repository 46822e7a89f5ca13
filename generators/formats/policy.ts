// Encoding policy: rounding, overflow, subnormals, tininess and what NaN and Inf inputs become.
// Every field is optional; resolvePolicy() fills the defaults of docs/ieee-and-fp8.md#policy for the target
// format and rejects a choice the format cannot honour, naming the parameter, the value and what is allowed.

import { z } from 'zod';
import { floatLayout } from './float-layout.ts';
import type { Format } from './format.ts';
import { ROUNDING_MODES, type RoundingMode } from './rounding.ts';

/**
 * saturate: ±largest finite value. inf: ±Inf whatever the rounding direction (ml_dtypes, CUDA non-saturating).
 * ieee: IEEE 754 §7.4 — ±Inf, or the largest finite value when the rounding direction points toward zero.
 * nan: NaN (e4m3fn and fnuz non-saturating conversions). wrap: modulo 2^bits (integers; ml_dtypes intN).
 */
export const OVERFLOW_MODES = ['saturate', 'inf', 'ieee', 'nan', 'wrap'] as const;
/**
 * What a NaN input becomes. canonical: the format's positive canonical NaN (TestFloat, RISC-V).
 * signed: the quiet NaN with the input's sign (ml_dtypes). max: ±largest finite value, with the NaN's sign.
 * zero: +0. negative-zero-code: the -0 code, or +0 for a negative NaN (ml_dtypes' fp6/fp4, whose quiet_NaN() is -0).
 */
export const NAN_MODES = ['canonical', 'signed', 'max', 'zero', 'negative-zero-code'] as const;
/** What ±Inf becomes in a format without Inf: NaN, or ±largest finite value. */
export const INF_INPUT_MODES = ['nan', 'max'] as const;
export const SUBNORMAL_MODES = ['keep', 'flush'] as const;
export const TININESS_MODES = ['before', 'after'] as const;

export const policySchema = z
  .object({
    rounding: z.enum(ROUNDING_MODES).optional(),
    overflow: z.enum(OVERFLOW_MODES).optional(),
    /** flush: a tiny result (as `tininess` detects it) becomes ±0; arithmetic on codes also reads subnormal inputs as 0. */
    subnormals: z.enum(SUBNORMAL_MODES).optional(),
    /** Whether tininess (for the underflow flag and flushing) is judged before or after rounding. */
    tininess: z.enum(TININESS_MODES).optional(),
    nan: z.enum(NAN_MODES).optional(),
    infInput: z.enum(INF_INPUT_MODES).optional(),
  })
  .strict();

export type Policy = z.input<typeof policySchema>;
export type OverflowMode = (typeof OVERFLOW_MODES)[number];
export type NaNMode = (typeof NAN_MODES)[number];

export interface ResolvedPolicy {
  readonly rounding: RoundingMode;
  readonly overflow: OverflowMode;
  readonly subnormals: (typeof SUBNORMAL_MODES)[number];
  readonly tininess: (typeof TININESS_MODES)[number];
  readonly nan: NaNMode;
  readonly infInput: (typeof INF_INPUT_MODES)[number];
}

interface Capabilities {
  overflow: OverflowMode[];
  nan: NaNMode[];
  infInput: ResolvedPolicy['infInput'][];
  why: Partial<Record<string, string>>;
}

function capabilities(format: Format): Capabilities {
  if (format.kind === 'int') {
    return {
      overflow: ['saturate', 'wrap'],
      nan: ['zero', 'max'],
      infInput: ['max'],
      why: { any: 'an integer format has no Inf or NaN' },
    };
  }
  if (format.kind === 'codebook') {
    const hasZero = format.values.some((v) => v === 0);
    return {
      overflow: ['saturate'],
      nan: hasZero ? ['zero', 'max'] : ['max'],
      infInput: ['max'],
      why: { any: 'a codebook has no Inf or NaN', zero: 'it has no zero' },
    };
  }
  const layout = floatLayout(format);
  const overflow: OverflowMode[] = ['saturate'];
  if (layout.hasInf) overflow.push('inf', 'ieee');
  if (layout.hasNaN) overflow.push('nan');
  const nan: NaNMode[] = layout.hasNaN ? ['canonical', 'signed', 'max'] : ['max'];
  if (layout.hasZero) nan.push('zero');
  if (layout.hasNegativeZero) nan.push('negative-zero-code');
  const why = {
    inf: 'it has no Inf',
    ieee: 'it has no Inf',
    nan: 'it has no NaN',
    canonical: 'it has no NaN',
    signed: 'it has no NaN',
    zero: 'it has no zero',
    'negative-zero-code': 'it has no -0 code',
    wrap: 'wrapping is for integer formats',
  };
  return { overflow, nan, infInput: layout.hasNaN ? ['nan', 'max'] : ['max'], why };
}

function defaults(
  format: Format,
  overflow: OverflowMode | undefined,
): Omit<ResolvedPolicy, 'rounding' | 'subnormals' | 'tininess'> {
  if (format.kind !== 'float') {
    const hasZero = format.kind === 'int' || format.values.some((v) => v === 0);
    return { overflow: overflow ?? 'saturate', nan: hasZero ? 'zero' : 'max', infInput: 'max' };
  }
  const layout = floatLayout(format);
  const chosen = overflow ?? (layout.bits <= 8 || !layout.hasInf ? 'saturate' : 'ieee');
  return {
    overflow: chosen,
    nan: layout.hasNaN ? 'canonical' : 'max',
    infInput: layout.hasNaN && chosen !== 'saturate' ? 'nan' : 'max',
  };
}

function check<T extends string>(
  format: Format,
  parameter: string,
  value: T,
  allowed: readonly T[],
  why: Capabilities['why'],
): void {
  if (allowed.includes(value)) return;
  const reason = why[value] ?? why.any;
  throw new Error(
    `policy.${parameter} = '${value}' is not possible for ${format.name}${reason ? `: ${reason}` : ''}; allowed: ${allowed.join(', ')}`,
  );
}

function resolveUncached(format: Format, policy: Policy): ResolvedPolicy {
  const parsed = policySchema.safeParse(policy);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `policy.${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid policy for ${format.name}: ${problems.join('; ')}`);
  }
  const p = parsed.data;
  const caps = capabilities(format);
  const fallback = defaults(format, p.overflow);
  const resolved: ResolvedPolicy = {
    rounding: p.rounding ?? 'rne',
    overflow: fallback.overflow,
    subnormals: p.subnormals ?? 'keep',
    tininess: p.tininess ?? 'after',
    nan: p.nan ?? fallback.nan,
    infInput: p.infInput ?? fallback.infInput,
  };
  check(format, 'overflow', resolved.overflow, caps.overflow, caps.why);
  check(format, 'nan', resolved.nan, caps.nan, caps.why);
  check(format, 'infInput', resolved.infInput, caps.infInput, caps.why);
  return Object.freeze(resolved);
}

const cache = new WeakMap<Format, WeakMap<Policy, ResolvedPolicy>>();
const NO_POLICY: Policy = {};

/** The complete policy for a format: given fields checked against what the format can do, the rest defaulted. */
export function resolvePolicy(format: Format, policy: Policy = NO_POLICY): ResolvedPolicy {
  let perFormat = cache.get(format);
  if (!perFormat) {
    perFormat = new WeakMap();
    cache.set(format, perFormat);
  }
  let resolved = perFormat.get(policy);
  if (!resolved) {
    resolved = resolveUncached(format, policy);
    perFormat.set(policy, resolved);
  }
  return resolved;
}
