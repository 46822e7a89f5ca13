// A float format as the constructor of bitsmith_formats.Float (templates/cocotb/), with which a cocotb
// bench decodes the codes of a mismatch into fields and value.
import { formatByName } from '../../generators/formats/index.ts';

/** `Float(4, 3, 7, specials="fn")`: only the fields that differ from a signed IEEE-style format. */
export function pythonFloat(name: string): string {
  const f = formatByName(name);
  if (f.kind !== 'float') throw new Error(`${name} is not a float format`);
  const options = [
    ...(f.signed ? [] : ['signed=False']),
    ...(f.subnormals ? [] : ['subnormals=False']),
    ...(f.specials === 'ieee' ? [] : [`specials="${f.specials}"`]),
  ];
  return `Float(${[f.expBits, f.mantBits, f.bias, ...options].join(', ')})`;
}

/** The bits of one code of a float format. */
export function floatBits(name: string): number {
  const f = formatByName(name);
  if (f.kind !== 'float') throw new Error(`${name} is not a float format`);
  return (f.signed ? 1 : 0) + f.expBits + f.mantBits;
}
