import { INT8_GROUP, type QuantizeParams } from '../../generators/quantize/quantize.ts';
import {
  decode,
  decodeNumber,
  encode,
  finite,
  floatLayout,
  formatByName,
  MX_FORMATS,
  type ExactValue,
  type FloatFormat,
} from '../../generators/formats/index.ts';
import { quantizeInt8Golden } from '../golden/quantize-int8.ts';
import { quantizeNvfp4Golden } from '../golden/quantize-nvfp4.ts';
import { elementBits, quantizeGolden, type QuantizeSpec } from '../golden/quantize.ts';
import { mxQuantizeCases } from '../vectors/mx-quantize.ts';
import { Random } from '../vectors/random.ts';
import {
  NVFP4_BLOCK,
  nvfp4CornerRows,
  nvfp4RandomRows,
  nvfp4TieRows,
  type Nvfp4Row,
} from './quantize-nvfp4.ts';
import { int8CornerGroups, int8RandomGroups, int8TieGroups } from './quantize-int8.ts';
import { joinVectors, vectorsOfKind, type PlannedVectors, type VerificationPlan } from './plan.ts';

const BLOCK = 32;

export function quantizeSpec(p: QuantizeParams): QuantizeSpec {
  return {
    format: p.format,
    inFormat: p.inFormat,
    rounding: p.rounding as QuantizeSpec['rounding'],
    inputSubnormals: p.inputSubnormals as QuantizeSpec['inputSubnormals'],
    ...(p.scaleRounding === undefined ? {} : { scaleRounding: p.scaleRounding }),
  };
}

/** Values per block: MX 32, NVFP4 16, int8 its group size. */
function blockSize(p: QuantizeParams): number {
  return p.format === 'nvfp4' ? NVFP4_BLOCK : p.format === 'int8' ? (p.groupSize ?? INT8_GROUP) : BLOCK;
}

/** Bits per element code. */
function codeBits(p: QuantizeParams): number {
  return p.format === 'nvfp4' ? 4 : elementBits(p.format);
}

/** What the plan needs of the input format: its codes' layout and exact encoding (the NVFP4 rows too). */
export class Input {
  readonly format: FloatFormat;
  readonly bits: number;
  readonly mantBits: number;
  readonly emin: number;
  readonly emax: number;
  constructor(name: string) {
    this.format = formatByName(name) as FloatFormat;
    const layout = floatLayout(this.format);
    this.bits = layout.bits;
    this.mantBits = this.format.mantBits;
    this.emin = layout.emin;
    this.emax = layout.maxQ + layout.mantBits;
  }
  get signBit(): number {
    return 2 ** (this.bits - 1);
  }
  get expAllOnes(): number {
    return (2 ** (this.bits - 1 - this.mantBits) - 1) * 2 ** this.mantBits;
  }
  /** The code of (−1)^sign · sig · 2^exp when the input format holds it exactly. */
  exact(sign: 0 | 1, sig: bigint, exp: number): number | undefined {
    const value = finite(sign, sig, exp);
    const code = encode(this.format, value).code;
    const back = decode(this.format, code) as ExactValue;
    return back.kind === 'finite' && back.sig === value.sig && back.exp === value.exp ? code : undefined;
  }
  /** A normal code of exponent e (clamped to the normal range) with a random mantissa. */
  normal(rng: Random, e: number, sign?: 0 | 1): number {
    const field = Math.min(Math.max(e, this.emin), this.emax) + (2 ** (this.bits - 2 - this.mantBits) - 1);
    const s = sign ?? (rng.below(2) as 0 | 1);
    return s * this.signBit + field * 2 ** this.mantBits + Number(rng.bits(this.mantBits));
  }
  subnormal(rng: Random): number {
    return rng.below(2) * this.signBit + 1 + rng.below(2 ** this.mantBits - 1);
  }
}

