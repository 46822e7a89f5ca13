// Live cross-check of bitsmith's format codecs (generators/formats) against ml_dtypes and numpy, on
// inputs drawn fresh for every run (the seed is printed, and BITSMITH_CROSSCHECK_SEED replays one).
// Beyond the carried ml_dtypes fixtures (generators/formats/conformance/mldtypes.test.ts): whatever
// ml_dtypes version .venv holds, on inputs no fixture holds. flows/python/crosscheck.py does the
// Python side in the project's .venv.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exactMul } from '../../generators/formats/arith.ts';
import { classify, decode, encode } from '../../generators/formats/codec.ts';
import { floatFormatSchema, type Format } from '../../generators/formats/format.ts';
import { formatByName } from '../../generators/formats/presets.ts';
import { mlDtypesPolicy, TESTFLOAT_POLICY } from '../../generators/formats/reference-policies.ts';
import { Random } from '../../testbenches/vectors/random.ts';
import { VENV_DIR } from '../tools.ts';

const SEED = Number(process.env.BITSMITH_CROSSCHECK_SEED ?? Date.now() % 2 ** 32);
const CONVERSIONS = 20_000;
const PRODUCTS = 20_000;

const fp32 = formatByName('fp32');
const fp16 = formatByName('fp16');
const bf16 = formatByName('bf16');

interface TypeAnswer {
  bits: number;
  exp_bits: number;
  mant_bits: number;
  signed: boolean;
  min_exp: number;
  max: number;
  smallest_normal: number;
  smallest_subnormal: number;
  code: number[];
  back: number[];
}
interface Answer {
  versions: Record<string, string>;
  types: Record<string, TypeAnswer>;
  float16: { code: number[]; back: number[] };
  f16_mul: number[];
  bf16_mul: number[];
}

