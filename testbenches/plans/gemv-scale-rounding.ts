// Integer activations (docs/w4a16.md#integer-activations): the two scales and the exact group value D
// enter the fp32 row sum with one rounding, s·sa·D. A core that rounded s·D to fp32 first and then
// multiplied by sa rounds twice; the two differ in the output only where the fp32 value lies by an
// output rounding boundary. This job's rows are found by search so that they do.
import {
  decode,
  encode,
  exactMul,
  finite,
  formatByName,
  type ExactValue,
  type FloatFormat,
  type Policy,
} from '../../generators/formats/index.ts';
import { activationBits } from '../../generators/gemv/activation.ts';
import { gemvShape, type GemvParams } from '../../generators/gemv/gemv.ts';
import type { GemvJob } from '../golden/gemv.ts';
import { Random } from '../vectors/random.ts';

/** A finite weight code's value (−Inf for a NaN code), to find the largest. */
function valueOf(format: Parameters<typeof decode>[0], code: number): number {
  const v = decode(format, code);
  return v.kind === 'finite' ? (v.sign ? -1 : 1) * Number(v.sig) * 2 ** v.exp : -Infinity;
}

/** Weight draws tried per row, each against every scale of one binade (twice: random, then leaning). */
const DRAWS = 32;

/**
 * A one-group job of `job`'s shape (k = group, per-token or per-group activation scale alike) whose
 * rows' weight scales are chosen so that s·sa·D rounded once and rounded twice (s·D first) give other
 * outputs; rows where no draw finds one keep their random weights and scale.
 */
export function scaleRoundingJob(p: GemvParams, job: GemvJob, rng: Random, policy: Policy): GemvJob {
  const { weight, scale, specialValues } = gemvShape(p);
  const fs = formatByName(scale) as FloatFormat;
  const fp32 = formatByName('fp32');
  const out = formatByName(p.outFormat);
  const round = (format: typeof fp32, v: ExactValue) => decode(format, encode(format, v, policy).code);
  const bits = activationBits(p.activation);
  const activation = (code: number) => BigInt(code >= 2 ** (bits - 1) ? code - 2 ** bits : code);
  const sa = decode(formatByName(gemvShape(p).activationScale!.format), job.xs![0]!);
  const format = weight.formats(specialValues)[0]!;
  // Large positive activations and no zero point: D holds 16 bits or more, so that s·D does not fit
  // fp32's 24 (with s's 11) and a first rounding of it can change what the output keeps.
  const x = job.x.map(() => 2 ** (bits - 2) + rng.below(2 ** (bits - 2)));
  const zeros = job.z.map((row) => row.map(() => 0));
  const s = job.s.map((row) => [...row]);
  const w = job.w.map((row) => [...row]);
  // Every scale of the binade that brings s·sa·D near 2^4, well inside any output's range.
  const topExp = (v: ExactValue) => (v.kind === 'finite' ? v.exp + v.sig.toString(2).length - 1 : 0);
  const binade = (value: ExactValue) => {
    const first = encode(fs, finite(0, 1n, 4 - topExp(sa) - topExp(value)), policy).code;
    return Array.from({ length: 2 ** fs.mantBits }, (_, i) => first + i);
  };
  const codes = Array.from({ length: 2 ** weight.bits }, (_, code) => code);
  const exactD = (row: number[]) => {
    // D = Σ w·a exactly (no zero point), in units of the weights' lowest exponent.
    const values = row.map((code) => decode(format, code));
    if (values.some((v) => v.kind !== 'finite')) return undefined;
    const finiteValues = values as Extract<ExactValue, { kind: 'finite' }>[];
    const exp = Math.min(0, ...finiteValues.map((v) => v.exp));
    const d = finiteValues.reduce(
      (sum, v, k) => sum + ((v.sign ? -v.sig : v.sig) << BigInt(v.exp - exp)) * activation(x[k]!),
      0n,
    );
    return d === 0n ? undefined : finite(d < 0n ? 1 : 0, d < 0n ? -d : d, exp);
  };
  // Weights of few levels (±1) leave a random D too small for s·D to round: the second half of the
  // draws leans on the largest positive weight, so that D grows with the group.
  const largest = codes.reduce((best, code) => (valueOf(format, code) > valueOf(format, best) ? code : best));
  // The leaning draws have a generator of their own, so that the plan's other jobs stay as they were.
  const leaning = new Random(0x5ca1e);
  job.w.forEach((_, row) => {
    for (let draw = 0; draw < 2 * DRAWS; draw++) {
      const weights = x.map(() =>
        draw < DRAWS ? rng.pick(codes) : leaning.chance(0.75) ? largest : leaning.pick(codes),
      );
      const value = exactD(weights);
      if (value === undefined) continue;
      const found = binade(value).find((code) => {
        const ws = decode(fs, code);
        const once = round(fp32, exactMul(exactMul(ws, sa).value, value).value);
        const twice = round(fp32, exactMul(round(fp32, exactMul(ws, value).value), sa).value);
        return encode(out, once, policy).code !== encode(out, twice, policy).code;
      });
      if (found !== undefined) {
        s[row]![0] = found;
        w[row] = weights;
        return;
      }
    }
  });
  return { ...job, x, w, z: zeros, s };
}