/** The element values of an MX format's positive codes, as exact (sig, exp), in increasing order. */
function elementGrid(format: string): { sig: bigint; exp: number }[] {
  const element = MX_FORMATS.find((f) => f.name === format)!.element;
  const codes = Array.from(
    { length: element.kind === 'float' ? 2 ** (floatLayout(element).bits - 1) : 128 },
    (_, c) => c,
  );
  return codes
    .map((c) => decode(element, c))
    .filter((v): v is Extract<ExactValue, { kind: 'finite' }> => v.kind === 'finite')
    .map((v) => ({ sig: v.sig, exp: v.exp }));
}

function emaxOf(format: string): number {
  const grid = elementGrid(format);
  const top = grid[grid.length - 1]!;
  return top.exp + top.sig.toString(2).length - 1;
}

/**
 * Blocks spanning the format's cases: zero blocks, ±0, NaN and ±Inf anywhere, subnormal inputs,
 * blocks whose amax is subnormal, the smallest and largest scales, and every element format's clamping
 * edge (amax at max, at the tie just above it, and beyond).
 */
function cornerBlocks(p: QuantizeParams, rng: Random): number[][] {
  const input = new Input(p.inFormat);
  const blocks: number[][] = [];
  const fill = (f: (i: number) => number) => blocks.push(Array.from({ length: BLOCK }, (_, i) => f(i)));
  const nan = input.expAllOnes + 1;
  const qnan = input.expAllOnes + 2 ** (input.mantBits - 1);
  fill(() => 0);
  fill((i) => (i % 3 === 0 ? input.signBit : 0));
  for (const special of [nan, qnan, input.expAllOnes, input.expAllOnes + input.signBit, qnan + input.signBit])
    for (const at of [0, 17, 31]) fill((i) => (i === at ? special : input.normal(rng, rng.below(8) - 4)));
  // Subnormal inputs: all of them (amax subnormal), among zeros, the largest and smallest, among normals.
  fill(() => input.subnormal(rng));
  fill((i) => (i === 5 ? 1 : 0));
  fill((i) => (i === 9 ? input.signBit + 2 ** input.mantBits - 1 : i % 2 === 0 ? 1 : 0));
  fill((i) => (i % 4 === 0 ? input.subnormal(rng) : input.normal(rng, input.emin + rng.below(3))));
  fill((i) => (i % 4 === 0 ? input.subnormal(rng) : input.normal(rng, input.emin + 20)));
  // The smallest normals (scale raised to 2^−127 for fp32 and bf16) and the largest finite values.
  fill(() => input.normal(rng, input.emin));
  fill((i) =>
    i < 2
      ? input.expAllOnes - 1 + (i === 1 ? input.signBit : 0)
      : input.normal(rng, input.emax - rng.below(6)),
  );
  // The clamping edge: amax at max · 2^k, the values between max and the next binade, ties above max.
  const grid = elementGrid(p.format);
  const emax = emaxOf(p.format);
  const top = grid[grid.length - 1]!;
  for (const k of [0, -3, 5]) {
    const edge: number[] = [];
    const steps = 8n;
    // max · 2^k up to 2^(emax+1+k) in eighths of the step above max.
    const below = top.sig * (1n << 20n);
    const next = 1n << BigInt(emax + 1 - top.exp + 20);
    for (let j = 0n; j <= steps; j++) {
      const sig = below + ((next - below) * j) / steps;
      const code =
        input.exact(0, sig, top.exp - 20 + k) ?? input.exact(0, (sig >> 8n) << 8n, top.exp - 20 + k);
      if (code !== undefined) edge.push(code, code + input.signBit);
    }
    const mantAllOnes = input.normal(rng, emax + k, 0) | (2 ** input.mantBits - 1);
    edge.push(mantAllOnes);
    fill((i) => edge[i] ?? input.normal(rng, emax + k - rng.below(10)));
  }
  return blocks;
}

/**
 * Ties of the element rounding: the block's amax fixes the scale 2^s, the other values lie half-way
 * between neighbouring element values (subnormal ones included) times 2^s, and just beside.
 */