/** f32 bit patterns: a quarter uniform over all 2^32 (quiet NaNs only), the rest with exponents near the small formats' range. */
function drawF32(random: Random, count: number): number[] {
  const out = [0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000];
  while (out.length < count) {
    const sign = random.chance(0.5) ? 0x80000000 : 0;
    let bits: number;
    if (random.chance(0.25)) bits = Number(random.bits(32));
    else {
      // 2^-150 .. 2^20: below every small format's subnormals up to past FP8 E5M2's maximum.
      const exponent = Math.max(0, 127 - 150 + random.below(171));
      bits = (sign | (exponent << 23) | Number(random.bits(23))) >>> 0;
    }
    // NaN payloads are each library's own business: keep one quiet NaN of either sign.
    if ((bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0)
      bits = (bits & 0x80000000) | 0x7fc00000;
    out.push(bits >>> 0);
  }
  return out;
}

function runPython(request: object): Answer {
  const python = join(VENV_DIR, 'bin', 'python');
  if (!existsSync(python))
    throw new Error(
      `${python} is missing: run ./setup.sh --no-build (it installs requirements.txt into .venv)`,
    );
  const r = spawnSync(python, [fileURLToPath(new URL('crosscheck.py', import.meta.url))], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`crosscheck.py failed (exit ${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as Answer;
}

/**
 * bitsmith's format of an ml_dtypes type: its preset when bitsmith has one, else a float format built
 * from the parameters ml_dtypes reports (a type newer than bitsmith's presets).
 */
function formatOf(name: string, t: TypeAnswer): { format: Format; preset: boolean } {
  try {
    return { format: formatByName(name), preset: true };
  } catch {
    const allOnesNaN = /fnu?$/.test(name) && !/fnuz$/.test(name);
    return {
      preset: false,
      format: floatFormatSchema.parse({
        kind: 'float',
        name,
        expBits: t.exp_bits,
        mantBits: t.mant_bits,
        bias: 1 - t.min_exp,
        signed: t.signed,
        subnormals: t.smallest_subnormal < t.smallest_normal,
        specials: allOnesNaN ? 'fn' : /fnuz$/.test(name) ? 'fnuz' : 'ieee',
      }) as Format,
    };
  }
}

const random = new Random(SEED);
const f32 = drawF32(random, CONVERSIONS);
const pairs = (count: number) =>
  Array.from({ length: count }, () => [Number(random.bits(16)), Number(random.bits(16))] as [number, number]);
const f16Pairs = pairs(PRODUCTS);
// Half of the bf16 pairs have products near f32's and bf16's smallest normal (2^-140 .. 2^-120), where
// rounding to f32 first can differ from one rounding.
const bf16Pairs = [
  ...pairs(PRODUCTS / 2),
  ...Array.from({ length: PRODUCTS / 2 }, () => {
    const a = Number(random.bits(16));
    const target = -140 + random.below(21);
    const ea = Math.max(1, Math.min(254, (a >> 7) & 0xff));
    const eb = Math.max(1, Math.min(254, target + 254 - ea));
    const b = (Number(random.bits(1)) << 15) | (eb << 7) | Number(random.bits(7));
    return [(a & 0x807f) | (ea << 7), b] as [number, number];
  }),
];
const answer = runPython({ f32, f16_pairs: f16Pairs, bf16_pairs: bf16Pairs });
console.log(
  `crosscheck seed ${SEED} (replay: BITSMITH_CROSSCHECK_SEED=${SEED}); ml_dtypes ${answer.versions.ml_dtypes}, ` +
    `numpy ${answer.versions.numpy}; ${CONVERSIONS} f32 inputs, ${PRODUCTS} fp16 and ${PRODUCTS} bf16 products`,
);

const hex = (n: number, digits: number) => `0x${n.toString(16).padStart(digits, '0')}`;

/** The first few disagreements, as text (empty when all agree). */
function disagreements(count: number, check: (i: number) => string | undefined): string[] {
  const found: string[] = [];
  for (let i = 0; i < count && found.length < 5; i++) {
    const problem = check(i);
    if (problem !== undefined) found.push(problem);
  }
  return found;
}

/** ml_dtypes' e8m0fnu quirk: f32 subnormals in (2^-127, 1.5·2^-127) go to 2^-126 (docs/conformance-vectors.md#e8m0fnu-quirk). */
const e8m0Quirk = (name: string, bits: number) =>
  name === 'float8_e8m0fnu' && (bits & 0x7fffffff) > 0x00400000 && (bits & 0x7fffffff) < 0x00600000;

describe(`ml_dtypes ${answer.versions.ml_dtypes}, fresh inputs (seed ${SEED})`, () => {
  it('lists every FP8, FP6, FP4 and E8M0 type the fixtures know, and more only if new', () => {
    expect(Object.keys(answer.types)).toEqual(
      expect.arrayContaining([
        'float4_e2m1fn',
        'float6_e2m3fn',
        'float6_e3m2fn',
        'float8_e3m4',
        'float8_e4m3',
        'float8_e4m3b11fnuz',
        'float8_e4m3fn',
        'float8_e4m3fnuz',
        'float8_e5m2',
        'float8_e5m2fnuz',
        'float8_e8m0fnu',
      ]),
    );
  });

  describe.each(Object.keys(answer.types))('%s', (name) => {
    const t = answer.types[name]!;
    const { format, preset } = formatOf(name, t);
    const policy = mlDtypesPolicy(format);
    it(`converts every f32 input as bitsmith's codec does${preset ? '' : ' (format built from ml_dtypes.finfo)'}`, () => {
      let quirks = 0;
      const found = disagreements(f32.length, (i) => {
        if (e8m0Quirk(name, f32[i]!)) {
          quirks++;
          return undefined;
        }
        const want = encode(format, decode(fp32, f32[i]!), policy).code;
        const got = t.code[i]!;
        return want === got
          ? undefined
          : `f32 ${hex(f32[i]!, 8)}: ml_dtypes ${hex(got, 2)}, bitsmith ${hex(want, 2)}`;
      });
      expect(found).toEqual([]);
      console.log(
        `${name}: ${f32.length - quirks} conversions agree${quirks ? `, ${quirks} e8m0 quirk inputs left out` : ''}`,
      );
    });
    it('decodes every code to the f32 ml_dtypes gives', () => {
      expect(t.back).toHaveLength(2 ** t.bits);
      const f32Policy = mlDtypesPolicy(fp32);
      const found = disagreements(t.back.length, (code) => {
        const want = encode(fp32, decode(format, code), f32Policy).code;
        return want === t.back[code]
          ? undefined
          : `code ${hex(code, 2)}: ml_dtypes ${hex(t.back[code]!, 8)}, bitsmith ${hex(want, 8)}`;
      });
      expect(found).toEqual([]);
    });
  });
});

