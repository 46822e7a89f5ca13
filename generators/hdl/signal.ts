import { HdlError } from './errors.ts';
import type { NodeKind } from './ir.ts';
import type { ModuleBuilder } from './module.ts';
import { SInt, UInt, typeName, typeRange, toBits, type HdlType } from './types.ts';

/** A number stands for a constant of the other operand's type. */
export type Operand = Signal | number | bigint;

export interface WidthOption {
  /** Result width; the result wraps (keeps the low bits) when narrower than the full result. */
  width?: number;
}

/**
 * A value in a module under construction. Operators build IR nodes; widths follow explicit rules and
 * every mismatch is an error that names the signals and their types.
 */
export class Signal {
  constructor(
    readonly builder: ModuleBuilder,
    readonly id: number,
    readonly type: HdlType,
  ) {}

  get width(): number {
    return this.type.width;
  }

  get signed(): boolean {
    return this.type.signed;
  }

  /** How error messages refer to this value. */
  get label(): string {
    return `'${this.builder.describe(this.id)}' ${typeName(this.type)}`;
  }

  /** Give the value a name that every back end keeps; a value that already has one keeps its first. */
  named(name: string): this {
    this.builder.nameNode(this.id, name);
    return this;
  }

  add(other: Operand, options: WidthOption = {}): Signal {
    return this.arith('add', other, options);
  }

  sub(other: Operand, options: WidthOption = {}): Signal {
    return this.arith('sub', other, options);
  }

  /** Full product (width = sum of widths) unless a narrower width is asked for. Mixed signedness gives a signed product. */
  mul(other: Operand, options: WidthOption = {}): Signal {
    const b = this.operand(other);
    const full = this.width + b.width;
    const type: HdlType = { width: full, signed: this.signed || b.signed };
    const product = this.builder.node('mul', type, [this.id, b.id]);
    return options.width === undefined ? product : product.resize(options.width);
  }

  /** Two's complement negation, one bit wider so that the most negative value negates exactly. */
  neg(): Signal {
    if (!this.signed)
      throw new HdlError(`neg: ${this.label} is unsigned; negate a signed value (asSigned or zext first)`);
    return this.builder.constant(0n, this.type).sub(this);
  }

  and(other: Operand): Signal {
    return this.bitwise('and', other);
  }

  or(other: Operand): Signal {
    return this.bitwise('or', other);
  }

  xor(other: Operand): Signal {
    return this.bitwise('xor', other);
  }

  not(): Signal {
    return this.builder.node('not', this.type, [this.id]);
  }

  /** Shift left by a constant or a variable amount; the width stays, bits shifted out are lost. */
  shl(amount: number | Signal): Signal {
    return this.shift('shl', amount);
  }

  /** Shift right: arithmetic for signed values, logical for unsigned ones; the width stays. */
  shr(amount: number | Signal): Signal {
    return this.shift(this.signed ? 'sra' : 'shr', amount);
  }

  eq(other: Operand): Signal {
    return this.compare('eq', other);
  }

  ne(other: Operand): Signal {
    return this.compare('ne', other);
  }

  lt(other: Operand): Signal {
    return this.compare('lt', other);
  }

  le(other: Operand): Signal {
    return this.compare('le', other);
  }

  gt(other: Operand): Signal {
    return this.compare('gt', other);
  }

  ge(other: Operand): Signal {
    return this.compare('ge', other);
  }

  /** Bits hi..lo (inclusive), unsigned. */
  slice(hi: number, lo: number): Signal {
    if (!Number.isInteger(hi) || !Number.isInteger(lo) || lo < 0 || hi < lo || hi >= this.width) {
      throw new HdlError(
        `slice [${hi}:${lo}] of ${this.label}: bits must satisfy ${this.width - 1} >= hi >= lo >= 0`,
      );
    }
    if (lo === 0 && hi === this.width - 1 && !this.signed) return this;
    return this.builder.node('slice', UInt(hi - lo + 1), [this.id], { hi, lo });
  }

  bit(index: number): Signal {
    return this.slice(index, index);
  }

