import {
  decode,
  floatLayout,
  formatBits,
  formatByName,
  type ExactValue,
  type FloatFormat,
  type Format,
} from '../../generators/formats/index.ts';
import { outputPolicy } from '../../generators/float-params.ts';
import { blockFormat } from '../../generators/mac/block-element.ts';
import type { MxDotParams } from '../../generators/mac/mx_dot.ts';
import {
  blockProducts,
  exactSum,
  mxDotExact,
  mxDotGeneralGolden,
  mxDotGolden,
  mxElement,
  type MxDotSpec,
} from '../golden/mx_dot.ts';
import { cornerCodes } from '../vectors/floats.ts';
import { Random } from '../vectors/random.ts';
import { describeFloatCode } from './float-decode.ts';
import { edgeRuns, randomRuns, type BlockMaker } from './mx_dot-general.ts';
import { joinVectors, type PlannedVectors, type VerificationPlan } from './plan.ts';

const DEFAULT_RANDOM = 6_000;
/** E8M0 codes where a scale's decoding can break: the extremes, around the bias, the NaN. */
const E8M0_EDGES = [0, 1, 2, 126, 127, 128, 253, 254, 255];
/** E4M3 (NVFP4) scale codes: ±0, the smallest subnormal and normal, ±1, the largest, both NaNs. */
const E4M3_EDGES = [0x00, 0x80, 0x01, 0x07, 0x08, 0x38, 0xb8, 0x7e, 0x7f, 0xff];
const E4M3_ONE = 0x38;

interface BlockPair {
  a: number[];
  sa: number;
  b: number[];
  sb: number;
}

/** What the plan knows of an element format: its codes by kind, and its powers of two by exponent. */
interface ElementCodes {
  format: Format;
  finite: number[];
  zero: number;
  /** Code of +2^e for every power of two the format holds. */
  powers: Map<number, number>;
  negate(code: number): number | undefined;
  corners: number[];
}

function elementCodes(name: string): ElementCodes {
  const format = mxElement(name);
  const bits = formatBits(format);
  const all = Array.from({ length: 2 ** bits }, (_, c) => c);
  const values = all.map((c) => decode(format, c));
  const finite = all.filter((c) => values[c]!.kind === 'finite');
  const powers = new Map<number, number>();
  for (const c of finite) {
    const v = values[c]!;
    if (v.kind === 'finite' && v.sign === 0 && v.sig === 1n) powers.set(v.exp, c);
  }
  const sameValue = (x: ExactValue, y: ExactValue) =>
    x.kind === 'finite' && y.kind === 'finite' && x.sig === y.sig && x.exp === y.exp && x.sign !== y.sign;
  const negate = (code: number) => {
    if (values[code]!.kind === 'finite' && (values[code] as { sig: bigint }).sig === 0n) return code;
    return all.find((c) => sameValue(values[c]!, values[code]!));
  };
  const corners =
    format.kind === 'float'
      ? cornerCodes(format)
      : [0x00, 0x01, 0x02, 0x3f, 0x40, 0x41, 0x7e, 0x7f, 0x80, 0x81, 0xbf, 0xc0, 0xc1, 0xff];
  return { format, finite, zero: 0, powers, negate, corners };
}

/** Exponent of the top bit of a nonzero finite value. */
function topExponent(v: ExactValue): number {
  if (v.kind !== 'finite' || v.sig === 0n) throw new Error('topExponent: not a nonzero finite value');
  return v.exp + v.sig.toString(2).length - 1;
}

/**
 * mx_dot: every pair of element corner codes in a random lane, every pair of scale edges (0, 1, 127,
 * 254, 255 = NaN, …), zero blocks, cancelling blocks, the output's rounding ties (normal with even and
 * odd last bit and both signs, in the subnormal range, half the smallest subnormal, the largest finite
 * plus half an ulp), results placed by the scales at the overflow threshold and in the subnormal range,
 * then seeded random blocks over every finite element code.
 */