describe(`numpy ${answer.versions.numpy} float16 and ml_dtypes bfloat16, fresh inputs (seed ${SEED})`, () => {
  it('float16: every f32 input converts (RNE) as bitsmith encodes it, and every code decodes alike', () => {
    const policy = mlDtypesPolicy(fp16);
    const found = disagreements(f32.length, (i) => {
      const want = encode(fp16, decode(fp32, f32[i]!), policy).code;
      return want === answer.float16.code[i]
        ? undefined
        : `f32 ${hex(f32[i]!, 8)}: numpy ${hex(answer.float16.code[i]!, 4)}, bitsmith ${hex(want, 4)}`;
    });
    // numpy keeps a NaN's payload bits (and a signaling NaN signaling): a NaN code must give a NaN of its sign.
    const back = disagreements(2 ** 16, (code) => {
      const want = encode(fp32, decode(fp16, code), mlDtypesPolicy(fp32)).code;
      const got = answer.float16.back[code]!;
      if (classify(fp16, code) === 'nan')
        return classify(fp32, got) === 'nan' && got >>> 31 === code >> 15
          ? undefined
          : `NaN code ${hex(code, 4)}: numpy ${hex(got, 8)}, not a NaN of its sign`;
      return want === got
        ? undefined
        : `code ${hex(code, 4)}: numpy ${hex(answer.float16.back[code]!, 8)}, bitsmith ${hex(want, 8)}`;
    });
    expect([...found, ...back]).toEqual([]);
  });

  // A NaN product is compared as a NaN: numpy and ml_dtypes carry an input's payload, bitsmith's
  // policy gives the canonical NaN (docs: the POLICY's NaN output).
  const sameResult = (format: Format, want: number, got: number) =>
    classify(format, want) === 'nan' ? classify(format, got) === 'nan' : want === got;

  it('fp16 products: numpy float16 a*b is the exact product rounded once (RNE), as bitsmith', () => {
    let nans = 0;
    const found = disagreements(f16Pairs.length, (i) => {
      const [a, b] = f16Pairs[i]!;
      const want = encode(fp16, exactMul(decode(fp16, a), decode(fp16, b)).value, TESTFLOAT_POLICY).code;
      if (classify(fp16, want) === 'nan') nans++;
      const got = answer.f16_mul[i]!;
      return sameResult(fp16, want, got)
        ? undefined
        : `${hex(a, 4)} × ${hex(b, 4)}: numpy ${hex(got, 4)}, bitsmith ${hex(want, 4)}`;
    });
    expect(found).toEqual([]);
    console.log(`fp16 products: ${f16Pairs.length} agree (${nans} NaN results compared as NaN)`);
  });

  it('bf16 products: ml_dtypes bfloat16 a*b, which rounds to f32 first, then to bf16, as bitsmith', () => {
    // ml_dtypes multiplies in float32: an 8-bit by 8-bit significand product is exact in f32 unless
    // it falls below f32's normal range (2^-126), where it is rounded twice. bitsmith's expected value
    // is the same two steps; the single rounding (fp_mul bf16) differs from it only there.
    let twice = 0;
    let nans = 0;
    const found = disagreements(bf16Pairs.length, (i) => {
      const [a, b] = bf16Pairs[i]!;
      const exact = exactMul(decode(bf16, a), decode(bf16, b)).value;
      const once = encode(bf16, exact, TESTFLOAT_POLICY).code;
      const viaF32 = decode(fp32, encode(fp32, exact, TESTFLOAT_POLICY).code);
      const want = encode(bf16, viaF32, TESTFLOAT_POLICY).code;
      if (want !== once) twice++;
      if (classify(bf16, want) === 'nan') nans++;
      const got = answer.bf16_mul[i]!;
      return sameResult(bf16, want, got)
        ? undefined
        : `${hex(a, 4)} × ${hex(b, 4)}: ml_dtypes ${hex(got, 4)}, bitsmith ${hex(want, 4)}`;
    });
    expect(found).toEqual([]);
    console.log(
      `bf16 products: ${bf16Pairs.length} agree (${nans} NaN results compared as NaN; ` +
        `${twice} below 2^-126 where f32's rounding first differs from one rounding)`,
    );
  });
});
