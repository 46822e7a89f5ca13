import { HdlError } from './errors.ts';

/** The type of a signal: a bit width and whether its bits are read as two's complement. */
export interface HdlType {
  readonly width: number;
  readonly signed: boolean;
}

export function UInt(width: number): HdlType {
  checkWidth(width);
  return { width, signed: false };
}

export function SInt(width: number): HdlType {
  checkWidth(width);
  return { width, signed: true };
}

export function typeName(t: HdlType): string {
  return `${t.signed ? 'SInt' : 'UInt'}(${t.width})`;
}

/** The widest signal (and port) the IR holds. */
export const MAX_WIDTH = 4096;

function checkWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1 || width > MAX_WIDTH) {
    throw new HdlError(`width ${width} is not allowed: a width is an integer from 1 to ${MAX_WIDTH}`);
  }
}

/** Smallest and largest value a type holds, as integers. */
export function typeRange(t: HdlType): { min: bigint; max: bigint } {
  const w = BigInt(t.width);
  return t.signed ? { min: -(1n << (w - 1n)), max: (1n << (w - 1n)) - 1n } : { min: 0n, max: (1n << w) - 1n };
}

/** The bit pattern of `value` in `width` bits (two's complement for negative values). */
export function toBits(value: bigint, width: number): bigint {
  return BigInt.asUintN(width, value);
}

/** The integer a bit pattern stands for under type `t`. */
export function fromBits(bits: bigint, t: HdlType): bigint {
  return t.signed ? BigInt.asIntN(t.width, bits) : bits;
}
