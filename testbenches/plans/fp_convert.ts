import {
  floatLayout,
  formatByName,
  mlDtypesPolicy,
  resolvePolicy,
  TESTFLOAT_POLICY,
  type FloatFormat,
  type MlDtypesMode,
  type ResolvedPolicy,
} from '../../generators/formats/index.ts';
import { parseHex, readCsv } from '../../generators/formats/conformance/fixtures.ts';
import { outputPolicy } from '../../generators/float-params.ts';
import { codeBits, isInt, type FpConvertParams } from '../../generators/float/fp_convert.ts';
import { fpConvertGolden, type FpConvertSpec } from '../golden/fp_convert.ts';
import { stochasticVectors } from './fp_convert-stochastic.ts';
import { testFloatCases } from '../vectors/external.ts';
import { cornerCodes } from '../vectors/floats.ts';
import { Random } from '../vectors/random.ts';
import { describeFlagByte, describeFloatCode } from './float-decode.ts';
import { joinVectors, vectorsOfKind, type PlannedVectors, type VerificationPlan } from './plan.ts';

/** Sources of at most this many bits are run exhaustively (every code in every lane). */
const EXHAUSTIVE_BITS = 16;
const DEFAULT_RANDOM = 100_000;
/** The catalog's conformance runs want at least this many vectors. */
const MIN_VECTORS = 256;

/**
 * fp_convert: every source code in every lane for sources of up to 16 bits (8-bit ones cycled to at
 * least 256 vectors); otherwise corner codes, TestFloat's f32_to_f16 / f32_to_bf16 cases when the
 * unit is configured as TestFloat, ml_dtypes' fp32 conversion table of the result format (the column
 * the policy matches: nearest-even, saturating or truncating) and seeded random codes. TestFloat's
 * f16_to_f32 and bf16_to_f32 cases are added to those exhaustive runs. Stochastic rounding has
 * vectors of its own (fp_convert-stochastic.ts): each code with random bits at its edges.
 */
export const fpConvertPlan: VerificationPlan<FpConvertParams> = {
  generator: 'fp_convert',
  vectors(p, request, seed) {
    if (p.stochasticBits !== undefined) return stochasticVectors(p, fpConvertSpec(p), request, seed);
    const bits = codeBits(p.inFormat, p.inWidth);
    const exhaustive = () => {
      if (bits > EXHAUSTIVE_BITS)
        throw new Error(`fp_convert: 2^${bits} source codes are too many to run exhaustively`);
      const n = 2 ** bits;
      const codes = Array.from({ length: Math.max(n, MIN_VECTORS) }, (_, i) => BigInt(i % n));
      return build(p, codes, `${n} exhaustive codes per lane`, true);
    };
    const corner = () => {
      const codes = cornerSource(p);
      return build(p, codes, `${codes.length} corner codes`);
    };
    // `count` vectors, each of `lanes` random codes.
    const random = (count: number) =>
      build(
        p,
        randomSource(p, count * p.lanes, new Random(seed)),
        `${count} random vectors of ${p.lanes} codes (seed ${seed})`,
      );
    return vectorsOfKind(request, {
      exhaustive,
      corner,
      random,
      default: () => {
        const external = [...testFloatSets(p), ...mlDtypesSets(p)];
        if (bits <= EXHAUSTIVE_BITS) return joinVectors([exhaustive(), ...external]);
        return joinVectors([corner(), ...external, random(DEFAULT_RANDOM)]);
      },
    });
  },
  decode(port, bits, p) {
    if (port === 'flags') return describeFlagByte(bits & 31n) + (p.lanes > 1 ? ' (lane 0)' : '');
    if (port === 'rand_bits') return `0x${bits.toString(16)}`;
    const format = port === 'a' ? p.inFormat : p.outFormat;
    if (isInt(format) || p.lanes > 1) return `0x${bits.toString(16)}`;
    return describeFloatCode(format, bits);
  },
  portFormat(port, p) {
    const format = ({ a: p.inFormat, y: p.outFormat } as Record<string, string>)[port];
    return format === undefined || isInt(format) ? undefined : format;
  },
};

