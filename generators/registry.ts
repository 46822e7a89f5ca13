import { dequant } from './dequant/dequant.ts';
import { gemv } from './gemv/gemv.ts';
import { lutGemv } from './mpgemm/lut-gemv.ts';
import { bitserialGemv } from './mpgemm/bitserial-gemv.ts';
import type { Generator } from './generator.ts';
import { fpAdd } from './float/fp_add.ts';
import { fpConvert } from './float/fp_convert.ts';
import { dot } from './mac/dot.ts';
import { fpMac } from './mac/fp_mac.ts';
import { intMac } from './mac/int_mac.ts';
import { mixedMac } from './mac/mixed_mac.ts';
import { mxDot } from './mac/mx_dot.ts';
import { intMul } from './mul/int_mul.ts';
import { fpMul } from './mul/fp_mul.ts';
import { lmul } from './mul/lmul.ts';
import { reconfMul } from './mul/reconf_mul.ts';
import { multiFpMul } from './mul/multi_fp_mul.ts';
import { quantize } from './quantize/quantize.ts';

/** Every generator bitsmith has, by name. */
export const GENERATORS: readonly Generator[] = [
  intMul,
  intMac,
  fpMul,
  lmul,
  reconfMul,
  multiFpMul,
  fpMac,
  fpAdd,
  fpConvert,
  dot,
  mxDot,
  mixedMac,
  dequant,
  quantize,
  gemv,
  lutGemv,
  bitserialGemv,
];

export function generatorByName(name: string): Generator | undefined {
  return GENERATORS.find((g) => g.name === name);
}
