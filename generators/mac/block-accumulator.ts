// DotGeneral's exact accumulation across blocks (docs/mx-nvfp4.md#dotgeneral): each block's exact
// scaled sum enters a long fixed-point accumulator (arith/long-accumulator.ts) that spans every value
// a block can take, whatever its scales, so the sum of any number of blocks up to `maxBlocks` is
// exact and is rounded once when it is read.
import { heldSinceClear, longAccumulator, type LongAccumulatorCut } from '../arith/long-accumulator.ts';
import type { RawFloat } from '../arith/raw-float.ts';
import { unsignedBits } from '../arith/widths.ts';
import { mux, type Signal } from '../hdl/signal.ts';

export interface BlockAccumulatorOptions {
  /** Blocks one sum may hold before its register wraps. */
  maxBlocks: number;
  /** Bits per carry segment: the longest carry on the loop. */
  segment: number;
  /** Bits the read-out keeps below the leading one (the output's precision and its guard bits). */
  precision: number;
}

/** The accumulator's width and LSB for block values like `value` (docs/mx-nvfp4.md#dotgeneral). */
export function blockAccumulatorLayout(value: RawFloat, maxBlocks: number) {
  const range = value.expRange!;
  const bias = value.expBias ?? 0;
  const span = range.max - range.min;
  return {
    // The LSB of the smallest block value: its top bit's exponent less the significand's other bits.
    lsbExp: range.min - bias - (value.sig.width - 1),
    // Every bit of every block value, the carries of maxBlocks of them, and the sign.
    width: span + value.sig.width + unsignedBits(maxBlocks - 1) + 1,
    span,
  };
}

/**
 * The running exact sum of `value` over the blocks since the last `clear` (inclusive), normalized: a
 * NaN block (or +Inf meeting −Inf) makes the sum NaN, an infinite one ±Inf, until the next clear.
 * `cut(point)` is called at the long accumulator's points, its 'magnitude' renamed 'sum_magnitude'.
 */
export function accumulateBlocks(
  value: RawFloat,
  clear: Signal,
  options: BlockAccumulatorOptions,
  cut: (point: string) => void,
): RawFloat {
  const layout = blockAccumulatorLayout(value, options.maxBlocks);
  const positionBits = unsignedBits(layout.span);
  // The value's LSB lies exp − min places above the accumulator's: no adder when the range starts at 0.
  const offset = value.expRange!.min;
  const position = (offset === 0 ? value.exp : value.exp.sub(offset, { width: value.exp.width + 1 }))
    .resize(positionBits + 1)
    .asUnsigned()
    .resize(positionBits)
    .named('block_position');
  let sticky: { nan: Signal; posInf: Signal; negInf: Signal } | undefined;
  const sum = longAccumulator(
    {
      sig: value.sig,
      position,
      negative: value.sign,
      zero: value.isZero.or(value.isNaN).or(value.isInf).named('block_skipped'),
    },
    clear,
    { width: layout.width, lsbExp: layout.lsbExp, segment: options.segment },
    options.precision,
    (point: LongAccumulatorCut) => {
      // The loop's stage is current at 'accumulate': Inf and NaN blocks are remembered there.
      if (point === 'accumulate') {
        const keep = (name: string, set: Signal) => heldSinceClear(clear, name, set);
        sticky = {
          nan: keep('sum_nan', value.isNaN),
          posInf: keep('sum_pinf', value.isInf.and(value.sign.not())),
          negInf: keep('sum_ninf', value.isInf.and(value.sign)),
        };
      }
      cut(point === 'magnitude' ? 'sum_magnitude' : point);
    },
    'acc',
  );
  const { nan, posInf, negInf } = sticky!;
  const isNaN = nan.or(posInf.and(negInf)).named('sum_is_nan');
  const isInf = posInf.or(negInf).and(isNaN.not()).named('sum_is_inf');
  return {
    ...sum,
    sign: mux(isInf, negInf, sum.sign).named('sum_sign'),
    isZero: sum.isZero.and(isNaN.or(isInf).not()).named('sum_is_zero'),
    isInf,
    isNaN,
  };
}
