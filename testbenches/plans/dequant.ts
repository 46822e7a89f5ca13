import {
  decode,
  decodeNumber,
  encodeNumber,
  floatLayout,
  formatBits,
  formatByName,
  intOfCode,
  type FloatFormat,
  type Format,
} from '../../generators/formats/index.ts';
import { outputPolicy } from '../../generators/float-params.ts';
import { resolveDequant, type DequantParams } from '../../generators/dequant/dequant.ts';
import {
  dequantGolden,
  elementFormat,
  wordCodes,
  type DequantInputs,
  type DequantSpec,
} from '../golden/dequant.ts';
import { codeNearExponent, cornerCodes, randomCode } from '../vectors/floats.ts';
import { Random } from '../vectors/random.ts';
import { describeFloatCode } from './float-decode.ts';
import { joinVectors, type PlannedVectors, type VectorKind, type VerificationPlan } from './plan.ts';

/** Default run: the crossed corner set, then seeded random vectors up to this many. */
export const DEQUANT_DEFAULT_VECTORS = 20_000;
const EXHAUSTIVE_INPUT_BITS = 20;
/** A corner set larger than this crosses its classes pairwise instead of all at once. */
const CORNER_LIMIT = 16_000;

/** The golden model's view of a unit's parameters. */
export function dequantSpec(p: DequantParams): DequantSpec {
  const r = resolveDequant(p);
  return {
    format: p.format,
    lanes: p.lanes,
    slotBits: r.slotBits,
    packing: r.packing,
    scale: r.scale,
    tensorScale: p.tensorScale,
    zeroPoint: r.zeroPoint,
    order: r.order,
    specialValues: r.specialValues,
    outFormat: p.outFormat,
    policy: outputPolicy(p),
  };
}

/** The unit's data inputs in port order, as (name, width). */
export function inputPorts(
  p: DequantParams,
): { name: keyof DequantInputs | 'q'; port: string; bits: number }[] {
  const r = resolveDequant(p);
  const ports: { name: keyof DequantInputs | 'q'; port: string; bits: number }[] = [
    { name: 'q', port: 'q', bits: r.wordBits },
  ];
  if (r.scale !== 'none')
    ports.push({ name: 'scale', port: 'scale', bits: formatBits(formatByName(r.scale)) });
  if (p.tensorScale) ports.push({ name: 'tensorScale', port: 'tensor_scale', bits: 32 });
  if (r.zeroPoint !== 'none')
    ports.push({ name: 'zero', port: 'zero', bits: formatBits(formatByName(r.zeroPoint)) });
  if (r.element.selector !== undefined)
    ports.push({ name: 'select', port: r.element.selector.port, bits: 2 });
  return ports;
}

/** floor(log2 |v|) of every finite nonzero value of the formats. */
function exponentRange(formats: readonly Format[]): { min: number; max: number } {
  const exps: number[] = [];
  for (const f of formats) {
    for (let c = 0; c < 2 ** formatBits(f); c++) {
      const v = decode(f, c);
      if (v.kind === 'finite' && v.sig !== 0n) exps.push(v.exp + v.sig.toString(2).length - 1);
    }
  }
  return { min: Math.min(...exps), max: Math.max(...exps) };
}

interface Context {
  p: DequantParams;
  spec: DequantSpec;
  elementBits: number;
  /** Exponent range of what the scale multiplies (the element, or q − z). */
  valueExps: { min: number; max: number };
  scale?: FloatFormat;
  zero?: Format;
  selects: number;
}

function context(p: DequantParams): Context {
  const spec = dequantSpec(p);
  const r = resolveDequant(p);
  const selects = r.element.selector === undefined ? 1 : 4;
  const elements = Array.from({ length: selects }, (_, k) => elementFormat(spec, k));
  const zero = r.zeroPoint === 'none' ? undefined : formatByName(r.zeroPoint);
  const valueExps =
    zero === undefined ? exponentRange(elements) : { min: -24, max: formatBits(elements[0]!) + 16 };
  return {
    p,
    spec,
    elementBits: r.element.bits,
    valueExps,
    ...(r.scale === 'none' ? {} : { scale: formatByName(r.scale) as FloatFormat }),
    ...(zero === undefined ? {} : { zero }),
    selects,
  };
}

