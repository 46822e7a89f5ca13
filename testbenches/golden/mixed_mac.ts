// Golden model of the W4A16 MAC, from SPEC §7.1: y = Σ_g s_g · (Σ_{k∈g} a_k·q_k − z_g·Σ_{k∈g} a_k).
// Group sums are exact integers; each group's exact value s_g·D_g enters the outer sum with one IEEE
// addition (one rounding). A NaN or infinite activation makes its group NaN (the generator's policy).
import {
  add,
  decode,
  finite,
  formatByName,
  inf,
  nan,
  type ExactValue,
  type Policy,
} from '../../generators/formats/index.ts';

export interface MixedMacSpec {
  weight: 'int4' | 'uint4' | 'e2m1fn';
  activation: string;
  scale: string;
  outFormat: string;
  group: number;
  policy: Policy;
}

export interface MixedMacStep {
  w: number;
  a: number;
  clear: boolean;
  s: number;
  z: number;
}

/** A weight code's value as (integer, exponent): value = integer · 2^exponent. */
function weightValue(weight: MixedMacSpec['weight'], code: number): { n: bigint; exp: number } {
  if (weight === 'int4') return { n: BigInt(code >= 8 ? code - 16 : code), exp: 0 };
  if (weight === 'uint4') return { n: BigInt(code), exp: 0 };
  const magnitudes = [0, 0.5, 1, 1.5, 2, 3, 4, 6];
  const v = magnitudes[code & 7]! * (code & 8 ? -1 : 1);
  return { n: BigInt(v * 2), exp: -1 };
}

/** value = integer · 2^exp with a common exponent, for exact sums. */
function asInteger(v: ExactValue & { kind: 'finite' }, exp: number): bigint {
  const n = v.sig << BigInt(v.exp - exp);
  return v.sign ? -n : n;
}

export function mixedMacGolden(spec: MixedMacSpec, steps: readonly MixedMacStep[]): number[] {
  const fa = formatByName(spec.activation);
  const fs = formatByName(spec.scale);
  const fo = formatByName(spec.outFormat);
  // Every finite activation is a multiple of its smallest subnormal, code 1: 2^aExp.
  const aExp = (decode(fa, 1) as ExactValue & { kind: 'finite' }).exp;
  let outer = 0;
  let count = 0;
  let dot = 0n;
  let act = 0n;
  let poisoned = false;
  return steps.map((step) => {
    if (step.clear) [outer, count] = [0, 0];
    if (count === 0) [dot, act, poisoned] = [0n, 0n, false];
    const a = decode(fa, step.a);
    const w = weightValue(spec.weight, step.w);
    if (a.kind !== 'finite') poisoned = true;
    else {
      const units = asInteger(a, aExp);
      dot += units * w.n;
      act += units;
    }
    if (count === spec.group - 1) {
      const z = spec.weight === 'uint4' ? BigInt(step.z) : 0n;
      // D in units of 2^(aExp + wExp); the zero term's units are the same (z is an integer weight).
      const d = dot - z * act;
      const s = decode(fs, step.s);
      let contribution: ExactValue;
      if (poisoned || s.kind === 'nan' || (s.kind === 'inf' && d === 0n)) contribution = nan(0);
      else if (s.kind === 'inf') contribution = inf(((d < 0n ? 1 : 0) ^ s.sign) as 0 | 1);
      else {
        const sign = ((d < 0n ? 1 : 0) ^ s.sign) as 0 | 1;
        contribution = finite(sign, (d < 0n ? -d : d) * s.sig, aExp + w.exp + s.exp);
      }
      outer = add(fo, decode(fo, outer), contribution, spec.policy).code;
      count = 0;
    } else count++;
    return outer;
  });
}
