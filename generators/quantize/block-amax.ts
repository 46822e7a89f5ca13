// A block's largest magnitude, as a normalized float: the codes without their sign compared as unsigned
// numbers (the same order as their magnitudes; a flushed subnormal as zero) in a tree, the largest one
// unpacked and normalized.
import { normalizeOperand, operandLeadingZeros, unpackFloat, type UnpackedFloat } from '../arith/unpack.ts';
import { floatLayout, type FloatFormat } from '../formats/index.ts';
import { cat, mux, type Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';
import { maxTree } from './max-tree.ts';

/** A code unpacked with its significand normalized (hidden bit 1 for every nonzero finite value). */
export function normalized(
  u: UnpackedFloat,
  format: FloatFormat,
  flush: boolean,
  prefix: string,
): UnpackedFloat {
  const lz = format.subnormals && !flush ? operandLeadingZeros(u, format, prefix) : undefined;
  return normalizeOperand(u, format, prefix, flush, lz);
}

/** amax of the codes (unpacked beside them, for their zero flags), normalized. */
export function blockAmax(
  codes: Signal[],
  unpacked: UnpackedFloat[],
  input: FloatFormat,
  flush: boolean,
): UnpackedFloat {
  const m = codes[0]!.builder;
  const bits = floatLayout(input).bits;
  const magnitudes = codes.map((code, i) =>
    mux(unpacked[i]!.isZero, m.constant(0, UInt(bits - 1)), code.slice(bits - 2, 0)).named(`x${i}_mag`),
  );
  const amaxCode = maxTree(magnitudes, 'amax_mag');
  return normalized(
    unpackFloat(cat(m.constant(0, UInt(1)), amaxCode), input, 'amax', flush),
    input,
    flush,
    'amax',
  );
}