/** Scale codes whose product with the element lands at the output's underflow and overflow edges. */
function edgeScales(ctx: Context, format: FloatFormat, rng: Random, offset = 0): number[] {
  const out = floatLayout(formatByName(ctx.p.outFormat) as FloatFormat);
  const targets = [out.emin - out.mantBits - 1, out.emin - 1, out.emin, out.maxQ + out.mantBits];
  const codes: number[] = [];
  for (const target of targets)
    for (const e of [ctx.valueExps.min, ctx.valueExps.max])
      codes.push(codeNearExponent(rng, format, target - e - offset, 1));
  return codes;
}

/** Scale classes: zeros, subnormal and normal extremes, one, max, Inf, NaNs (both signs), and the edges. */
function scaleClasses(ctx: Context, format: FloatFormat, rng: Random): number[] {
  return [...new Set([...cornerCodes(format), ...edgeScales(ctx, format, rng)])];
}

function zeroClasses(ctx: Context): number[] {
  const z = ctx.zero;
  if (z === undefined) return [0];
  if (z.kind === 'float') {
    const f = z as FloatFormat;
    const integers = [1, 7, 8, 15, 128, -3].map((n) => codeOfNumber(f, n));
    return [...new Set([...cornerCodes(f), ...integers])];
  }
  const bits = formatBits(z);
  if (bits <= 4) return Array.from({ length: 2 ** bits }, (_, i) => i);
  return [0, 1, 2, 2 ** (bits - 1) - 1, 2 ** (bits - 1), 2 ** bits - 2, 2 ** bits - 1];
}

function codeOfNumber(f: FloatFormat, n: number): number {
  for (let c = 0; c < 2 ** floatLayout(f).bits; c++) {
    const v = decode(f, c);
    if (v.kind === 'finite' && v.sig !== 0n && Number(v.sig) * 2 ** v.exp * (v.sign ? -1 : 1) === n) return c;
  }
  throw new Error(`${n} is not a ${f.name} value`);
}

/** Words in which every lane sees every code: lane j of word k holds code (k + j) mod 2^bits. */
function sweepWords(ctx: Context): bigint[] {
  const codes = 2 ** ctx.elementBits;
  return Array.from({ length: codes }, (_, k) =>
    packCodes(
      ctx,
      Array.from({ length: ctx.p.lanes }, (_, j) => (k + j) % codes),
    ),
  );
}

/** The word whose lanes (in element order) hold `codes`, under the unit's packing. */
function packCodes(ctx: Context, codes: readonly number[]): bigint {
  const r = resolveDequant(ctx.p);
  const mask = (1 << ctx.elementBits) - 1;
  // Find each lane's slot from the golden model's own unpacking (one-hot probes).
  const slotOf = laneSlotsFromGolden(ctx);
  let word = 0n;
  codes.forEach((c, j) => {
    word |= BigInt(c & mask) << BigInt(slotOf[j]! * r.slotBits);
  });
  return word;
}

const slotCache = new WeakMap<DequantParams, number[]>();

/** Each lane's slot, found by probing the golden model's unpacking with one code per slot. */
function laneSlotsFromGolden(ctx: Context): number[] {
  let slots = slotCache.get(ctx.p);
  if (slots === undefined) {
    const r = resolveDequant(ctx.p);
    const laneOfSlot = Array.from({ length: ctx.p.lanes }, (_, slot) =>
      wordCodes(ctx.spec, 1n << BigInt(slot * r.slotBits)).findIndex((c) => c === 1),
    );
    slots = Array.from({ length: ctx.p.lanes }, (_, lane) => laneOfSlot.indexOf(lane));
    slotCache.set(ctx.p, slots);
  }
  return slots;
}

