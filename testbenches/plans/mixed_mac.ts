import { decode, formatByName, type FloatFormat } from '../../generators/formats/index.ts';
import { outputPolicy } from '../../generators/float-params.ts';
import { MIXED_WEIGHTS, specialValuesOf, type MixedMacParams } from '../../generators/mac/mixed_mac.ts';
import { mixedMacGolden, type MixedMacSpec, type MixedMacStep } from '../golden/mixed_mac.ts';
import { codeNearExponent, cornerCodes, randomCode } from '../vectors/floats.ts';
import { Random } from '../vectors/random.ts';
import { describeFloatCode } from './float-decode.ts';
import type { PlannedVectors, VerificationPlan } from './plan.ts';

const DEFAULT_SEQUENCE = 100_000;

export function mixedMacSpec(p: MixedMacParams): MixedMacSpec {
  return {
    weight: p.weight,
    activation: p.activation,
    scale: p.scale,
    outFormat: p.outFormat,
    group: p.group,
    policy: outputPolicy(p),
    specialValues: specialValuesOf(p),
    inner: p.inner ?? 'exact',
  };
}

/**
 * mixed_mac: seeded accumulation sequences over many complete groups, with rare clears (which also
 * restart the group), every weight code, activations mostly finite and near 1 with corner codes mixed
 * in (NaN and Inf rarely: each poisons the sum until the next clear), scales near an exponent drawn per
 * segment (AWQ scales are small; the sums span the output's range), and random zero points and RaZeR special-value indexes
 * on every step (so that the step each is read on matters: the last element of a group with exact inner
 * sums, the first with fp32 ones).
 */
export const mixedMacPlan: VerificationPlan<MixedMacParams> = {
  generator: 'mixed_mac',
  vectors(p, request, seed) {
    if (request.kind === 'exhaustive')
      throw new Error('mixed_mac: sequences have no exhaustive set; use default or random:N');
    const count = request.kind === 'random' ? request.count : DEFAULT_SEQUENCE;
    const rng = new Random(seed);
    const fa = formatByName(p.activation) as FloatFormat;
    const fs = formatByName(p.scale) as FloatFormat;
    const corners = cornerCodes(fa);
    const { zeroPoint, specialValues } = MIXED_WEIGHTS[p.weight];
    const steps: MixedMacStep[] = [];
    // Each segment (from a clear) scales near an exponent of its own, so that its sums reach from below
    // the output's normal range to past its largest value.
    let center = -6;
    for (let i = 0; i < count; i++) {
      const clear = i === 0 || rng.chance(0.0005);
      if (clear) center = -28 + rng.below(35);
      const pick = rng.float();
      let a =
        pick < 0.002
          ? randomCode(rng, fa)
          : pick < 0.01
            ? rng.pick(corners)
            : codeNearExponent(rng, fa, 0, 4);
      // A NaN or Inf activation poisons the sum until the next clear: keep one in 20, so that most of
      // the sequence checks finite sums.
      if (decode(fa, a).kind !== 'finite' && !rng.chance(0.05)) a = codeNearExponent(rng, fa, 0, 4);
      steps.push({
        w: rng.below(16),
        a,
        clear,
        s: codeNearExponent(rng, fs, center, 3),
        z: rng.below(16),
        // Drawn for RaZeR only, so the other weights keep their sequences.
        sv: specialValues ? rng.below(4) : 0,
      });
    }
    const results = mixedMacGolden(mixedMacSpec(p), steps);
    const vectors: PlannedVectors = {
      inputs: ['w', 'a', 'clear', 's', ...(zeroPoint ? ['z'] : []), ...(specialValues ? ['sv'] : [])],
      outputs: ['y'],
      stimulus: steps.map((s) => [
        BigInt(s.w),
        BigInt(s.a),
        s.clear ? 1n : 0n,
        BigInt(s.s),
        ...(zeroPoint ? [BigInt(s.z)] : []),
        ...(specialValues ? [BigInt(s.sv ?? 0)] : []),
      ]),
      expected: results.map((code) => [BigInt(code)]),
      description: `${count}-step random sequence (seed ${seed}, groups of ${p.group}${p.inner === 'fp32' ? ', fp32 inner sums' : ''})`,
    };
    return vectors;
  },
  decode(port, bits, p) {
    if (port === 'a') return describeFloatCode(p.activation, bits);
    if (port === 's') return describeFloatCode(p.scale, bits);
    if (port === 'y') return describeFloatCode(p.outFormat, bits);
    if (port === 'sv') return `${bits} (SV ${specialValuesOf(p)[Number(bits)]})`;
    return bits.toString();
  },
};
