// COMET's split of an int8 activation into two int4 passes (Liu et al., arXiv 2410.12168, and
// docs/w4a16.md#mixed-4-and-8-bit-activations): q = 16·q_hi + q_lo, q_hi = q >> 4 signed (−8..7), q_lo =
// q & 15 unsigned (0..15). The chunk kernel takes each half as a 5-bit two's complement code, the fifth
// bit being the sign of the high half and 0 for the low one; an int4 group's lane is its low nibble,
// sign-extended (the high nibble of its 8-bit lane is not read).
import type { Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { cat, mux } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';

export function nibblesModuleName(lanes: number): string {
  return `gemv_nibbles_int4_int8_s${lanes}`;
}

/**
 * Inputs x (S 8-bit codes), wide (the group is int8), high (the high-half pass); output y (S 5-bit
 * codes for the chunk kernel, lane 0 lowest). Combinational.
 */
export function nibblesModule(lanes: number): Module {
  const m = new ModuleBuilder(nibblesModuleName(lanes), { generator: 'gemv', params: { lanes } });
  const x = m.input('x', UInt(8 * lanes), `${lanes} 8-bit activation codes, lane 0 lowest`);
  const wide = m.input('wide', UInt(1), 'the group is int8 (else int4, in the low nibbles)');
  const high = m.input('high', UInt(1), "an int8 group's first pass: the high halves, else the low ones");
  const upper = wide.and(high).named('upper');
  const codes = Array.from({ length: lanes }, (_, i) => {
    const nibble = mux(upper, x.slice(8 * i + 7, 8 * i + 4), x.slice(8 * i + 3, 8 * i)).named(`nibble${i}`);
    // The sign: the high half's, an int4 code's own; none for the low half of an int8 code.
    const sign = mux(wide, high.and(x.bit(8 * i + 7)), x.bit(8 * i + 3)).named(`sign${i}`);
    return cat(sign, nibble).named(`a${i}`);
  });
  m.output(
    'y',
    codes.length === 1 ? codes[0]! : cat(...codes.reverse()),
    `${lanes} 5-bit nibble codes, lane 0 lowest`,
  );
  return m.build();
}