function tieBlocks(p: QuantizeParams, rng: Random, count: number): number[][] {
  const input = new Input(p.inFormat);
  const grid = elementGrid(p.format);
  const emax = emaxOf(p.format);
  const blocks: number[][] = [];
  for (let b = 0; b < count; b++) {
    // A scale exponent the input format can reach with the whole grid (fp16 holds fewer).
    const s = input.emin + 12 + rng.below(Math.max(1, input.emax - emax - input.emin - 12));
    const block: number[] = [input.exact(rng.below(2) as 0 | 1, 1n, emax + s) ?? 0];
    while (block.length < BLOCK) {
      const i = rng.below(grid.length - 1);
      const [lo, hi] = [grid[i]!, grid[i + 1]!];
      const e = Math.min(lo.exp, hi.exp) - 1;
      const mid = (lo.sig << BigInt(lo.exp - e)) + (hi.sig << BigInt(hi.exp - e)); // 2·midpoint at 2^e
      const nudge = [0n, 0n, 1n, -1n][rng.below(4)]!;
      const code = input.exact(rng.below(2) as 0 | 1, (mid << 12n) + nudge, e - 12 + s);
      if (code !== undefined) block.push(code);
    }
    blocks.push(block);
  }
  return blocks;
}

/** Activation-like blocks: each value a random magnitude around a block level that spans the range. */
function randomBlocks(p: QuantizeParams, rng: Random, count: number): number[][] {
  const input = new Input(p.inFormat);
  return Array.from({ length: count }, (_, b) => {
    if (b % 8 === 7) return Array.from({ length: BLOCK }, () => Number(rng.bits(input.bits)));
    const level = input.emin - 4 + rng.below(input.emax - input.emin + 5);
    const spread = 1 + rng.below(12);
    return Array.from({ length: BLOCK }, () => {
      const e = level - rng.below(spread);
      return e < input.emin ? (rng.below(3) === 0 ? 0 : input.subnormal(rng)) : input.normal(rng, e);
    });
  });
}

function pack(codes: readonly number[], bits: number): bigint {
  return codes.reduce((acc, c, i) => acc | (BigInt(c) << BigInt(bits * i)), 0n);
}

/**
 * The expected scale and packed elements of one packed input block and, for NVFP4, its tensor scale's
 * fp32 code (the plan's rows and the mutation replay).
 */
export function quantizeExpected(p: QuantizeParams, x: bigint, tensorScale?: bigint): [bigint, bigint] {
  const inBits = BigInt(new Input(p.inFormat).bits);
  const mask = (1n << inBits) - 1n;
  const codes = Array.from({ length: blockSize(p) }, (_, i) => Number((x >> (inBits * BigInt(i))) & mask));
  const q =
    p.format === 'nvfp4'
      ? quantizeNvfp4Golden(quantizeSpec(p), codes, Number(tensorScale))
      : p.format === 'int8'
        ? quantizeInt8Golden(quantizeSpec(p), codes)
        : quantizeGolden(quantizeSpec(p), codes);
  return [BigInt(q.scale), pack(q.elements, codeBits(p))];
}

function vectors(p: QuantizeParams, blocks: number[][], description: string): PlannedVectors {
  const inBits = new Input(p.inFormat).bits;
  const stimulus = blocks.map((b) => [pack(b, inBits)]);
  return {
    inputs: ['x'],
    outputs: ['scale', 'elements'],
    stimulus,
    expected: stimulus.map(([x]) => quantizeExpected(p, x!)),
    description,
  };
}

function nvfp4Vectors(p: QuantizeParams, rows: Nvfp4Row[], description: string): PlannedVectors {
  const inBits = new Input(p.inFormat).bits;
  const stimulus = rows.map((r) => [pack(r.codes, inBits), BigInt(r.tensor)]);
  return {
    inputs: ['x', 'tensor_scale'],
    outputs: ['scale', 'elements'],
    stimulus,
    expected: stimulus.map(([x, t]) => quantizeExpected(p, x!, t)),
    description,
  };
}