/** The golden model's view of a unit's parameters. */
export function fpConvertSpec(p: FpConvertParams): FpConvertSpec {
  return {
    inFormat: p.inFormat,
    inWidth: p.inWidth ?? 8,
    outFormat: p.outFormat,
    outWidth: p.outWidth ?? 8,
    policy: isInt(p.outFormat) ? { rounding: p.rounding as never } : outputPolicy(p),
    inputSubnormals: p.inputSubnormals as 'keep' | 'flush',
    nanToInt: p.nanToInt as 'zero' | 'min',
    ...(p.stochasticBits === undefined ? {} : { stochasticBits: p.stochasticBits }),
  };
}

/**
 * Vectors of source codes, `lanes` per vector. Cycled (exhaustive sets): vector i holds code
 * (i + j·stride) in lane j, so that every lane sees every code. Otherwise consecutive codes fill the
 * lanes, and `expectedCodes` (external tables) replace the golden model's result codes.
 */
function build(
  p: FpConvertParams,
  codes: bigint[],
  description: string,
  cycled = false,
  expectedCodes?: bigint[],
): PlannedVectors {
  const s = fpConvertSpec(p);
  const inBits = BigInt(codeBits(p.inFormat, p.inWidth));
  const outBits = BigInt(codeBits(p.outFormat, p.outWidth));
  const L = p.lanes;
  const n = codes.length;
  const count = cycled ? n : Math.ceil(n / L);
  const stride = cycled ? Math.max(1, Math.floor(n / L)) | 1 : 1;
  const stimulus: bigint[][] = [];
  const expected: bigint[][] = [];
  for (let i = 0; i < count; i++) {
    let word = 0n;
    let y = 0n;
    let flags = 0n;
    for (let j = 0; j < L; j++) {
      const k = cycled ? (i + j * stride) % n : (i * L + j) % n;
      const r = fpConvertGolden(s, codes[k]!);
      word |= codes[k]! << (inBits * BigInt(j));
      y |= (expectedCodes?.[k] ?? r.code) << (outBits * BigInt(j));
      flags |= BigInt(r.flags) << BigInt(5 * j);
    }
    stimulus.push([word]);
    expected.push(p.flags ? [y, flags] : [y]);
  }
  return { inputs: ['a'], outputs: p.flags ? ['y', 'flags'] : ['y'], stimulus, expected, description };
}

/** A float source's corner codes, or an integer's: 0, ±1, ±2, the extremes and powers of two around them. */
function cornerSource(p: FpConvertParams): bigint[] {
  if (!isInt(p.inFormat)) return cornerCodes(formatByName(p.inFormat) as FloatFormat).map(BigInt);
  const w = p.inWidth ?? 8;
  const mask = (1n << BigInt(w)) - 1n;
  const values = new Set<bigint>();
  for (let k = 0; k < w; k++) for (const d of [-1n, 0n, 1n]) values.add(((1n << BigInt(k)) + d) & mask);
  for (const v of [0n, 1n, 2n, 3n, mask, mask - 1n, mask >> 1n, (mask >> 1n) + 1n, (mask >> 1n) + 2n])
    values.add(v & mask);
  return [...values].map((v) => -v & mask).concat([...values]);
}

/** Uniform codes, and codes with their top bits cleared at random (small integers, small exponents). */
function randomSource(p: FpConvertParams, count: number, rng: Random): bigint[] {
  const bits = codeBits(p.inFormat, p.inWidth);
  return Array.from({ length: count }, () => {
    const code = rng.bits(bits);
    return rng.chance(0.5) ? code : code >> BigInt(rng.below(bits));
  });
}

