// fp_add's own composition of the shared adder blocks (docs/fp_add.md#pipeline): addRound's steps
// with the options that shorten its paths on ECP5 and iCE40, and more places for a pipeline cut.
import type { AddRawOptions, ExponentComparison } from '../arith/add.ts';
import { addRound } from '../arith/add-round.ts';
import type { RawFloat } from '../arith/raw-float.ts';
import type { RoundedFloat } from '../arith/round.ts';
import { splitSum } from '../arith/split-sum.ts';
import type { Signal } from '../hdl/signal.ts';
import type { FloatFormat, ResolvedPolicy } from '../formats/index.ts';

/** The cut points of fpAddRound (docs/fp_add.md#pipeline lists where each falls). */
export type AddPathCut =
  | 'aligned'
  | 'summed'
  | 'align'
  | 'exponents'
  | 'normalize'
  | 'counted'
  | 'difference'
  | 'complemented'
  | 'denorm'
  | 'increment'
  | 'count'
  | 'shift'
  | 'carry'
  | 'negate';

/**
 * x + y formed exactly in one window (addRaw), normalized, aligned to `format` from the exponent alone
 * and rounded once with `policy`, as addRound does, with these differences: the alignment compares the
 * exponent with emin in LUTs and gathers the bits its shift drops from a mask; the swap of the
 * significands follows the 'difference' cut; 'shift' cuts the alignment shift after its coarse half,
 * 'count' the leading-zero count after its chunks, 'carry' the window-wide addition and 'negate' its
 * absolute value's negation halfway up their carry chains. `expBias`: the exponents are biased fields.
 * `xNotSmaller`: |x| ≥ |y|, known from the codes; the operands are then ordered by it and their
 * difference is never negated (docs/fp_add.md#operand-order). `operands` (only with `xNotSmaller`):
 * their significands as two placements each, whose trailing zeros are then counted apart, and whether
 * a zero operand's significand is zero.
 */
export function fpAddRound(
  x: RawFloat,
  y: RawFloat,
  format: FloatFormat,
  policy: ResolvedPolicy,
  cut: (point: AddPathCut) => void,
  has: (point: AddPathCut) => boolean,
  expBias?: number,
  xNotSmaller?: Signal,
  operands: Pick<AddRawOptions, 'sigForms' | 'zeroSignificandOfZero'> = {},
): RoundedFloat {
  return addRound(x, y, format, policy, cut, expBias, {
    // One adder with a carry-in (big + ~small + 1) rather than a sum and a difference and a mux: the
    // exponent order keeps the latter below its carry cuts (as its catalog units were measured).
    wideAdd: has('carry') || has('negate') || xNotSmaller !== undefined ? wideAdd(cut, has) : undefined,
    cutShift: has('shift') ? () => cut('shift') : undefined,
    cutCount: has('count') ? () => cut('count') : undefined,
    compared: compareBySign(x, y, xNotSmaller),
    orderedByMagnitude: xNotSmaller !== undefined,
    // The bits the alignment drops, told from the smaller operand's trailing zeros (counted beside
    // the comparison): the mask's comparisons and window-wide OR would precede the addend.
    lostFromTrailingZeros: xNotSmaller !== undefined,
    sigForms: operands.sigForms,
    zeroSignificandOfZero: xNotSmaller !== undefined && operands.zeroSignificandOfZero,
    align: { comparesInLuts: true, lostFromMask: true },
  });
}

/**
 * addRaw's exponent comparison, with the order taken from the sign of x − y: the two differences are
 * then parallel carry chains and the comparison none of its own (a separate comparison feeding a mux
 * of the two differences lets synthesis share one subtractor behind it, two chains in a row). With
 * `xNotSmaller` the order is that instead (equal exponents leave either difference 0).
 */
export function compareBySign(x: RawFloat, y: RawFloat, xNotSmaller?: Signal): ExponentComparison {
  const expWidth = Math.max(x.exp.width, y.exp.width) + 1;
  const ex = x.exp.resize(expWidth);
  const ey = y.exp.resize(expWidth);
  const xMinusY = ex.sub(ey, { width: expWidth + 1 }).named('sum_x_minus_y');
  return {
    xFirst: xNotSmaller ?? xMinusY.msb().not().named('sum_x_first'),
    xMinusY,
    yMinusX: ey.sub(ex, { width: expWidth + 1 }).named('sum_y_minus_x'),
  };
}

/** addRaw's window-wide additions, each split halfway up its carry chain where its cut is taken. */
function wideAdd(cut: (point: AddPathCut) => void, has: (point: AddPathCut) => boolean) {
  return (a: Signal, b: Signal, carryIn: Signal, which: 'sum' | 'complement'): Signal => {
    const point = which === 'sum' ? 'carry' : 'negate';
    return has(point)
      ? splitSum(a, b, carryIn, () => cut(point), `sum_${which}_split`)
      : a.add(b, { width: a.width }).add(carryIn.zext(a.width), { width: a.width });
  };
}
