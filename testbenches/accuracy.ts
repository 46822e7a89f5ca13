import { decodeNumber, encodeNumber, formatByName } from '../generators/formats/index.ts';
import { fpMulGolden } from './golden/fp_mul.ts';
import { lmulGolden, type LmulSpec } from './golden/lmul.ts';
import { Random } from './vectors/random.ts';

/** A multiplier's model on real numbers: the inputs are rounded into its format, the result read back. */
export type RealMultiplier = (x: number, y: number) => number;

/** Standard normal samples (Box–Muller) from the project's seeded generator. */
function normalPairs(count: number, seed: number): Float64Array {
  const rng = new Random(seed);
  const out = new Float64Array(2 * count);
  for (let i = 0; i < out.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rng.float()));
    const t = 2 * Math.PI * rng.float();
    out[i] = r * Math.cos(t);
    out[i + 1] = r * Math.sin(t);
  }
  return out;
}

/** Mean |approx − x·y| / |x·y| over x, y ~ N(0, 1), as docs/lmul.md#error-statistics measures it. */
export function meanRelativeError(multiply: RealMultiplier, count: number, seed: number): number {
  const samples = normalPairs(count, seed);
  let sum = 0;
  for (let i = 0; i < samples.length; i += 2) {
    const x = samples[i]!;
    const y = samples[i + 1]!;
    const exact = x * y;
    sum += Math.abs(multiply(x, y) - exact) / Math.abs(exact);
  }
  return sum / count;
}

/** The exact multiplier of a format: operands and result rounded to nearest even (golden model). */
export function exactMultiplier(formatName: string): RealMultiplier {
  const format = formatByName(formatName);
  const toCode = (x: number) => encodeNumber(format, x, { rounding: 'rne', overflow: 'saturate' }).code;
  const spec = {
    aFormat: formatName,
    bFormat: formatName,
    outFormat: formatName,
    policy: { overflow: 'saturate' as const },
    inputSubnormals: 'keep' as const,
  };
  return (x, y) => decodeNumber(format, fpMulGolden(spec, toCode(x), toCode(y)).code);
}

/** L-Mul on a base format with operands reduced to m bits (golden model of docs/lmul.md). */
export function lmulMultiplier(
  formatName: string,
  m: number,
  variant: LmulSpec['variant'] = 'integer-add',
): RealMultiplier {
  const format = formatByName(formatName);
  const toCode = (x: number) => encodeNumber(format, x, { rounding: 'rne' }).code;
  const spec: LmulSpec = {
    format: formatName,
    outFormat: formatName,
    m,
    variant,
    operandRounding: 'rne',
    overflow: 'saturate',
  };
  return (x, y) => decodeNumber(format, lmulGolden(spec, toCode(x), toCode(y)));
}
