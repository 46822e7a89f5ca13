// The named IEEE, OCP FP8/FP6/FP4 and ml_dtypes float formats (docs/ieee-and-fp8.md#formats,
// docs/mx-nvfp4.md#element-formats, docs/mx-nvfp4.md#e8m0-scale).

import { parseFormat, type FloatFormat, type FloatSpecials } from './format.ts';

function float(
  name: string,
  expBits: number,
  mantBits: number,
  bias: number,
  specials: FloatSpecials,
  description: string,
  options: { signed?: boolean; subnormals?: boolean } = {},
): FloatFormat {
  const format = parseFormat({
    kind: 'float',
    name,
    description,
    expBits,
    mantBits,
    bias,
    specials,
    signed: options.signed ?? true,
    subnormals: options.subnormals ?? true,
  });
  return Object.freeze(format) as FloatFormat;
}

export const FLOAT_PRESETS: readonly FloatFormat[] = [
  float('fp32', 8, 23, 127, 'ieee', 'IEEE binary32'),
  float('fp16', 5, 10, 15, 'ieee', 'IEEE binary16'),
  float('bf16', 8, 7, 127, 'ieee', 'bfloat16'),
  float('e4m3fn', 4, 3, 7, 'fn', 'OCP FP8 E4M3 (float8_e4m3fn): no Inf, NaN S.1111.111, max 448'),
  float('e4m3fnuz', 4, 3, 8, 'fnuz', 'float8_e4m3fnuz: bias 8, no Inf, no -0, NaN 0x80, max 240'),
  float('e4m3b11fnuz', 4, 3, 11, 'fnuz', 'float8_e4m3b11fnuz: bias 11, no Inf, no -0, NaN 0x80, max 30'),
  float('e4m3', 4, 3, 7, 'ieee', 'float8_e4m3: IEEE-like with Inf and NaN, max 240'),
  float('e5m2', 5, 2, 15, 'ieee', 'OCP FP8 E5M2 (float8_e5m2): IEEE-like, max 57344'),
  float('e5m2fnuz', 5, 2, 16, 'fnuz', 'float8_e5m2fnuz: bias 16, no Inf, no -0, NaN 0x80, max 57344'),
  float('e3m4', 3, 4, 3, 'ieee', 'float8_e3m4: IEEE-like with Inf and NaN, max 15.5'),
  float('e3m2fn', 3, 2, 3, 'none', 'OCP MX FP6 E3M2 (float6_e3m2fn): no Inf, no NaN, max 28'),
  float('e2m3fn', 2, 3, 1, 'none', 'OCP MX FP6 E2M3 (float6_e2m3fn): no Inf, no NaN, max 7.5'),
  float('e2m1fn', 2, 1, 1, 'none', 'OCP MX FP4 E2M1 (float4_e2m1fn): no Inf, no NaN, max 6'),
  float(
    'e8m0fnu',
    8,
    0,
    127,
    'fn',
    'OCP MX scale E8M0 (float8_e8m0fnu): unsigned powers of two 2^-127..2^127, NaN 0xFF, no zero',
    {
      signed: false,
      subnormals: false,
    },
  ),
];