/** int8 groups: corner groups, ties of the integer rounding, activation-like random groups. */
function int8Sets(p: QuantizeParams, seed: number) {
  const input = new Input(p.inFormat);
  const n = blockSize(p);
  return {
    corner: () => vectors(p, int8CornerGroups(input, n, seed), 'corner groups'),
    ties: () => vectors(p, int8TieGroups(input, n, seed + 1, 200), '200 groups of integer ties'),
    random: (count: number) =>
      vectors(p, int8RandomGroups(input, n, seed + 2, count), `${count} random groups (seed ${seed})`),
  };
}

/** NVFP4 blocks: corner blocks and scale edges, E2M1 ties, activation-like random blocks. */
function nvfp4Sets(p: QuantizeParams, seed: number) {
  const input = new Input(p.inFormat);
  return {
    corner: () => nvfp4Vectors(p, nvfp4CornerRows(input, seed), 'corner blocks and block-scale edges'),
    ties: () => nvfp4Vectors(p, nvfp4TieRows(input, seed + 1, 200), '200 blocks of E2M1 ties'),
    random: (count: number) =>
      nvfp4Vectors(
        p,
        nvfp4RandomRows(input, new Random(seed + 2), count),
        `${count} random blocks (seed ${seed})`,
      ),
  };
}

/**
 * The blocks numpy and ml_dtypes quantized for this format and input format, when some are carried;
 * their expected outputs come from the golden model, which those vectors check
 * (testbenches/golden/quantize-mx-fixtures.test.ts).
 */
function externalBlocks(p: QuantizeParams): PlannedVectors[] {
  const blocks = mxQuantizeCases(p.format, p.inFormat).map((c) => c.inputs);
  return blocks.length === 0 ? [] : [vectors(p, blocks, `${blocks.length} numpy + ml_dtypes blocks`)];
}

/**
 * MX blocks from 32 activations: corner blocks, ties of each rounding, the external blocks of the
 * format, and activation-like random blocks.
 */
export const quantizePlan: VerificationPlan<QuantizeParams> = {
  generator: 'quantize',
  vectors(p, request, seed) {
    const { corner, ties, random } =
      p.format === 'nvfp4'
        ? nvfp4Sets(p, seed)
        : p.format === 'int8'
          ? int8Sets(p, seed)
          : {
              corner: () => vectors(p, cornerBlocks(p, new Random(seed)), 'corner blocks'),
              ties: () => vectors(p, tieBlocks(p, new Random(seed + 1), 200), '200 blocks of element ties'),
              random: (count: number) =>
                vectors(
                  p,
                  randomBlocks(p, new Random(seed + 2), count),
                  `${count} random blocks (seed ${seed})`,
                ),
            };
    return vectorsOfKind(request, {
      exhaustive: () => {
        throw new Error('quantize: a block of 32 values has too many inputs to run them all');
      },
      corner: () => joinVectors([corner(), ties(), ...externalBlocks(p)]),
      random,
      default: () => joinVectors([corner(), ties(), ...externalBlocks(p), random(2000)]),
    });
  },
  decode(port, bits, p) {
    const nvfp4 = p.format === 'nvfp4';
    if (port === 'tensor_scale') return `${decodeNumber(formatByName('fp32'), Number(bits))}`;
    if (port === 'scale' && nvfp4) return `${decodeNumber(formatByName('e4m3fn'), Number(bits))}`;
    if (port === 'scale' && p.format === 'int8') return `${decodeNumber(formatByName('fp16'), Number(bits))}`;
    if (port === 'scale') return bits === 0xffn ? 'NaN' : `2^${Number(bits) - 127}`;
    const width = BigInt(port === 'x' ? new Input(p.inFormat).bits : codeBits(p));
    const mask = (1n << width) - 1n;
    const digits = Number((width + 3n) / 4n);
    return Array.from({ length: blockSize(p) }, (_, i) =>
      ((bits >> (width * BigInt(i))) & mask).toString(16).padStart(digits, '0'),
    ).join(' ');
  },
};