export const mxDotPlan: VerificationPlan<MxDotParams> = {
  generator: 'mx_dot',
  vectors(p, request, seed) {
    const [ca, cb] = [elementCodes(p.aFormat), elementCodes(p.bFormat)];
    const LANES = blockFormat(p.aFormat).blockSize;
    const out = formatByName(p.outFormat) as FloatFormat;
    const layout = floatLayout(out);
    const precision = out.mantBits + 1;
    const emax = layout.maxQ + layout.maxUnits.toString(2).length - 1;
    const rng = new Random(seed);
    const randomBlock = (c: ElementCodes) =>
      Array.from({ length: LANES }, () =>
        rng.chance(0.003) ? rng.below(2 ** formatBits(c.format)) : rng.pick(c.finite),
      );
    const nvfp4 = p.aFormat === 'nvfp4';
    const nearOne = () => (nvfp4 ? E4M3_ONE - 8 + rng.below(17) : 127 + rng.below(9) - 4);
    // Any finite scale; NVFP4's are positive in practice, a few negative ones check the sign.
    const anyScale = () => (nvfp4 ? rng.below(0x7f) + (rng.chance(0.1) ? 0x80 : 0) : rng.below(255));
    const randomScale = () => (rng.chance(0.7) ? nearOne() : anyScale());
    const spec = mxDotSpec(p);
    const randomPair = (): BlockPair => ({
      a: randomBlock(ca),
      sa: randomScale(),
      b: randomBlock(cb),
      sb: randomScale(),
    });
    /** Scales that bring the exact sum's top bit (or its lowest, with `lowest`) to 2^target, if any can. */
    const placed = (v: BlockPair, target: number, lowest = false): BlockPair | undefined => {
      if (nvfp4) return undefined; // E4M3 scales reach too little range to place a result anywhere
      const sum = exactSum(blockProducts(ca.format, cb.format, v.a, v.b));
      if (sum.kind !== 'finite' || sum.sig === 0n) return undefined;
      const total = target - (lowest ? sum.exp : topExponent(sum)) + 254;
      if (total < 0 || total > 2 * 254) return undefined;
      const sa = Math.max(0, total - 254) + rng.below(Math.min(254, total) - Math.max(0, total - 254) + 1);
      return { ...v, sa, sb: total - sa };
    };
    /** A block pair whose products are the given signed powers of two (exponent, negative), the rest zero. */
    const powersBlock = (terms: { exp: number; negative: boolean }[]): BlockPair | undefined => {
      const a = Array<number>(LANES).fill(ca.zero);
      const b = Array<number>(LANES).fill(cb.zero);
      const lanes = shuffled(
        rng,
        Array.from({ length: LANES }, (_, i) => i),
      );
      for (const [k, term] of terms.entries()) {
        const split = [...ca.powers.keys()].filter((ea) => cb.powers.has(term.exp - ea));
        if (split.length === 0) return undefined;
        const ea = rng.pick(split);
        const codeA = ca.powers.get(ea)!;
        const signed = term.negative ? ca.negate(codeA) : codeA;
        if (signed === undefined) return undefined;
        a[lanes[k]!] = signed;
        b[lanes[k]!] = cb.powers.get(term.exp - ea)!;
      }
      return { a, sa: 127, b, sb: 127 };
    };
    const productExponents = [
      ...new Set([...ca.powers.keys()].flatMap((ea) => [...cb.powers.keys()].map((eb) => ea + eb))),
    ];
    const has = (e: number) => productExponents.includes(e);
    const emin = layout.emin;
    const halfUlpOfSubnormals = emin - out.mantBits - 1;

    const corner = () => {
      const vectors: BlockPair[] = [];
      for (const x of ca.corners)
        for (const y of cb.corners) {
          const v = randomPair();
          const lane = rng.below(LANES);
          v.a[lane] = x;
          v.b[lane] = y;
          vectors.push({ ...v, sa: nearOne(), sb: nearOne() });
        }
      const edges = nvfp4 ? E4M3_EDGES : E8M0_EDGES;
      for (const sa of edges)
        for (const sb of edges) for (let i = 0; i < 3; i++) vectors.push({ ...randomPair(), sa, sb });
      // Zero blocks: either side, both; +0 and, in the float formats, −0 elements.
      for (let i = 0; i < 8; i++) {
        const zeros = (c: ElementCodes) =>
          Array<number>(LANES).fill(
            i % 2 === 1 && c.format.kind === 'float' ? 1 << (formatBits(c.format) - 1) : 0,
          );
        const v = randomPair();
        vectors.push({ ...v, a: zeros(ca) }, { ...v, b: zeros(cb) }, { ...v, a: zeros(ca), b: zeros(cb) });
      }
      return build(p, vectors, 'corner vectors (element corners, scale edges, zero blocks)');
    };

    const edges = () => {
      const vectors: BlockPair[] = [];
      const add = (v: BlockPair | undefined) => v !== undefined && vectors.push(v);
      // Cancellation: lanes in pairs of opposite products, a few lanes left over.
      for (let i = 0; i < 200; i++) {
        const v = randomPair();
        const kept = rng.below(4);
        for (let lane = kept; lane + 1 < LANES; lane += 2) {
          const negated = ca.negate(v.a[lane]!);
          if (negated === undefined) continue;
          v.a[lane + 1] = negated;
          v.b[lane + 1] = v.b[lane]!;
        }
        add(rng.chance(0.5) ? v : placed(v, rng.below(emax - emin + 1) + emin));
      }
      // Ties in the normal range: 2^h ± 2^(h−p) (last bit even), + 2^(h−p+1) (odd), either sign.
      const tops = productExponents.filter((h) => has(h - precision) && has(h - precision + 1));
      for (let i = 0; i < 64 && tops.length > 0; i++) {
        const h = rng.pick(tops);
        const negative = i % 2 === 1;
        const terms = [
          { exp: h, negative },
          { exp: h - precision, negative },
          ...(i % 4 >= 2 ? [{ exp: h - precision + 1, negative }] : []),
        ];
        const v = powersBlock(terms);
        if (v !== undefined) add(placed(v, i % 8 === 0 ? emax : emin + rng.below(emax - emin + 1)));
      }
      // The largest finite plus half an ulp: 2^(h+1) − 2^(h−p), its top bit placed at emax.
      for (const h of productExponents.filter((x) => has(x + 1) && has(x - precision)).slice(0, 8)) {
        for (const negative of [false, true]) {
          const v = powersBlock([
            { exp: h + 1, negative },
            { exp: h - precision, negative: !negative },
          ]);
          if (v !== undefined) add(placed(v, emax));
        }
      }
      // Ties below the normal range: a sparse block whose lowest bit is placed at half the smallest subnormal.
      for (let i = 0; i < 300; i++) {
        const v = sparse(randomPair(), 1 + rng.below(4));
        add(placed(v, halfUlpOfSubnormals, true));
      }
      // Ties found by search, where the construction above cannot reach (NVFP4's scales are values).
      let found = 0;
      for (let i = 0; i < 20_000 && found < 64; i++) {
        const v = { ...sparse(randomPair(), 1 + rng.below(6)), sa: anyScale(), sb: anyScale() };
        if (isTie(mxDotExact(spec, v.a, v.sa, v.b, v.sb), out)) {
          found++;
          vectors.push(v);
        }
      }
      // Results around the overflow threshold, and in and below the subnormal range.
      for (let i = 0; i < 300; i++) {
        const v = i % 3 === 0 ? sparse(randomPair(), 1 + rng.below(6)) : randomPair();
        const target =
          i % 2 === 0
            ? emax - 1 + rng.below(3)
            : halfUlpOfSubnormals - 2 + rng.below(emin - halfUlpOfSubnormals + 4);
        add(placed(v, target));
      }
      return build(p, vectors, 'edge vectors (cancellation, ties, overflow, subnormal results)');
    };
    const sparse = (v: BlockPair, kept: number): BlockPair => {
      const keep = new Set(
        shuffled(
          rng,
          Array.from({ length: LANES }, (_, i) => i),
        ).slice(0, kept),
      );
      return { ...v, a: v.a.map((x, i) => (keep.has(i) ? x : ca.zero)) };
    };
    const exact = p.accumulate === 'exact';
    const make: BlockMaker = {
      rng,
      lanes: LANES,
      nvfp4,
      precision,
      emax,
      emin,
      randomPair,
      powers: nvfp4
        ? { min: Math.min(...productExponents) - 18, max: Math.max(...productExponents) + 16 }
        : { min: emin - precision - 8, max: emax + 1 },
      power: (e, negative = false) => {
        const pe = rng.pick(productExponents);
        const v = powersBlock([{ exp: pe, negative }]);
        if (!nvfp4) return v && placed(v, e);
        // NVFP4: the E4M3 scales' powers of two (2^-9 … 2^8) make up the rest.
        const rest = e - pe;
        const ks = Array.from({ length: 18 }, (_, i) => i - 9).filter((k) => rest - k >= -9 && rest - k <= 8);
        if (v === undefined || ks.length === 0) return undefined;
        const k = rng.pick(ks);
        return { ...v, sa: e4m3Power(k), sb: e4m3Power(rest - k) };
      },
      negated: (v) => {
        const flipped = v.a.map((x) => ca.negate(x));
        const keep = (codes: number[], zero: number) =>
          codes.map((x, i) => (flipped[i] === undefined ? zero : x));
        const value = { ...v, a: keep(v.a, ca.zero), b: keep(v.b, cb.zero) };
        return { value, negation: { ...value, a: keep(flipped as number[], ca.zero) } };
      },
      nanScale: nvfp4 ? 0x7f : 0xff,
      infinite: (negative) => {
        const code = ca.corners.find((c) => {
          const v = decode(ca.format, c);
          return v.kind === 'inf' && v.sign === (negative ? 1 : 0);
        });
        const one = cb.powers.get(0);
        if (code === undefined || one === undefined) return undefined;
        const v = randomPair();
        v.a[rng.below(LANES)] = code;
        return { ...v, b: v.b.map((x, i) => (v.a[i] === code ? one : x)) };
      },
    };
    const random = (count: number) =>
      exact
        ? build(p, randomRuns(make, count), `random DotGeneral steps in runs of 1 to 64 (seed ${seed})`)
        : build(p, Array.from({ length: count }, randomPair), `random vectors (seed ${seed})`);
    const runs = () =>
      build(
        p,
        edgeRuns(make),
        'DotGeneral steps (absorbed and cancelled blocks, overflow and back, NaN and Inf)',
      );
    switch (request.kind) {
      case 'corner':
        return joinVectors([corner(), edges(), ...(exact ? [runs()] : [])]);
      case 'random':
        return random(request.count);
      case 'exhaustive':
        throw new Error(
          'mx_dot: blocks of 32 element pairs are too many to run exhaustively; use corner or random:N',
        );
      case 'default':
        return joinVectors([corner(), edges(), ...(exact ? [runs()] : []), random(DEFAULT_RANDOM)]);
    }
  },
  decode(port, bits, p) {
    if (port === 'y') return describeFloatCode(p.outFormat, bits);
    if (port === 'sa' || port === 'sb') {
      if (p.aFormat === 'nvfp4') return describeFloatCode('e4m3fn', bits);
      return bits === 0xffn ? 'NaN' : `2^${Number(bits) - 127}`;
    }
    const format = mxElement(port === 'a' ? p.aFormat : p.bFormat);
    const w = formatBits(format);
    const lanes = Array.from({ length: 4 }, (_, i) => {
      const value = decode(format, Number((bits >> BigInt(w * i)) & ((1n << BigInt(w)) - 1n)));
      return value.kind === 'finite' ? `${value.sign ? '-' : ''}${value.sig}·2^${value.exp}` : value.kind;
    });
    return `${lanes.map((l, i) => `lane${i} ${l}`).join(', ')}, …`;
  },
};

