// Public API of the number-format library (see README.md in this folder).

export * from './value.ts';
export { fromNumber, toNumber, isExactDouble } from './value-number.ts';
export { toDecimalString, toHexFloat } from './value-text.ts';
export * from './format.ts';
export { floatLayout, type FloatLayout } from './float-layout.ts';
export { formatInfo, type FormatInfo } from './format-info.ts';
export { PRESETS, ALIASES, formatByName, formatNames } from './presets.ts';
export * from './policy.ts';
export { ROUNDING_MODES, type RoundingMode } from './rounding.ts';
export * from './flags.ts';
export {
  decode,
  encode,
  encodeQuotient,
  encodeNumber,
  classify,
  checkCode,
  type CodeClass,
} from './codec.ts';
export { decodeNumber, decodeTable } from './decode-number.ts';
export { convert } from './convert.ts';
export { exactMul, exactAdd, exactFma, mul, add, fma, type ExactResult } from './arith.ts';
export { mulCodes, addCodes, fmaCodes } from './code-arith.ts';
export { intRange, intOfCode } from './int-codec.ts';
export { NF4_VALUES, SF4_VALUES, SF4_EXACT_VALUES, E2M1_MAGNITUDES } from './codebook-presets.ts';
export { RAZER_SPECIAL_VALUES, razerFormat, razerFormats, type RazerLayout } from './razer.ts';
export * from './block/packing.ts';
export * from './block/mx.ts';
export * from './block/nvfp4.ts';
export * from './block/groupwise-int.ts';
export * from './block/codebook-group.ts';
export * from './block/block-presets.ts';
export { TESTFLOAT_POLICY, mlDtypesPolicy, type MlDtypesMode } from './reference-policies.ts';
