// IEEE 754 exception flags raised by an encode or an operation, and the encoded result.

export interface Flags {
  readonly invalid: boolean;
  readonly overflow: boolean;
  readonly underflow: boolean;
  readonly inexact: boolean;
}

export interface Encoded {
  readonly code: number;
  readonly flags: Flags;
}

const INVALID = 8;
const OVERFLOW = 4;
const UNDERFLOW = 2;
const INEXACT = 1;

// Shared frozen records, one per combination: encoders return them without allocating.
const TABLE: readonly Flags[] = Array.from({ length: 16 }, (_, bits) =>
  Object.freeze({
    invalid: (bits & INVALID) !== 0,
    overflow: (bits & OVERFLOW) !== 0,
    underflow: (bits & UNDERFLOW) !== 0,
    inexact: (bits & INEXACT) !== 0,
  }),
);

export const NO_FLAGS = TABLE[0]!;
export const INVALID_FLAGS = TABLE[INVALID]!;
export const INEXACT_FLAGS = TABLE[INEXACT]!;
export const OVERFLOW_FLAGS = TABLE[OVERFLOW | INEXACT]!;
export const UNDERFLOW_FLAGS = TABLE[UNDERFLOW | INEXACT]!;

export function makeFlags(invalid: boolean, overflow: boolean, underflow: boolean, inexact: boolean): Flags {
  return TABLE[
    (invalid ? INVALID : 0) |
      (overflow ? OVERFLOW : 0) |
      (underflow ? UNDERFLOW : 0) |
      (inexact ? INEXACT : 0)
  ]!;
}

export function orFlags(a: Flags, b: Flags): Flags {
  return makeFlags(
    a.invalid || b.invalid,
    a.overflow || b.overflow,
    a.underflow || b.underflow,
    a.inexact || b.inexact,
  );
}

/** The flag byte of TestFloat's and SoftFloat's line format: 10 invalid, 04 overflow, 02 underflow, 01 inexact. */
export function testFloatFlagByte(flags: Flags): number {
  return (
    (flags.invalid ? 0x10 : 0) |
    (flags.overflow ? 0x04 : 0) |
    (flags.underflow ? 0x02 : 0) |
    (flags.inexact ? 0x01 : 0)
  );
}

export function flagsFromTestFloatByte(byte: number): Flags {
  return makeFlags((byte & 0x10) !== 0, (byte & 0x04) !== 0, (byte & 0x02) !== 0, (byte & 0x01) !== 0);
}

/** Flag names for messages, e.g. "overflow,inexact" or "none". */
export function describeFlags(flags: Flags): string {
  const names = (['invalid', 'overflow', 'underflow', 'inexact'] as const).filter((n) => flags[n]);
  return names.length ? names.join(',') : 'none';
}
