// Every named scalar format, and lookup by name (ml_dtypes and IEEE names are accepted as aliases).

import { CODEBOOK_PRESETS } from './codebook-presets.ts';
import { FLOAT_PRESETS } from './float-presets.ts';
import type { Format } from './format.ts';
import { INT_PRESETS } from './int-presets.ts';
import { razerFormats } from './razer.ts';

export const PRESETS: readonly Format[] = [
  ...FLOAT_PRESETS,
  ...INT_PRESETS,
  ...CODEBOOK_PRESETS,
  ...razerFormats('ocp'),
  ...razerFormats('kernel'),
];

/** Other spellings of preset names: ml_dtypes' type names and common IEEE names. */
export const ALIASES: Readonly<Record<string, string>> = {
  float32: 'fp32',
  f32: 'fp32',
  binary32: 'fp32',
  float16: 'fp16',
  f16: 'fp16',
  half: 'fp16',
  binary16: 'fp16',
  bfloat16: 'bf16',
  float8_e4m3fn: 'e4m3fn',
  float8_e4m3fnuz: 'e4m3fnuz',
  float8_e4m3b11fnuz: 'e4m3b11fnuz',
  float8_e4m3: 'e4m3',
  float8_e5m2: 'e5m2',
  float8_e5m2fnuz: 'e5m2fnuz',
  float8_e3m4: 'e3m4',
  float6_e3m2fn: 'e3m2fn',
  float6_e2m3fn: 'e2m3fn',
  float4_e2m1fn: 'e2m1fn',
  float8_e8m0fnu: 'e8m0fnu',
  e8m0: 'e8m0fnu',
  fp4: 'e2m1fn',
  e2m1: 'e2m1fn',
};

const byName = new Map(PRESETS.map((f) => [f.name, f]));

export function formatNames(): string[] {
  return PRESETS.map((f) => f.name);
}

/** The preset of that name (or alias); throws listing every known name for an unknown one. */
export function formatByName(name: string): Format {
  const format = byName.get(name) ?? byName.get(ALIASES[name] ?? '');
  if (!format) throw new Error(`unknown format '${name}'; known formats: ${formatNames().join(', ')}`);
  return format;
}
