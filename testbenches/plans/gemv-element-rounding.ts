// Integer activations (docs/w4a16.md#integer-activations): a group's exact value D = Σ a·w, times both
// scales, enters the fp32 row sum with one rounding. A core that added each element's scaled product
// a·w·s·sa to the fp32 sum on its own rounds once per element; with an fp16 output the two differ only
// where the fp32 value lies by an output rounding boundary. This job's rows are found by search so
// that they do (the float activations' designed jobs cancel inside a group instead).
import {
  add,
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

/** Weight draws tried per row, each against every scale of one binade. */
const DRAWS = 32;

/**
 * A one-group job of `job`'s shape (k = group, zero points 0) whose rows' weights and scales make
 * s·sa·D rounded once and Σ_k a_k·w_k·s·sa rounded element by element give other outputs; rows where
 * no draw finds one keep their random weights and scale. `pick` draws a weight code.
 */
export function elementRoundingJob(p: GemvParams, job: GemvJob, pick: () => number, policy: Policy): GemvJob {
  const { weight, scale, specialValues, activationScale } = gemvShape(p);
  const fs = formatByName(scale) as FloatFormat;
  const fp32 = formatByName('fp32');
  const out = formatByName(p.outFormat);
  const bits = activationBits(p.activation);
  const activation = (code: number) => BigInt(code >= 2 ** (bits - 1) ? code - 2 ** bits : code);
  const sa = decode(formatByName(activationScale!.format), job.xs![0]!);
  const format = weight.formats(specialValues)[0]!;
  const topExp = (v: ExactValue) => (v.kind === 'finite' ? v.exp + v.sig.toString(2).length - 1 : 0);
  const s = job.s.map((row) => [...row]);
  const w = job.w.map((row) => [...row]);
  // Each element's a·w as an exact value, and their sum D.
  const terms = (row: number[]) => {
    const values = row.map((code, k) => {
      const v = decode(format, code);
      if (v.kind !== 'finite') return undefined;
      const n = (v.sign ? -v.sig : v.sig) * activation(job.x[k]!);
      return { n, exp: v.exp };
    });
    if (values.some((v) => v === undefined)) return undefined;
    const exp = Math.min(0, ...values.map((v) => v!.exp));
    const units = values.map((v) => v!.n << BigInt(v!.exp - exp));
    const d = units.reduce((a, b) => a + b, 0n);
    const value = (n: bigint) => finite(n < 0n ? 1 : 0, n < 0n ? -n : n, exp);
    return d === 0n ? undefined : { elements: units.map(value), total: value(d) };
  };
  job.w.forEach((_, row) => {
    for (let draw = 0; draw < DRAWS; draw++) {
      const weights = job.x.map(pick);
      const found = terms(weights);
      if (found === undefined) continue;
      // Every scale of the binade that brings s·sa·D near 2^4, well inside any output's range.
      const first = encode(fs, finite(0, 1n, 4 - topExp(sa) - topExp(found.total)), policy).code;
      const code = Array.from({ length: 2 ** fs.mantBits }, (_, i) => first + i).find((c) => {
        const both = exactMul(decode(fs, c), sa).value;
        const once = encode(fp32, exactMul(both, found.total).value, policy).code;
        const each = found.elements.reduce(
          (acc, e) => add(fp32, decode(fp32, acc), exactMul(both, e).value, policy).code,
          0,
        );
        const output = (acc: number) => encode(out, decode(fp32, acc), policy).code;
        return output(once) !== output(each);
      });
      if (code !== undefined) {
        s[row]![0] = code;
        w[row] = weights;
        return;
      }
    }
  });
  return { ...job, w, z: job.z.map((r) => r.map(() => 0)), s };
}