  /** The most significant bit (the sign of a signed value). */
  msb(): Signal {
    return this.bit(this.width - 1);
  }

  /** Zero-extend to `width` bits; the result is unsigned. */
  zext(width: number): Signal {
    return this.extend('zext', width, UInt(width));
  }

  /** Sign-extend to `width` bits; the result is signed. */
  sext(width: number): Signal {
    return this.extend('sext', width, SInt(width));
  }

  /** Extend by the value's signedness, or keep the low bits when narrower; the signedness stays. */
  resize(width: number): Signal {
    if (width === this.width) return this;
    if (width > this.width) return this.signed ? this.sext(width) : this.zext(width);
    const low = this.slice(width - 1, 0);
    return this.signed ? low.asSigned() : low;
  }

  /** The same bits read as two's complement. */
  asSigned(): Signal {
    return this.reinterpret(true);
  }

  /** The same bits read as an unsigned number. */
  asUnsigned(): Signal {
    return this.reinterpret(false);
  }

  andR(): Signal {
    return this.builder.node('andr', UInt(1), [this.id]);
  }

  orR(): Signal {
    return this.builder.node('orr', UInt(1), [this.id]);
  }

  xorR(): Signal {
    return this.builder.node('xorr', UInt(1), [this.id]);
  }

  /** Convert a number to a constant of this signal's type, or check a signal operand. */
  operand(other: Operand): Signal {
    if (other instanceof Signal) {
      if (other.builder !== this.builder) {
        throw new HdlError(
          `${other.label} belongs to module '${other.builder.name}', not '${this.builder.name}'`,
        );
      }
      return other;
    }
    return this.builder.constant(BigInt(other), this.type);
  }

  private reinterpret(signed: boolean): Signal {
    if (signed === this.signed) return this;
    return this.builder.node('cast', { width: this.width, signed }, [this.id]);
  }

  private extend(kind: 'zext' | 'sext', width: number, type: HdlType): Signal {
    if (!Number.isInteger(width) || width < this.width) {
      throw new HdlError(
        `${kind} of ${this.label} to ${width} bits: the target must be at least ${this.width} bits`,
      );
    }
    if (width === this.width) return this.reinterpret(type.signed);
    return this.builder.node(kind, type, [this.id]);
  }

  private arith(kind: 'add' | 'sub', other: Operand, options: WidthOption): Signal {
    const b = this.operand(other);
    this.sameSignedness(kind, b);
    const width = options.width ?? Math.max(this.width, b.width) + 1;
    const type: HdlType = { width, signed: this.signed };
    return this.builder.node(kind, type, [this.resize(width).id, b.resize(width).id]);
  }

  private bitwise(kind: 'and' | 'or' | 'xor', other: Operand): Signal {
    const b = this.operand(other);
    if (b.width !== this.width || b.signed !== this.signed) {
      throw new HdlError(
        `${kind}: operands must have the same type, but ${this.label} and ${b.label} differ`,
      );
    }
    // x & 0, x | 1…1 and x with the neutral constant need no gate (keeps the emitted text plain).
    const ones = (1n << BigInt(this.width)) - 1n;
    for (const [k, x] of [
      [this as Signal, b],
      [b, this as Signal],
    ] as const) {
      const value = this.builder.constantValue(k.id);
      if (value === undefined) continue;
      if (kind === 'and' && value === 0n) return k;
      if (kind === 'and' && value === ones) return x;
      if (kind === 'or' && value === 0n) return x;
      if (kind === 'or' && value === ones) return k;
      if (kind === 'xor' && value === 0n) return x;
    }
    return this.builder.node(kind, this.type, [this.id, b.id]);
  }

  private shift(kind: 'shl' | 'shr' | 'sra', amount: number | Signal): Signal {
    if (amount instanceof Signal) {
      if (amount.signed)
        throw new HdlError(`${kind} of ${this.label}: the shift amount ${amount.label} must be unsigned`);
      return this.builder.node(kind, this.type, [this.id, this.operand(amount).id]);
    }
    if (!Number.isInteger(amount) || amount < 0) {
      throw new HdlError(`${kind} of ${this.label}: amount ${amount} must be a non-negative integer`);
    }
    if (amount === 0) return this;
    return this.builder.node(kind, this.type, [this.id], { amount });
  }

