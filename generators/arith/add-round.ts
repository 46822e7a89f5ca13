// A sum of two raw floats rounded once into a format, with named pipeline cut points: the GEMV's row
// sum (docs/fp_add.md#pipeline says where each cut falls; fp_add composes the same blocks with more
// cuts and options in generators/float/add-path.ts).
import type { FloatFormat, ResolvedPolicy } from '../formats/index.ts';
import { addRaw, type AddRawOptions } from './add.ts';
import { alignToFormat, type AlignOptions } from './align.ts';
import { normalize } from './normalize.ts';
import type { RawFloat } from './raw-float.ts';
import { roundPack, type RoundedFloat } from './round.ts';

/** The first six cuts of every adder's order: the wide addition's, the alignments' and the normalization's. */
export const LEADING_ADD_CUTS = ['aligned', 'summed', 'align', 'exponents', 'normalize', 'counted'] as const;

/**
 * The cut points inside addRound, by priority: each added stage splits the longest remaining path of
 * an fp32 adder as measured on iCE40 and ECP5 (docs/fp_add.md#pipeline).
 */
export const ADD_ROUND_CUTS = [
  ...LEADING_ADD_CUTS,
  'difference',
  'complemented',
  'denorm',
  'increment',
] as const;

export type AddRoundCut = (typeof ADD_ROUND_CUTS)[number];

/** Faster forms of addRound's steps (fp_add's path, generators/float/add-path.ts). */
export interface AddRoundTuning {
  wideAdd?: AddRawOptions['wideAdd'];
  cutShift?: () => void;
  cutCount?: () => void;
  compared?: AddRawOptions['compared'];
  lostFromTrailingZeros?: boolean;
  sigForms?: AddRawOptions['sigForms'];
  zeroFromSum?: boolean;
  orderedByMagnitude?: boolean;
  zeroSignificandOfZero?: boolean;
  align?: AlignOptions;
}

/**
 * x + y formed exactly in one window (addRaw), normalized, aligned to `format` from the exponent alone
 * and rounded once with `policy`. `expBias`: the operands' exponents are biased fields of this bias.
 */
export function addRound(
  x: RawFloat,
  y: RawFloat,
  format: FloatFormat,
  policy: ResolvedPolicy,
  cut: (point: AddRoundCut) => void,
  expBias?: number,
  tuning: AddRoundTuning = {},
): RoundedFloat {
  const sum = addRaw(x, y, policy.rounding === 'rdown' ? 1 : 0, 'sum', (point) => cut(point), {
    wideAdd: tuning.wideAdd,
    cutDifference: () => cut('difference'),
    swapAfterDifference: true,
    lostFromTrailingZeros: tuning.lostFromTrailingZeros,
    sigForms: tuning.sigForms,
    cutShift: tuning.cutShift,
    compared: tuning.compared,
    zeroFromSum: tuning.zeroFromSum,
    orderedByMagnitude: tuning.orderedByMagnitude,
    zeroSignificandOfZero: tuning.zeroSignificandOfZero,
  });
  const normalized = normalize(
    expBias === undefined ? sum : { ...sum, expBias },
    'sum_norm',
    (point) => cut(point),
    tuning.cutCount,
  );
  cut('normalize');
  // Denormalized for the output from the exponent alone; the rounding is then one addition.
  const aligned = alignToFormat(
    { ...normalized, maxLeadingZeros: 0 },
    format,
    policy.subnormals,
    'sum_align',
    () => cut('denorm'),
    tuning.align,
  );
  cut('align');
  return roundPack(aligned, format, policy, 'out', () => cut('increment'));
}
