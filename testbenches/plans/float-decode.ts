import {
  decode,
  formatByName,
  toDecimalString,
  floatLayout,
  type FloatFormat,
} from '../../generators/formats/index.ts';

/** A float code as its fields and exact value, e.g. '1 0111 011 (-1.375)'. */
export function describeFloatCode(formatName: string, bits: bigint): string {
  const format = formatByName(formatName) as FloatFormat;
  const layout = floatLayout(format);
  const code = Number(bits);
  const mant = code % layout.hidden;
  const exp = Math.floor(code / layout.hidden) % (layout.expFieldMax + 1);
  const sign = format.signed ? Math.floor(code / layout.signWeight) : 0;
  const fields = `${format.signed ? `${sign} ` : ''}${exp.toString(2).padStart(format.expBits, '0')} ${mant.toString(2).padStart(format.mantBits, '0')}`;
  const value = decode(format, code);
  const text =
    value.kind === 'nan'
      ? 'NaN'
      : value.kind === 'inf'
        ? `${value.sign ? '-' : '+'}Inf`
        : toDecimalString(value);
  return `${fields.trim()} (${text})`;
}

/** TestFloat's flag byte as names. */
export function describeFlagByte(bits: bigint): string {
  const names = ['inexact', 'underflow', 'overflow', 'infinite', 'invalid'].filter(
    (_, i) => (bits >> BigInt(i)) & 1n,
  );
  return names.length === 0 ? 'none' : names.join('+');
}