  private compare(kind: NodeKind, other: Operand): Signal {
    const b = this.operand(other);
    this.sameSignedness(kind, b);
    const width = Math.max(this.width, b.width);
    return this.builder.node(kind, UInt(1), [this.resize(width).id, b.resize(width).id]);
  }

  private sameSignedness(op: string, b: Signal): void {
    if (b.signed !== this.signed) {
      throw new HdlError(
        `${op}: operands must agree in signedness, but ${this.label} and ${b.label} differ; ` +
          `use asSigned(), asUnsigned(), zext() or sext() to say which is meant`,
      );
    }
  }
}

/** `select ? whenTrue : whenFalse`; the arms must agree in signedness and are extended to the wider one. */
export function mux(select: Signal, whenTrue: Operand, whenFalse: Operand): Signal {
  if (select.width !== 1) throw new HdlError(`mux: the select ${select.label} must be 1 bit wide`);
  const builder = select.builder;
  const [t, f] = alignPair(select, whenTrue, whenFalse);
  if (t.signed !== f.signed) {
    throw new HdlError(`mux: arms must agree in signedness, but ${t.label} and ${f.label} differ`);
  }
  const width = Math.max(t.width, f.width);
  const chosen = builder.constantValue(select.id);
  if (chosen !== undefined) return (chosen === 1n ? t : f).resize(width);
  return builder.node('mux', { width, signed: t.signed }, [
    select.id,
    t.resize(width).id,
    f.resize(width).id,
  ]);
}

/** Concatenation, most significant part first; the result is unsigned. */
export function cat(...parts: Signal[]): Signal {
  if (parts.length === 0) throw new HdlError('cat: at least one part is needed');
  const builder = parts[0]!.builder;
  if (parts.length === 1) return parts[0]!.asUnsigned();
  const width = parts.reduce((w, p) => w + p.width, 0);
  return builder.node(
    'concat',
    UInt(width),
    parts.map((p) => builder.check(p).id),
  );
}

/**
 * Pick one of `cases` by an unsigned index, as a balanced tree of muxes. Index bits above those the
 * cases need are ignored; indexes from cases.length up to the next power of two give the last case.
 */
export function select(index: Signal, cases: Operand[]): Signal {
  if (index.signed) throw new HdlError(`select: the index ${index.label} must be unsigned`);
  const anchor = cases.find((c): c is Signal => c instanceof Signal);
  if (anchor === undefined)
    throw new HdlError(`select by ${index.label}: at least one case must be a signal`);
  const bits = Math.ceil(Math.log2(cases.length));
  if (bits > index.width) {
    throw new HdlError(
      `select: ${cases.length} cases need an index of ${bits} bits, but ${index.label} has fewer`,
    );
  }
  let level = cases.map((c) => anchor.operand(c));
  while (level.length < 1 << bits) level.push(level[level.length - 1]!);
  for (let bit = 0; level.length > 1; bit++) {
    const next: Signal[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(mux(index.bit(bit), level[i + 1]!, level[i]!));
    level = next;
  }
  return level[0]!;
}

function alignPair(anchor: Signal, a: Operand, b: Operand): [Signal, Signal] {
  if (a instanceof Signal && b instanceof Signal) return [anchor.operand(a), anchor.operand(b)];
  if (a instanceof Signal) return [a, a.operand(b)];
  if (b instanceof Signal) return [b.operand(a), b];
  throw new HdlError('mux: at least one arm must be a signal to fix the type');
}

/** Check that `value` fits `type`; numbers are accepted as signed or unsigned integers in range. */
export function constantBits(value: bigint, type: HdlType): bigint {
  const { min, max } = typeRange(type);
  if (value < min || value > max) {
    throw new HdlError(`constant ${value} does not fit ${typeName(type)} (allowed ${min} to ${max})`);
  }
  return toBits(value, type.width);
}