/** Every element code in every lane, crossed with every scale class, zero point class and selector. */
function cornerCases(ctx: Context, rng: Random): DequantInputs[] {
  const words = sweepWords(ctx);
  const scales = ctx.scale === undefined ? [0] : scaleClasses(ctx, ctx.scale, rng);
  const fp32 = formatByName('fp32') as FloatFormat;
  const one32 = 0x3f800000;
  // NVFP4: every block-scale class with a tensor scale of 1, every tensor-scale class with block
  // scales of 1 and 448, and tensor scales steered to the output's edges with random block scales.
  const scalePairs: [number, number][] = ctx.p.tensorScale
    ? [
        ...scales.map((s): [number, number] => [s, one32]),
        ...[...cornerCodes(fp32), ...edgeScales(ctx, fp32, rng)].flatMap((t): [number, number][] => [
          [0x38, t],
          [0x7e, t],
        ]),
        ...Array.from({ length: 16 }, () => steeredScalePair(ctx, rng)),
      ]
    : scales.map((s): [number, number] => [s, 0]);
  const zeros = zeroClasses(ctx);
  const cases: DequantInputs[] = [];
  if (scalePairs.length * zeros.length * ctx.selects * words.length <= CORNER_LIMIT) {
    for (const [scale, tensorScale] of scalePairs)
      for (const zero of zeros)
        for (let select = 0; select < ctx.selects; select++)
          for (const word of words) cases.push({ word, scale, tensorScale, zero, select });
    return cases;
  }
  // Too many to cross fully: every code with every scale class (zero point and selector taking turns),
  // and every code with every zero point and selector at a scale of one.
  let turn = 0;
  for (const [scale, tensorScale] of scalePairs)
    for (const word of words) {
      const k = turn++;
      cases.push({ word, scale, tensorScale, zero: zeros[k % zeros.length]!, select: k % ctx.selects });
    }
  const one = ctx.scale === undefined ? 0 : codeNearExponent(rng, ctx.scale, 0, 0);
  const [, tensorOne] = scalePairs[0]!;
  for (const zero of zeros)
    for (let select = 0; select < ctx.selects; select++)
      for (const word of words) cases.push({ word, scale: one, tensorScale: tensorOne, zero, select });
  return cases;
}

/**
 * Ties of the output rounding: element × scale (× tensor scale) half-way between two neighbours of the
 * output format, for each sign and each parity of the lower neighbour (ties to even, away, toward zero
 * and toward −∞ each pick differently on one of them), in the normal and in the subnormal range. Found
 * by trying the code × scale space in exact arithmetic (binary64 products of at most 53 significant
 * bits); the tensor scale (NVFP4) is tried among values that are ties themselves. Units with a zero
 * point round (q − z)·s, left to the corner and random sets.
 */
export function tieCases(p: DequantParams): DequantInputs[] {
  const ctx = context(p);
  if (ctx.zero !== undefined) return [];
  const out = floatLayout(formatByName(ctx.p.outFormat) as FloatFormat);
  const fp32 = formatByName('fp32') as FloatFormat;
  const finite = (f: Format, c: number) => {
    const x = decodeNumber(f, c);
    return Number.isFinite(x) && x !== 0 ? x : undefined;
  };
  const tensors: [number, number][] = ctx.p.tensorScale
    ? [1, 2, 3, 4].flatMap((k): [number, number][] =>
        [out.emin, 0].map((e): [number, number] => {
          // In [1, 2): 1 + (k + ½)·2^−m; below the normal range: (k + ½)·2^(emin − m).
          const t = (e === 0 ? 2 ** out.mantBits + k + 0.5 : k + 0.5) * 2 ** (e - out.mantBits);
          return [encodeNumber(fp32, t, { rounding: 'rtz' }).code, t];
        }),
      )
    : [[0, 1]];
  const scales: [number, number][] =
    ctx.scale === undefined
      ? [[0, 1]]
      : // A scale format wider than 16 bits (fp32) is searched on the codes whose low bits are zero.
        Array.from({ length: 2 ** Math.min(16, formatBits(ctx.scale)) }, (_, i): [number, number] => {
          const c = i * 2 ** Math.max(0, formatBits(ctx.scale!) - 16);
          return [c, finite(ctx.scale!, c) ?? 0];
        }).filter(([, x]) => x !== 0);
  const found = new Map<string, DequantInputs>();
  // Eight classes: sign × parity × normal or subnormal.
  for (let select = 0; select < ctx.selects && found.size < 8; select++) {
    const f = elementFormat(ctx.spec, select);
    for (let code = 0; code < 2 ** ctx.elementBits; code++) {
      const e = finite(f, code);
      if (e === undefined) continue;
      for (const [scale, s] of scales)
        for (const [tensorScale, t] of tensors) {
          if (found.size === 8) return [...found.values()];
          const x = e * s * t;
          const magnitude = Math.abs(x);
          if (magnitude >= out.maxUnits * 2 ** out.maxQ) continue;
          let exp = Math.floor(Math.log2(magnitude));
          if (2 ** exp > magnitude) exp--;
          if (2 ** (exp + 1) <= magnitude) exp++;
          const units = magnitude / 2 ** (Math.max(exp, out.emin) - out.mantBits);
          if (units - Math.floor(units) !== 0.5) continue;
          const key = `${x < 0}|${Math.floor(units) % 2}|${exp < out.emin}`;
          if (!found.has(key)) {
            const word = packCodes(
              ctx,
              Array.from({ length: ctx.p.lanes }, () => code),
            );
            found.set(key, { word, scale, tensorScale, zero: 0, select });
          }
        }
    }
  }
  return [...found.values()];
}

