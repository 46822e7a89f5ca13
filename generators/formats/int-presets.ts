// Named integer formats, including the MXINT8 element (docs/mx-nvfp4.md#element-formats) and BitMoD's
// symmetric INT (docs/bitmod.md#data-types).

import { parseFormat, type IntFormat } from './format.ts';

function int(
  name: string,
  bits: number,
  signed: boolean,
  description: string,
  extra: Partial<IntFormat> = {},
): IntFormat {
  return Object.freeze(parseFormat({ kind: 'int', name, bits, signed, description, ...extra })) as IntFormat;
}

export const INT_PRESETS: readonly IntFormat[] = [
  ...[2, 3, 4, 8, 16, 32].flatMap((bits) => [
    int(`int${bits}`, bits, true, `${bits}-bit two's complement`),
    int(`uint${bits}`, bits, false, `${bits}-bit unsigned`),
  ]),
  int(
    'mxint8',
    8,
    true,
    'MXINT8 element: int8 scaled by 2^-6, symmetric (±127/64; 0x80 = -2 decodes but is never produced)',
    {
      fracBits: 6,
      symmetric: true,
    },
  ),
  int('bitmod_int4', 4, true, 'BitMoD INT4: symmetric {-7..7}', { symmetric: true }),
  int('bitmod_int3', 3, true, 'BitMoD INT3: symmetric {-3..3}', { symmetric: true }),
];
