// The NVFP4 datapath of `quantize` (docs/mx-nvfp4.md#nvfp4-quantization): 16 values and the fp32
// tensor scale s_tensor in, one E4M3 block scale and 16 E2M1 codes out. The block scale is
// amax / (6 · s_tensor) rounded to E4M3 (nearest even, or up), at least 2^−9; each element is
// x / (s_block · s_tensor) rounded to E2M1. A rounding needs only a few bits of its quotient and
// whether a remainder is left: both come from comparisons of the dividend with multiples of the
// divisor, made once per block (quotient-grid.ts), not from a divider.
import { roundPack } from '../arith/round.ts';
import { unpackFloat } from '../arith/unpack.ts';
import { signedBits } from '../arith/widths.ts';
import {
  floatLayout,
  formatByName,
  resolvePolicy,
  type FloatFormat,
  type RoundingMode,
} from '../formats/index.ts';
import type { ModuleBuilder } from '../hdl/module.ts';
import { cat, mux, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';
import { pipelineCuts } from '../pipeline-cuts.ts';
import { blockAmax, normalized } from './block-amax.ts';
import { quotientGrid, quotientOnGrid } from './quotient-grid.ts';

export const NVFP4_BLOCK = 16;
const E4M3 = formatByName('e4m3fn') as FloatFormat;
const E2M1 = formatByName('e2m1fn') as FloatFormat;
const FP32 = formatByName('fp32') as FloatFormat;
/** e4m3fn's NaN, the scale of a block with a NaN or an infinity; its smallest subnormal 2^−9, the least scale. */
const SCALE_NAN = 0x7f;
const SMALLEST_SCALE = 0x01;

export interface Nvfp4Options {
  input: FloatFormat;
  flush: boolean;
  rounding: RoundingMode;
  scaleRounding: 'rne' | 'up';
  latency: number;
}

/**
 * NVFP4's cut points, by priority: after the block scale is rounded ('scaled'), after the amax tree and
 * the multiples of the tensor scale beside it ('amax'), after the multiples of the step, before the
 * elements' comparisons ('step'), at the output.
 */
export const NVFP4_CUTS = ['scaled', 'amax', 'step', 'output'] as const;

/** Builds the NVFP4 quantizer's ports and logic in m. */
export function buildNvfp4(m: ModuleBuilder, o: Nvfp4Options): void {
  const cut = pipelineCuts(m, o.latency, NVFP4_CUTS);
  const inBits = floatLayout(o.input).bits;
  const x = m.input('x', UInt(inBits * NVFP4_BLOCK), `${NVFP4_BLOCK} ${o.input.name} codes, value 0 lowest`);
  const tensorCode = m.input(
    'tensor_scale',
    UInt(32),
    'fp32 tensor scale s_tensor (x ≈ e2m1 · s_block · s_tensor; not its reciprocal), positive and finite',
  );
  const codes = Array.from({ length: NVFP4_BLOCK }, (_, i) =>
    x.slice(inBits * (i + 1) - 1, inBits * i).named(`x${i}`),
  );
  const unpacked = codes.map((code, i) => unpackFloat(code, o.input, `x${i}`, o.flush));
  const values = unpacked.map((u, i) => normalized(u, o.input, o.flush, `x${i}`));

  const amax = blockAmax(codes, unpacked, o.input, o.flush);
  const tensor = normalized(unpackFloat(tensorCode, FP32, 'tensor'), FP32, false, 'tensor');
  const special = unpacked
    .map((u) => u.isNaN.or(u.isInf))
    .reduce((a, b) => a.or(b))
    .or(tensor.sign)
    .or(tensor.isNaN)
    .or(tensor.isInf)
    .or(tensor.isZero)
    .named('block_special');

  // s_block: amax / (6 · s_tensor) = (A / B) · 2^(a − t − 2), A the amax significand in [1, 2) and
  // B = 1.5 · the tensor significand, in [1.5, 3) (3 · St at 2^−24, St the 24-bit significand): A / B
  // lies in (1/3, 4/3), and E4M3's rounding needs 5 significant bits of it. B's multiples are made
  // beside the amax tree.
  const M = o.input.mantBits;
  const B = tensor.sig
    .zext(26)
    .mul(m.constant(3, UInt(2)), { width: 26 })
    .named('tensor_sig_x3');
  const scaleGrid = quotientGrid(B, 24, M + 1, 5, { lo: [1, 3], hi: [4, 3] }, 'sblock');
  cut.at('amax');

  const q = quotientOnGrid(amax.sig, scaleGrid, 'sblock');
  // Wide enough for a − t − 2 and the binade's shift of up to 2 below it.
  const sw = signedBits(amax.expRange.min - tensor.expRange.max - 4, amax.expRange.max - tensor.expRange.min);
  const scaleExp = amax.exp
    .resize(sw)
    .sub(tensor.exp.resize(sw), { width: sw })
    .sub(q.shift.zext(sw).add(2, { width: sw }).asSigned(), { width: sw })
    .named('sblock_exp_raw');
  const scaleLast = floatLayout(E4M3).emin - E4M3.mantBits;
  const scaleRange = { min: scaleLast - 3, max: 9 };
  const zero = m.constant(0, UInt(1));
  const scaleRaw = roundPack(
    {
      sign: zero,
      exp: clampTo(scaleExp, scaleRange, 'sblock_exp'),
      sig: q.sig,
      sticky: q.sticky,
      isZero: amax.isZero,
      isInf: zero,
      isNaN: zero,
      expRange: scaleRange,
    },
    E4M3,
    resolvePolicy(E4M3, {
      rounding: o.scaleRounding === 'up' ? 'rup' : 'rne',
      overflow: 'saturate',
      subnormals: 'keep',
    }),
    'sblock',
  ).code;
  // A scale that rounds to 0 (a zero block too) is raised to 2^−9.
  const scaleCode = mux(scaleRaw.orR(), scaleRaw, m.constant(SMALLEST_SCALE, UInt(8))).named('scale_code');
  cut.at('scaled');

  // Each element: x / (s_block · s_tensor) = (X / P) · 2^(e − b − t), P = Sb · St in [1, 4) at 2^−26.
  const block = normalized(unpackFloat(scaleCode, E4M3, 'block'), E4M3, false, 'block');
  const P = block.sig.mul(tensor.sig).named('step_sig'); // 28 bits
  const stepRange = {
    min: block.expRange.min + tensor.expRange.min,
    max: block.expRange.max + tensor.expRange.max,
  };
  const w = signedBits(
    Math.min(stepRange.min, values[0]!.expRange.min - stepRange.max - 2),
    Math.max(stepRange.max, values[0]!.expRange.max - stepRange.min),
  );
  const stepExp = block.exp.resize(w).add(tensor.exp.resize(w), { width: w }).named('step_exp');
  const elementLast = floatLayout(E2M1).emin - E2M1.mantBits;
  const policy = resolvePolicy(E2M1, {
    rounding: o.rounding,
    overflow: 'saturate',
    subnormals: 'keep',
  });
  const grid = quotientGrid(P, 26, M + 1, 3, { lo: [1, 4], hi: [2, 1] }, 'step');
  cut.at('step');
  const range = { min: elementLast - 3, max: 3 };
  const elementCodes = values.map((v, i) => {
    const q = quotientOnGrid(v.sig, grid, `e${i}`);
    const exp = v.exp
      .resize(w)
      .sub(stepExp, { width: w })
      .sub(q.shift.zext(w).asSigned(), { width: w })
      .named(`e${i}_exp_raw`);
    return roundPack(
      {
        sign: v.sign,
        exp: clampTo(exp, range, `e${i}_exp`),
        sig: q.sig,
        sticky: q.sticky,
        isZero: v.isZero,
        isInf: zero,
        isNaN: zero,
        expRange: range,
      },
      E2M1,
      policy,
      `e${i}`,
    ).code;
  });
  const elements = mux(
    special,
    m.constant(0, UInt(4 * NVFP4_BLOCK)),
    cat(...[...elementCodes].reverse()),
  ).named('element_codes');
  const scale = mux(special, m.constant(SCALE_NAN, UInt(8)), scaleCode).named('scale_out');
  cut.at('output');
  m.output(
    'scale',
    scale,
    'E4M3 (e4m3fn) block scale s_block (0x7F: NaN, for a block with a NaN or an infinity or an unusable tensor scale)',
  );
  m.output('elements', elements, `${NVFP4_BLOCK} E2M1 codes, element 0 lowest`);
}

/**
 * An exponent kept within range: below it every value rounds the same (to 0 under a nearest rounding,
 * to the least step when rounded up), above it every value saturates.
 */
function clampTo(e: Signal, range: { min: number; max: number }, name: string): Signal {
  const m = e.builder;
  const type = SInt(signedBits(range.min, range.max));
  const low = m.constant(range.min, type);
  const high = m.constant(range.max, type);
  return mux(e.lt(range.min), low, mux(e.gt(range.max), high, e.resize(type.width))).named(name);
}
