// Vectors for fp_convert with stochastic rounding (docs/fp_convert.md#stochastic-rounding): each
// source code goes with random bits r chosen against its f (the top R bits of the part below the
// result's quantum): r = 2^R − 1 − f (one short: toward zero) and r = 2^R − f (just enough: away), and
// a seeded uniform r. Where the source has too many codes to try each, constructed values put f and
// the bits below it at the edges (0, 1, a tie, all ones) in every binade of the result, below it
// (subnormals and values that round to ±0) and at its top (the overflow edge).
import {
  decode,
  encode,
  finite,
  floatLayout,
  formatByName,
  type FiniteValue,
  type FloatFormat,
} from '../../generators/formats/index.ts';
import { codeBits, isInt, type FpConvertParams } from '../../generators/float/fp_convert.ts';
import { droppedTop, fpConvertGolden, sourceValue, type FpConvertSpec } from '../golden/fp_convert.ts';
import { cornerCodes } from '../vectors/floats.ts';
import { Random } from '../vectors/random.ts';
import { joinVectors, vectorsOfKind, type PlannedVectors, type VectorKind } from './plan.ts';

/** Sources of at most this many bits: every code, with each edge of its f. */
const EXHAUSTIVE_BITS = 16;
/** Random conversions in the default set of a wider source. */
const DEFAULT_RANDOM = 50_000;
/** Result binades beyond this many: the lowest and highest few and a seeded sample of the rest. */
const MAX_BINADES = 40;

interface Case {
  code: bigint;
  random: bigint;
}

export function stochasticVectors(
  p: FpConvertParams,
  spec: FpConvertSpec,
  request: VectorKind,
  seed: number,
): PlannedVectors {
  const bits = codeBits(p.inFormat, p.inWidth);
  const rng = new Random(seed);
  const exhaustive = () => {
    if (bits > EXHAUSTIVE_BITS)
      throw new Error(`fp_convert: 2^${bits} source codes are too many to run exhaustively`);
    const codes = Array.from({ length: 2 ** bits }, (_, i) => BigInt(i));
    return build(
      p,
      spec,
      withEdges(spec, codes, rng),
      `every one of the ${codes.length} codes at its f's edges`,
    );
  };
  const corner = () => {
    const codes = [...cornerSource(p), ...constructedCodes(p, spec, rng)];
    return build(
      p,
      spec,
      withEdges(spec, codes, rng),
      `${codes.length} corner and constructed codes at their f's edges`,
    );
  };
  // `count` vectors of `lanes` conversions: random codes at their edges, cut to that many.
  const random = (count: number) => {
    const codes = Array.from({ length: count * p.lanes }, () => {
      const code = rng.bits(bits);
      return rng.chance(0.5) ? code : code >> BigInt(rng.below(bits));
    });
    return build(
      p,
      spec,
      withEdges(spec, codes, rng).slice(0, count * p.lanes),
      `random codes (seed ${seed}) at their f's edges`,
    );
  };
  return vectorsOfKind(request, {
    exhaustive,
    corner,
    random,
    default: () =>
      bits <= EXHAUSTIVE_BITS
        ? exhaustive()
        : joinVectors([corner(), random(Math.ceil(DEFAULT_RANDOM / p.lanes))]),
  });
}

/** Each code with r one short of rounding away, r just enough (f > 0), and a uniform r. */
function withEdges(spec: FpConvertSpec, codes: bigint[], rng: Random): Case[] {
  const R = spec.stochasticBits!;
  const one = 1n << BigInt(R);
  const out = formatByName(spec.outFormat) as FloatFormat;
  const cases: Case[] = [];
  for (const code of codes) {
    const x = sourceValue(spec, code);
    const f = x.kind === 'finite' && x.sig !== 0n ? droppedTop(out, x, R) : 0n;
    cases.push({ code, random: one - 1n - f });
    if (f > 0n) cases.push({ code, random: one - f });
    cases.push({ code, random: rng.bits(R) });
  }
  return cases;
}

/** Consecutive cases fill the lanes of a vector; the last vector wraps around to the first cases. */
function build(p: FpConvertParams, spec: FpConvertSpec, cases: Case[], description: string): PlannedVectors {
  const R = BigInt(spec.stochasticBits!);
  const inBits = BigInt(codeBits(p.inFormat, p.inWidth));
  const outBits = BigInt(codeBits(p.outFormat, p.outWidth));
  const L = p.lanes;
  const stimulus: bigint[][] = [];
  const expected: bigint[][] = [];
  for (let i = 0; i < Math.ceil(cases.length / L); i++) {
    let [word, rand, y, flags] = [0n, 0n, 0n, 0n];
    for (let j = 0; j < L; j++) {
      const c = cases[(i * L + j) % cases.length]!;
      const r = fpConvertGolden(spec, c.code, c.random);
      word |= c.code << (inBits * BigInt(j));
      rand |= c.random << (R * BigInt(j));
      y |= r.code << (outBits * BigInt(j));
      flags |= BigInt(r.flags) << BigInt(5 * j);
    }
    stimulus.push([word, rand]);
    expected.push(p.flags ? [y, flags] : [y]);
  }
  return {
    inputs: ['a', 'rand_bits'],
    outputs: p.flags ? ['y', 'flags'] : ['y'],
    stimulus,
    expected,
    description: `${cases.length} conversions of ${description}`,
  };
}