/** NVFP4: a normal block scale near 1, and a tensor scale that puts the products at an output edge. */
function steeredScalePair(ctx: Context, rng: Random): [number, number] {
  const blockExp = rng.below(16) - 9;
  const scale = codeNearExponent(rng, ctx.scale!, blockExp, 0);
  const fp32 = formatByName('fp32') as FloatFormat;
  return [scale, rng.pick(edgeScales(ctx, fp32, rng, blockExp))];
}

/** Random words and groups; half the scales uniform, half steered to the output's edges. */
function randomCases(ctx: Context, count: number, rng: Random): DequantInputs[] {
  const r = resolveDequant(ctx.p);
  const fp32 = formatByName('fp32') as FloatFormat;
  const zeros = ctx.zero === undefined ? undefined : ctx.zero;
  const randomScale = (format: FloatFormat) =>
    rng.chance(0.5) ? randomCode(rng, format) : rng.pick(edgeScales(ctx, format, rng));
  return Array.from({ length: count }, (): DequantInputs => {
    const word = rng.bits(r.wordBits);
    let scale = ctx.scale === undefined ? 0 : randomScale(ctx.scale);
    let tensorScale = 0;
    if (ctx.p.tensorScale) {
      if (rng.chance(0.5)) {
        scale = randomCode(rng, ctx.scale!);
        tensorScale = randomCode(rng, fp32);
      } else {
        [scale, tensorScale] = steeredScalePair(ctx, rng);
      }
    }
    const zero = zeros === undefined ? 0 : Number(rng.bits(formatBits(zeros)));
    return { word, scale, tensorScale, zero, select: rng.below(ctx.selects) };
  });
}

function exhaustiveCases(ctx: Context): DequantInputs[] {
  const ports = inputPorts(ctx.p);
  const bits = ports.reduce((s, q) => s + q.bits, 0);
  if (bits > EXHAUSTIVE_INPUT_BITS)
    throw new Error(
      `dequant: ${bits} input bits are too many to run exhaustively (at most ${EXHAUSTIVE_INPUT_BITS})`,
    );
  return Array.from({ length: 2 ** bits }, (_, n) => {
    const fields: Record<string, number> = {};
    let rest = n;
    for (const port of [...ports].reverse()) {
      fields[port.name] = rest % 2 ** port.bits;
      rest = Math.floor(rest / 2 ** port.bits);
    }
    return {
      word: BigInt(fields.q ?? 0),
      scale: fields.scale ?? 0,
      tensorScale: fields.tensorScale ?? 0,
      zero: fields.zero ?? 0,
      select: fields.select ?? 0,
    };
  });
}

