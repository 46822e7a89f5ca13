// Golden model of the GEMV core, from SPEC.md §7.1 (and §2, §5 for the element and scale formats):
//   y_n = out( Σ_g^fp32 s_{g,n} · ( Σ_{k∈g} a_k·w_{k,n} − z_{g,n}·Σ_{k∈g} a_k ) )
// Each group's value is exact; the groups enter an fp32 sum one at a time, in order, each with one
// rounding; the sum is then converted to the output format. A group whose activations hold a NaN or
// an infinity, or whose weights hold a NaN code, contributes NaN (W4A16 activations are finite).
import {
  add,
  convert,
  decode,
  finite,
  formatByName,
  inf,
  nan,
  type ExactValue,
  type FiniteValue,
  type Policy,
} from '../../generators/formats/index.ts';
import { GEMV_WEIGHT_FORMATS, type GemvWeightName } from '../../generators/gemv/weights.ts';

export interface GemvSpec {
  weight: GemvWeightName;
  activation: string;
  scale: string;
  group: number;
  outFormat: string;
  policy: Policy;
  specialValues: readonly number[];
}

/** One matrix-vector product: codes as unsigned integers. */
export interface GemvJob {
  k: number;
  n: number;
  /** k activation codes. */
  x: number[];
  /** n rows of k weight codes. */
  w: number[][];
  /** n rows of ⌈k/group⌉ scale codes, zero points and RaZeR indexes. */
  s: number[][];
  z: number[][];
  sv: number[][];
}

/** A finite value as an integer multiple of 2^exp (exp at most the value's own exponent). */
function units(v: FiniteValue, exp: number): bigint {
  const n = v.sig << BigInt(v.exp - exp);
  return v.sign ? -n : n;
}

export function gemvGolden(spec: GemvSpec, job: GemvJob): number[] {
  const fa = formatByName(spec.activation);
  const fs = formatByName(spec.scale);
  const fp32 = formatByName('fp32');
  const fo = formatByName(spec.outFormat);
  const weight = GEMV_WEIGHT_FORMATS[spec.weight];
  const elementFormats = weight.formats(spec.specialValues);
  const groups = Math.ceil(job.k / spec.group);
  const activations = job.x.slice(0, job.k).map((code) => decode(fa, code));
  // A common exponent below every finite activation and weight value, for exact integer sums.
  const lowest = (values: ExactValue[]) =>
    Math.min(0, ...values.filter((v): v is FiniteValue => v.kind === 'finite').map((v) => v.exp));
  const aExp = lowest(activations);
  return Array.from({ length: job.n }, (_, row) => {
    let acc = 0; // fp32 +0
    for (let g = 0; g < groups; g++) {
      const first = g * spec.group;
      const last = Math.min(job.k, first + spec.group);
      const elements = elementFormats[job.sv[row]?.[g] ?? 0] ?? elementFormats[0]!;
      const weights = job.w[row]!.slice(first, last).map((code) => decode(elements, code));
      const wExp = lowest(weights);
      let poisoned = false;
      let dot = 0n;
      let sum = 0n;
      for (let k = first; k < last; k++) {
        const a = activations[k]!;
        const w = weights[k - first]!;
        if (a.kind !== 'finite' || w.kind !== 'finite') {
          poisoned = true;
          continue;
        }
        dot += units(a, aExp) * units(w, wExp);
        sum += units(a, aExp);
      }
      const z = weight.zeroPoint ? BigInt(job.z[row]![g]!) : 0n;
      // Σ a·w − z·Σ a in units of 2^(aExp + wExp); z·Σa is in units of 2^aExp and wExp is 0 for integers.
      const d = dot - z * (sum << BigInt(-wExp));
      const s = decode(fs, job.s[row]![g]!);
      const sign = ((d < 0n ? 1 : 0) ^ (s.kind === 'nan' ? 0 : s.sign)) as 0 | 1;
      let contribution: ExactValue;
      if (poisoned || s.kind === 'nan' || (s.kind === 'inf' && d === 0n)) contribution = nan(0);
      else if (s.kind === 'inf') contribution = inf(sign);
      else contribution = finite(sign, (d < 0n ? -d : d) * s.sig, aExp + wExp + s.exp);
      acc = add(fp32, decode(fp32, acc), contribution, spec.policy).code;
    }
    return spec.outFormat === 'fp32' ? acc : convert(fp32, fo, acc, spec.policy).code;
  });
}