const SAME_AS_TESTFLOAT = (policy: ResolvedPolicy, t: ResolvedPolicy) =>
  policy.rounding === t.rounding &&
  policy.overflow === t.overflow &&
  policy.subnormals === t.subnormals &&
  policy.tininess === t.tininess &&
  policy.nan === t.nan;

/** TestFloat's conversion cases for units configured exactly as TestFloat (one lane each; flags from the file). */
export function testFloatSets(p: FpConvertParams): PlannedVectors[] {
  const name = (f: string) => ({ fp16: 'f16', fp32: 'f32', bf16: 'bf16' })[f];
  const from = name(p.inFormat);
  const to = name(p.outFormat);
  const file = from !== undefined && to !== undefined ? `${from}_to_${to}` : undefined;
  if (file === undefined || !['f16_to_f32', 'f32_to_f16', 'f32_to_bf16', 'bf16_to_f32'].includes(file))
    return [];
  if (p.inputSubnormals !== 'keep' || p.stochasticBits !== undefined) return [];
  const out = formatByName(p.outFormat);
  if (!SAME_AS_TESTFLOAT(resolvePolicy(out, outputPolicy(p)), resolvePolicy(out, TESTFLOAT_POLICY)))
    return [];
  const cases = testFloatCases(file);
  const vectors = build(
    p,
    cases.map((c) => BigInt(c.operands[0]!)),
    `${cases.length} TestFloat ${file} cases`,
    false,
    cases.map((c) => BigInt(c.result)),
  );
  // The file's flags, lane by lane as build() packed the codes.
  if (p.flags) {
    vectors.expected.forEach((e, i) => {
      let flags = 0n;
      for (let j = 0; j < p.lanes; j++)
        flags |= BigInt(cases[(i * p.lanes + j) % cases.length]!.flags & 0x17) << BigInt(5 * j);
      e[1] = flags;
    });
  }
  return [vectors];
}

/**
 * ml_dtypes' fp32 → FP8/FP6/FP4 table of the result format, the column whose policy the unit has
 * (rows with a NaN or Inf source only where the unit's NaN and Inf rules agree too). The table has no
 * flags: those come from the golden model.
 */
export function mlDtypesSets(p: FpConvertParams): PlannedVectors[] {
  if (p.inFormat !== 'fp32' || isInt(p.outFormat) || p.inputSubnormals !== 'keep') return [];
  if (p.stochasticBits !== undefined) return [];
  const out = formatByName(p.outFormat) as FloatFormat;
  if (floatLayout(out).bits > 8) return [];
  let rows: Record<string, string>[];
  try {
    rows = readCsv(`mldtypes/convert_${mlName(out)}.csv`);
  } catch {
    return [];
  }
  const unit = resolvePolicy(out, outputPolicy(p));
  const columns: [MlDtypesMode, string][] = [
    ['default', 'code'],
    ['saturate', 'code_sat'],
    ['truncate', 'code_trunc'],
  ];
  for (const [mode, column] of columns) {
    const ml = resolvePolicy(out, mlDtypesPolicy(out, mode));
    if (unit.rounding !== ml.rounding || unit.overflow !== ml.overflow || unit.subnormals !== ml.subnormals)
      continue;
    const kept = rows.filter((r) => {
      const bits = parseHex(r.in_f32!);
      const special = (bits & 0x7f800000) === 0x7f800000;
      const isNaN = special && (bits & 0x7fffff) !== 0;
      return isNaN ? unit.nan === ml.nan : special ? unit.infInput === ml.infInput : true;
    });
    return [
      build(
        p,
        kept.map((r) => BigInt(parseHex(r.in_f32!))),
        `${kept.length} ml_dtypes convert_${mlName(out)} '${column}' rows`,
        false,
        kept.map((r) => BigInt(parseHex(r[column]!))),
      ),
    ];
  }
  return [];
}

/** ml_dtypes' name of a format: float8_e4m3fn, float6_e2m3fn, float4_e2m1fn. */
function mlName(f: FloatFormat): string {
  return `float${floatLayout(f).bits}_${f.name}`;
}
