// The policies of the two external references, so a golden model can be configured to reproduce them.

import { floatLayout } from './float-layout.ts';
import type { Format } from './format.ts';
import type { Policy } from './policy.ts';

/** Berkeley SoftFloat 3e, RISC-V specialization (the TestFloat vectors). */
export const TESTFLOAT_POLICY: Policy = Object.freeze({
  rounding: 'rne',
  overflow: 'ieee',
  subnormals: 'keep',
  tininess: 'after',
  nan: 'canonical',
});

export type MlDtypesMode = 'default' | 'saturate' | 'truncate';

/**
 * ml_dtypes 0.6.0 conversions from a wider float: RNE (or truncation), overflow to the target's
 * infinity() — Inf, NaN for e4m3fn/fnuz/e8m0, ±max for fp6/fp4 — or ±max when saturating (an Inf input
 * still gives infinity()); NaN keeps its sign, and fp6/fp4 take their "quiet_NaN()", the -0 code.
 * Integers truncate and wrap. ml_dtypes' e8m0fnu quirk on f32 subnormals is not reproduced (see the
 * conformance test).
 */
export function mlDtypesPolicy(format: Format, mode: MlDtypesMode = 'default'): Policy {
  const perFormat = cache.get(format) ?? new Map<MlDtypesMode, Policy>();
  cache.set(format, perFormat);
  let policy = perFormat.get(mode);
  if (!policy) {
    policy = Object.freeze(buildMlDtypesPolicy(format, mode));
    perFormat.set(mode, policy);
  }
  return policy;
}

// One frozen object per format and mode, so resolvePolicy's per-object cache hits.
const cache = new WeakMap<Format, Map<MlDtypesMode, Policy>>();

function buildMlDtypesPolicy(format: Format, mode: MlDtypesMode): Policy {
  const rounding = mode === 'truncate' ? 'rtz' : 'rne';
  if (format.kind !== 'float')
    return { rounding: 'rtz', overflow: mode === 'saturate' ? 'saturate' : 'wrap' };
  const layout = floatLayout(format);
  const nonSaturating = layout.hasInf ? 'inf' : layout.hasNaN ? 'nan' : 'saturate';
  return {
    rounding,
    overflow: mode === 'saturate' ? 'saturate' : nonSaturating,
    subnormals: 'keep',
    nan: layout.hasNaN ? 'signed' : 'negative-zero-code',
    infInput: layout.hasNaN ? 'nan' : 'max',
  };
}