function build(ctx: Context, cases: readonly DequantInputs[], description: string): PlannedVectors {
  const golden = dequantGolden(ctx.spec);
  const ports = inputPorts(ctx.p);
  return {
    inputs: ports.map((port) => port.port),
    outputs: ['w'],
    stimulus: cases.map((c) =>
      ports.map((port) =>
        port.name === 'q' ? c.word : BigInt(c[port.name as keyof DequantInputs] as number),
      ),
    ),
    expected: cases.map((c) => [golden(c)]),
    description,
  };
}

const lastVectors = new Map<string, PlannedVectors>();

function planVectors(p: DequantParams, request: VectorKind, seed: number): PlannedVectors {
  const ctx = context(p);
  const rng = new Random(seed);
  switch (request.kind) {
    case 'exhaustive': {
      const cases = exhaustiveCases(ctx);
      return build(ctx, cases, `${cases.length} exhaustive vectors`);
    }
    case 'corner': {
      const cases = [...cornerCases(ctx, rng), ...tieCases(p)];
      return build(ctx, cases, `${cases.length} corner vectors (every code × scale class)`);
    }
    case 'random':
      return build(
        ctx,
        randomCases(ctx, request.count, rng),
        `${request.count} random vectors (seed ${seed})`,
      );
    case 'default': {
      const corner = [...cornerCases(ctx, rng), ...tieCases(p)];
      const fill = Math.max(0, DEQUANT_DEFAULT_VECTORS - corner.length);
      return joinVectors([
        build(ctx, corner, `${corner.length} corner vectors (every code × scale class)`),
        build(ctx, randomCases(ctx, fill, rng), `${fill} random vectors (seed ${seed})`),
      ]);
    }
  }
}

/**
 * dequant: every element code in every lane crossed with every scale class (zeros, subnormal and
 * normal extremes, one, max, Inf, NaN, both signs, and scales that put the products at the output's
 * underflow and overflow edges), products that are ties of the output rounding (tieCases), every zero point (4-bit) or its corners, and every selector value;
 * then seeded random words and groups, half of the scales steered to the edges. Exhaustive when the
 * inputs have at most 20 bits.
 */
export const dequantPlan: VerificationPlan<DequantParams> = {
  generator: 'dequant',
  vectors(p, request, seed) {
    // The catalog test asks for the same default set once per simulator: compute it once.
    const key = request.kind === 'random' ? undefined : `${JSON.stringify(p)}|${request.kind}|${seed}`;
    const cached = key === undefined ? undefined : lastVectors.get(key);
    if (cached !== undefined) return cached;
    const vectors = planVectors(p, request, seed);
    if (key !== undefined) {
      lastVectors.clear();
      lastVectors.set(key, vectors);
    }
    return vectors;
  },
  decode(port, bits, p) {
    const spec = dequantSpec(p);
    const r = resolveDequant(p);
    if (port === 'q')
      return `codes [${wordCodes(spec, bits)
        .map((c) => `0x${c.toString(16)}`)
        .join(', ')}]`;
    if (port === 'scale') return describeFloatCode(r.scale, bits);
    if (port === 'tensor_scale') return describeFloatCode('fp32', bits);
    if (port === 'zero') {
      const z = formatByName(r.zeroPoint);
      return z.kind === 'int' ? String(intOfCode(z, Number(bits))) : describeFloatCode(r.zeroPoint, bits);
    }
    if (port === 'w') {
      const out = formatByName(p.outFormat);
      const width = BigInt(formatBits(out));
      return Array.from(
        { length: p.lanes },
        (_, j) =>
          `[${j}] ${describeFloatCode(p.outFormat, BigInt.asUintN(Number(width), bits >> (width * BigInt(j))))}`,
      ).join(', ');
    }
    return String(bits);
  },
  portFormat(port, p) {
    const r = resolveDequant(p);
    const zero =
      r.zeroPoint !== 'none' && formatByName(r.zeroPoint).kind === 'float' ? r.zeroPoint : undefined;
    return ({ scale: r.scale, tensor_scale: 'fp32', zero, w: p.outFormat } as Record<string, string>)[port];
  },
};