/** A float source's corner codes; an integer's 0, ±1, the extremes and powers of two ± 1. */
function cornerSource(p: FpConvertParams): bigint[] {
  if (!isInt(p.inFormat)) return cornerCodes(formatByName(p.inFormat) as FloatFormat).map(BigInt);
  const w = p.inWidth ?? 8;
  const mask = (1n << BigInt(w)) - 1n;
  const values = new Set<bigint>([0n, mask, mask >> 1n, (mask >> 1n) + 1n]);
  for (let k = 0; k < w; k++) for (const d of [-1n, 0n, 1n]) values.add(((1n << BigInt(k)) + d) & mask);
  return [...values];
}

/**
 * Source codes of values K · 2^q + (f · 2^(L − R) + tail) · 2^(q − L), q the exponent of the result's
 * quantum and L the source bits left below it: K at a binade's bottom, its top (a carry into the next
 * binade), the largest finite value's significand (the overflow edge) or at random, 0 and the largest
 * subnormal's significand below 2^emin; f at 0, 1, a tie and all ones; the bits below f zero, one,
 * all ones or random. Values the source cannot hold exactly are left out.
 */
function constructedCodes(p: FpConvertParams, spec: FpConvertSpec, rng: Random): bigint[] {
  const R = spec.stochasticBits!;
  const out = formatByName(p.outFormat) as FloatFormat;
  const layout = floatLayout(out);
  const M = out.mantBits;
  const hidden = 1n << BigInt(M);
  const emax = layout.maxQ + M;
  const precision = isInt(p.inFormat) ? (p.inWidth ?? 8) : floatSourcePrecision(p.inFormat);
  // Quantum exponents: the subnormal one (K below 2^M), each normal binade's, one binade beyond the top.
  let binades = Array.from({ length: emax - layout.emin + 2 }, (_, i) => layout.emin + i);
  if (binades.length > MAX_BINADES) {
    const ends = [...binades.slice(0, 8), ...binades.slice(-8)];
    binades = [...ends, ...Array.from({ length: 8 }, () => binades[rng.below(binades.length)]!)];
  }
  const quanta: { q: number; ks: bigint[] }[] = [
    { q: layout.emin - M, ks: [0n, 1n, hidden - 1n, rng.bits(M)] },
    ...binades.map((e) => ({
      q: e - M,
      ks: [hidden, 2n * hidden - 1n, hidden + rng.bits(M), ...(e === emax ? [BigInt(layout.maxUnits)] : [])],
    })),
  ];
  const one = 1n << BigInt(R);
  const codes = new Set<bigint>();
  for (const { q, ks } of quanta) {
    for (const K of ks) {
      const L = Math.max(precision - (K === 0n ? 0 : K.toString(2).length), 0);
      for (const f of [0n, 1n, one >> 1n, one - 1n, rng.bits(R)]) {
        const tailBits = L - R;
        const tails = tailBits > 0 ? [0n, 1n, (1n << BigInt(tailBits)) - 1n, rng.bits(tailBits)] : [0n];
        for (const tail of tails) {
          // d · 2^(q − L) with d = f · 2^(L − R) + tail (f's low bits cut off when L < R).
          const d = tailBits >= 0 ? (f << BigInt(tailBits)) | tail : f >> BigInt(-tailBits);
          const sig = (K << BigInt(L)) | d;
          for (const sign of [0, 1] as const) {
            const code = sourceCode(p, finite(sign, sig, q - L));
            if (code !== undefined) codes.add(code);
          }
        }
      }
    }
  }
  return [...codes];
}

/** Significant bits of a float source's normal significand. */
function floatSourcePrecision(name: string): number {
  return (formatByName(name) as FloatFormat).mantBits + 1;
}

/** The source code holding exactly this value, if there is one. */
function sourceCode(p: FpConvertParams, x: FiniteValue): bigint | undefined {
  if (x.sig === 0n) return x.sign && !isInt(p.inFormat) ? undefined : 0n;
  if (isInt(p.inFormat)) {
    if (x.exp < 0) return undefined;
    const w = p.inWidth ?? 8;
    const n = (x.sign ? -1n : 1n) * (x.sig << BigInt(x.exp));
    const [min, max] =
      p.inFormat === 'int'
        ? [-(1n << BigInt(w - 1)), (1n << BigInt(w - 1)) - 1n]
        : [0n, (1n << BigInt(w)) - 1n];
    return n < min || n > max ? undefined : BigInt.asUintN(w, n);
  }
  const format = formatByName(p.inFormat);
  const { code, flags } = encode(format, x, { rounding: 'rtz', overflow: 'saturate' });
  const back = decode(format, code);
  const exact = back.kind === 'finite' && back.sig === x.sig && back.exp === x.exp && back.sign === x.sign;
  return exact && !flags.inexact && !flags.overflow ? BigInt(code) : undefined;
}