/** Whether a value lies half-way between two neighbours of the output format (its last bit is the half-ulp). */
export function isTie(value: ExactValue, out: FloatFormat): boolean {
  if (value.kind !== 'finite' || value.sig === 0n) return false;
  const ulp = Math.max(topExponent(value), floatLayout(out).emin) - out.mantBits;
  return value.exp === ulp - 1;
}

/** The E4M3 code of 2^k, −9 ≤ k ≤ 8 (subnormal below 2^-6). */
function e4m3Power(k: number): number {
  return k >= -6 ? (k + 7) << 3 : 1 << (k + 9);
}

function shuffled<T>(rng: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export function mxDotSpec(p: MxDotParams): MxDotSpec {
  return { aFormat: p.aFormat, bFormat: p.bFormat, outFormat: p.outFormat, policy: outputPolicy(p) };
}

function build(
  p: MxDotParams,
  vectors: (BlockPair & { clear?: boolean })[],
  description: string,
): PlannedVectors {
  const spec = mxDotSpec(p);
  const [wa, wb] = [formatBits(mxElement(p.aFormat)), formatBits(mxElement(p.bFormat))];
  const pack = (codes: number[], w: number) =>
    codes.reduce((acc, c, i) => acc | (BigInt(c) << BigInt(w * i)), 0n);
  const stimulus = vectors.map((v) => [pack(v.a, wa), BigInt(v.sa), pack(v.b, wb), BigInt(v.sb)]);
  if (p.accumulate === 'exact') {
    // A DotGeneral: a vector without `clear` continues the sum of the vectors before it.
    const steps = vectors.map((v) => ({ ...v, clear: v.clear ?? true }));
    return {
      inputs: ['a', 'sa', 'b', 'sb', 'clear'],
      outputs: ['y'],
      stimulus: stimulus.map((row, i) => [...row, steps[i]!.clear ? 1n : 0n]),
      expected: mxDotGeneralGolden(spec, steps).map((y) => [BigInt(y)]),
      description: `${vectors.length} ${description}`,
    };
  }
  return {
    inputs: ['a', 'sa', 'b', 'sb'],
    outputs: ['y'],
    stimulus,
    expected: vectors.map((v) => [BigInt(mxDotGolden(spec, v.a, v.sa, v.b, v.sb))]),
    description: `${vectors.length} ${description}`,
  };
}
