import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { renderTemplate } from '../../generators/emit/templates.ts';
import { formatByName, formatNames, type FloatFormat } from '../../generators/formats/index.ts';
import { describeFloatCode } from '../plans/float-decode.ts';
import { requireCocotbPython } from './cocotb.ts';
import { floatBits, pythonFloat } from './cocotb-formats.ts';
import { Random } from '../vectors/random.ts';

// The cocotb benches decode mismatches in Python (templates/cocotb/bitsmith_formats.py.hbs); their text
// must be bitsmith's own (describeFloatCode), code for code: every code of the formats up to 8 bits;
// the zeros, subnormals, largest values, Inf and NaN codes and random codes of wider ones.
const dir = mkdtempSync(join(tmpdir(), 'bitsmith-cocotb-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function codesOf(name: string, rng: Random): number[] {
  const bits = floatBits(name);
  if (bits <= 8) return Array.from({ length: 2 ** bits }, (_, code) => code);
  // Both signs, the lowest and highest two exponent fields, the edges of the mantissa; then random codes.
  const f = formatByName(name) as FloatFormat;
  const top = 2 ** f.expBits - 1;
  const mantTop = 2 ** f.mantBits - 1;
  const edges = [0, 1].flatMap((sign) =>
    [0, 1, top - 1, top].flatMap((exp) =>
      [0, 1, mantTop >> 1, (mantTop >> 1) + 1, mantTop - 1, mantTop].map(
        (mant) => (sign * 2 ** (f.expBits + f.mantBits) + exp * 2 ** f.mantBits + mant) % 2 ** bits,
      ),
    ),
  );
  return [...edges, ...Array.from({ length: 4000 }, () => Number(rng.bits(bits)))];
}

it('Python decodes every float format as bitsmith does', async () => {
  const python = await requireCocotbPython();
  writeFileSync(
    join(dir, 'bitsmith_formats.py'),
    renderTemplate('cocotb/bitsmith_formats.py.hbs', { version: 'test' }),
  );
  const rng = new Random(7);
  const formats = formatNames().filter((name) => formatByName(name).kind === 'float');
  expect(formats).toEqual(expect.arrayContaining(['fp32', 'fp16', 'bf16', 'e4m3fn', 'e4m3fnuz', 'e8m0fnu']));
  const cases = formats.map((name) => ({ name, float: pythonFloat(name), codes: codesOf(name, rng) }));
  writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));
  const script = [
    'import json, sys',
    'from bitsmith_formats import Float',
    'cases = json.load(open("cases.json"))',
    'json.dump({c["name"]: [eval(c["float"]).describe(code) for code in c["codes"]] for c in cases}, sys.stdout)',
  ].join('\n');
  const decoded = JSON.parse(
    execFileSync(python, ['-c', script], { cwd: dir, maxBuffer: 1 << 28 }).toString(),
  );
  for (const { name, codes } of cases) {
    const expected = codes.map((code) => describeFloatCode(name, BigInt(code)));
    expect(decoded[name], name).toEqual(expected);
  }
}, 120_000);
