// fp_mul's datapath in the IR evaluator against the golden model, across the policies and format
// pairs that steer its subnormal handling (normalized operands, one shift to the subnormal quantum
// decided from the exponents, rounding of the packed field and mantissa): every rounding mode, both
// tininess rules, kept and flushed subnormals, exponent biases that are not IEEE's, significands
// narrower than the output's; with tiny results flushed (and no cut inside the rounding), the
// mantissa rounded before the exponent (roundFlushedProduct). The simulators run the catalog
// configurations (ip/catalog.test.ts).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthTarget } from '../../flows/synth-ip.ts';
import { resolveTarget } from '../../flows/target.ts';
import { fpMulGolden } from '../../testbenches/golden/fp_mul.ts';
import { floatLayout, formatByName, ROUNDING_MODES } from '../formats/index.ts';
import { outputPolicy } from '../float-params.ts';
import { emitVerilog } from '../emit/verilog.ts';
import { runVectors } from '../hdl/evaluate.ts';

type Params = Record<string, unknown>;

/** Mismatches of fp_mul (with flags) against the golden model on `pairs`, at most five. */
function mismatches(params: Params, pairs: [number, number][]): string[] {
  const target = resolveTarget('fp_mul', { ...params, flags: true });
  const p = target.params as Params & { aFormat: string; bFormat: string; outFormat: string };
  const spec = {
    aFormat: p.aFormat,
    bFormat: p.bFormat,
    outFormat: p.outFormat,
    policy: outputPolicy(p as never),
    inputSubnormals: p.inputSubnormals as 'keep' | 'flush',
  };
  const got = runVectors(
    target.module,
    pairs.map(([a, b]) => [BigInt(a), BigInt(b)]),
  );
  const wrong: string[] = [];
  pairs.forEach(([a, b], i) => {
    const want = fpMulGolden(spec, a, b);
    const [code, flags] = got[i]!.map(Number);
    if (code !== want.code || flags !== want.flags) {
      wrong.push(
        `a=${a.toString(16)} b=${b.toString(16)}: got ${code!.toString(16)}/${flags}, want ${want.code.toString(16)}/${want.flags}`,
      );
    }
  });
  return wrong.slice(0, 5);
}

function allPairs(aFormat: string, bFormat: string): [number, number][] {
  const [na, nb] = [aFormat, bFormat].map((f) => 2 ** floatLayout(formatByName(f) as never).bits);
  const pairs: [number, number][] = [];
  for (let a = 0; a < na!; a++) for (let b = 0; b < nb!; b++) pairs.push([a, b]);
  return pairs;
}

function randomPairs(aFormat: string, bFormat: string, count: number, seed: number): [number, number][] {
  const [na, nb] = [aFormat, bFormat].map((f) => 2 ** floatLayout(formatByName(f) as never).bits);
  let s = seed;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s;
  };
  return Array.from({ length: count }, () => [next() % na!, next() % nb!]);
}

describe('fp_mul in the IR evaluator', () => {
  const pairs = allPairs('e3m2fn', 'e3m2fn');
  for (const rounding of ROUNDING_MODES) {
    for (const tininess of ['after', 'before']) {
      for (const outputSubnormals of ['keep', 'flush']) {
        // Auto takes the table with subnormal results kept, the datapath with them flushed.
        for (const architecture of outputSubnormals === 'keep' ? ['auto', 'datapath'] : ['auto']) {
          it(`e3m2fn, every pair: ${rounding}, tininess ${tininess}, subnormals ${outputSubnormals}, ${architecture}`, () => {
            const params = {
              aFormat: 'e3m2fn',
              bFormat: 'e3m2fn',
              outFormat: 'e3m2fn',
              rounding,
              tininess,
              outputSubnormals,
              architecture,
            };
            expect(mismatches(params, pairs)).toEqual([]);
          });
        }
      }
    }
  }

  const cases: [string, Params, [number, number][]][] = [
    [
      'e4m3fn, every pair, subnormal operands flushed',
      { inputSubnormals: 'flush' },
      allPairs('e4m3fn', 'e4m3fn'),
    ],
    [
      'e4m3fn, every pair, subnormals kept, rounding toward zero (the narrow unsigned field)',
      { rounding: 'rtz' },
      allPairs('e4m3fn', 'e4m3fn'),
    ],
    [
      'e5m2, every pair, subnormals kept, nearest-away, tininess before (the narrow unsigned field)',
      { aFormat: 'e5m2', bFormat: 'e5m2', outFormat: 'e5m2', rounding: 'rna', tininess: 'before' },
      allPairs('e5m2', 'e5m2'),
    ],
    [
      // The largest product field is 31: rounded up, it needs a sixth bit (32), or overflow is missed.
      'e4m3fnuz × e4m3fnuz → e5m2fnuz, every pair, rounding up (the field carries past 31)',
      { aFormat: 'e4m3fnuz', bFormat: 'e4m3fnuz', outFormat: 'e5m2fnuz', rounding: 'rup' },
      allPairs('e4m3fnuz', 'e4m3fnuz'),
    ],
    [
      'e5m2 × e4m3fn → e4m3b11fnuz (bias 11, no −0), every pair, rounding up',
      { aFormat: 'e5m2', bFormat: 'e4m3fn', outFormat: 'e4m3b11fnuz', rounding: 'rup' },
      allPairs('e5m2', 'e4m3fn'),
    ],
    [
      'e8m0fnu × e8m0fnu → bf16 (a 2-bit product, far below emin), every pair',
      { aFormat: 'e8m0fnu', bFormat: 'e8m0fnu', outFormat: 'bf16' },
      allPairs('e8m0fnu', 'e8m0fnu'),
    ],
    [
      'e2m1fn × e2m1fn → e2m1fn, every pair, rounding down',
      { aFormat: 'e2m1fn', bFormat: 'e2m1fn', outFormat: 'e2m1fn', rounding: 'rdown' },
      allPairs('e2m1fn', 'e2m1fn'),
    ],
    [
      'e4m3fn, every pair, subnormals flushed in and out (the fields themselves summed, the mantissa rounded first)',
      { inputSubnormals: 'flush', outputSubnormals: 'flush' },
      allPairs('e4m3fn', 'e4m3fn'),
    ],
    [
      'e5m2, every pair, flushed, rounding up, tininess before (overflow to Inf; tininess from the sum less the carry)',
      {
        aFormat: 'e5m2',
        bFormat: 'e5m2',
        outFormat: 'e5m2',
        outputSubnormals: 'flush',
        rounding: 'rup',
        tininess: 'before',
      },
      allPairs('e5m2', 'e5m2'),
    ],
    [
      // 1.1111…·2 rounds to 4 in e4m3fn: the top bit and the carry each step the exponent.
      'fp16 × fp16 → e4m3fn, random pairs, flushed (a product with its top bit set that carries)',
      { aFormat: 'fp16', bFormat: 'fp16', outFormat: 'e4m3fn', outputSubnormals: 'flush' },
      randomPairs('fp16', 'fp16', 20_000, 11),
    ],
    [
      // The field lies 113 above the exponent sum: constants beyond the sum's own range.
      "e4m3fn × e4m3fn → bf16, every pair, flushed, tininess before (a bias far above the operands')",
      { outFormat: 'bf16', outputSubnormals: 'flush', tininess: 'before' },
      allPairs('e4m3fn', 'e4m3fn'),
    ],
    [
      'fp16 × bf16 → e5m2, random pairs, tininess before',
      { aFormat: 'fp16', bFormat: 'bf16', outFormat: 'e5m2', tininess: 'before' },
      randomPairs('fp16', 'bf16', 20_000, 7),
    ],
    [
      'fp16 with Booth rows (multiplier booth4), random pairs',
      { aFormat: 'fp16', bFormat: 'fp16', outFormat: 'fp16', multiplier: 'booth4' },
      randomPairs('fp16', 'fp16', 20_000, 5),
    ],
    [
      "fp16 with Booth rows in slices around the 'partial' cut (latency 4), random pairs",
      { aFormat: 'fp16', bFormat: 'fp16', outFormat: 'fp16', multiplier: 'booth4', latency: 4 },
      randomPairs('fp16', 'fp16', 20_000, 6),
    ],
    [
      'fp32 with Booth rows, random pairs, a quarter of the operands subnormal',
      { aFormat: 'fp32', bFormat: 'fp32', outFormat: 'fp32', multiplier: 'booth4' },
      fp32Pairs(3000, 9),
    ],
    ['e4m3fn with Booth rows, every pair', { multiplier: 'booth4' }, allPairs('e4m3fn', 'e4m3fn')],
    [
      'e4m3fn by the datapath, every pair, tininess after (one exact bit below the guard for the flag)',
      { architecture: 'datapath' },
      allPairs('e4m3fn', 'e4m3fn'),
    ],
    ...[1, 2, 3, 4, 5].map((latency): [string, Params, [number, number][]] => [
      `e4m3fn by table at latency ${latency}, every pair`,
      { architecture: 'table', latency, rounding: latency % 2 === 0 ? 'rup' : 'rne' },
      allPairs('e4m3fn', 'e4m3fn'),
    ]),
    [
      'e2m1fn × e3m4 → e3m4 by table (one fraction bit against four), every pair, rounding down',
      { aFormat: 'e2m1fn', bFormat: 'e3m4', outFormat: 'e3m4', rounding: 'rdown' },
      allPairs('e2m1fn', 'e3m4'),
    ],
    [
      'e4m3fn × e5m2 → e4m3b11fnuz by table (biases 7, 15 and 11), every pair, tininess before',
      { bFormat: 'e5m2', outFormat: 'e4m3b11fnuz', architecture: 'table', tininess: 'before' },
      allPairs('e4m3fn', 'e5m2'),
    ],
    [
      // Two subnormals make a normal e4m3fn: their leading-zero counts add (an OR would not do).
      'e2m3fn × e2m3fn → e4m3fn by table, every pair (both operands subnormal, a normal product)',
      { aFormat: 'e2m3fn', bFormat: 'e2m3fn', outFormat: 'e4m3fn' },
      allPairs('e2m3fn', 'e2m3fn'),
    ],
    [
      'e4m3fn → fp16 by table (an exact product, subnormal results of fp16), every pair',
      { outFormat: 'fp16', architecture: 'table' },
      allPairs('e4m3fn', 'e4m3fn'),
    ],
    [
      'e5m2 → bf16 by table, every pair, rounding toward zero',
      { aFormat: 'e5m2', bFormat: 'e5m2', outFormat: 'bf16', architecture: 'table', rounding: 'rtz' },
      allPairs('e5m2', 'e5m2'),
    ],
    [
      'e4m3fn with Verilog * instead of shifts and adds, every pair',
      { multiplier: 'behavioural' },
      allPairs('e4m3fn', 'e4m3fn'),
    ],
  ];
  for (const [name, params, list] of cases) {
    it(name, () => {
      expect(mismatches(params, list)).toEqual([]);
    });
  }
});

/** Random fp32 codes, a quarter of them subnormal (exponent field 0, nonzero mantissa). */
function fp32Pairs(count: number, seed: number): [number, number][] {
  let s = seed;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s;
  };
  const code = () => {
    const bits = (next() ^ (next() << 16)) >>> 0;
    return next() % 4 === 0 ? (bits & 0x807fffff) >>> 0 || 1 : bits;
  };
  return Array.from({ length: count }, () => [code(), code()]);
}

describe('fp_mul fp32 with the product in a tree of LUT adders', () => {
  for (const [latency, rounding] of [
    [5, 'rne'],
    [8, 'rne'],
    [8, 'rdown'],
    [10, 'rna'],
  ] as const) {
    it(`latency ${latency}, ${rounding}: random pairs with subnormal operands`, () => {
      const params = { aFormat: 'fp32', bFormat: 'fp32', outFormat: 'fp32', rounding, latency };
      expect(mismatches(params, fp32Pairs(3000, latency))).toEqual([]);
    });
  }

  it('names an explicit multiplier that builds other Verilog than auto', () => {
    const name = (params: Params) => resolveTarget('fp_mul', { latency: 0, ...params }).module.name;
    expect(name({ multiplier: 'booth4' })).toBe('fp_mul_e4m3fn_e4m3fn_e4m3fn_booth4_l0');
    expect(name({ multiplier: 'behavioural' })).toBe('fp_mul_e4m3fn_e4m3fn_e4m3fn_behavioural_l0');
    expect(name({ multiplier: 'auto' })).toBe('fp_mul_e4m3fn_e4m3fn_e4m3fn_l0');
    // fp32's 24-bit significands multiply with `*` under auto too: the same module, the same name.
    const fp32 = { aFormat: 'fp32', bFormat: 'fp32', outFormat: 'fp32' };
    expect(name({ ...fp32, multiplier: 'behavioural' })).toBe('fp_mul_fp32_fp32_fp32_l0');
    expect(name({ ...fp32, multiplier: 'booth4' })).toBe('fp_mul_fp32_fp32_fp32_booth4_l0');
  });

  it('uses no multiplier from latency 5 on (no MULT18X18D: one alone caps ECP5 near 140 MHz)', () => {
    const text = (latency: number) =>
      emitVerilog(resolveTarget('fp_mul_fp32', { latency }).module)
        .map((f) => f.text)
        .join('\n');
    expect(text(4)).toMatch(/ \* /);
    expect(text(5)).not.toMatch(/ \* /);
    expect(text(8)).not.toMatch(/ \* /);
  });

  it('rejects a latency beyond the cuts of the operands', () => {
    expect(() => resolveTarget('fp_mul', { aFormat: 'fp16', bFormat: 'fp32', latency: 9 })).toThrow(
      /fp16 × fp32 multiplier has 8 stage cuts \(latency 0 to 8\), not 9/,
    );
    expect(() => resolveTarget('fp_mul', { aFormat: 'fp32', bFormat: 'fp32', latency: 10 })).not.toThrow();
  });
});

describe('fp_mul architecture', () => {
  const name = (params: Params) => resolveTarget('fp_mul', params).module.name;

  it('takes the table for a combinational FP8 product that needs rounding, the datapath otherwise', () => {
    const table = (params: Params) =>
      emitVerilog(resolveTarget('fp_mul', params).module).some((f) => f.fileName.endsWith('_table.v'));
    expect(table({ latency: 0 })).toBe(true);
    expect(table({ latency: 0, aFormat: 'e2m1fn', bFormat: 'e2m3fn', outFormat: 'e2m3fn' })).toBe(true);
    expect(table({ latency: 1 })).toBe(false);
    expect(table({ latency: 0, outFormat: 'fp16' })).toBe(false);
    expect(table({ latency: 0, outputSubnormals: 'flush' })).toBe(false);
    expect(table({ latency: 0, multiplier: 'booth4' })).toBe(false);
    expect(table({ latency: 0, aFormat: 'bf16', bFormat: 'bf16', outFormat: 'bf16' })).toBe(false);
    expect(table({ latency: 3, architecture: 'table' })).toBe(true);
    // Registers placed by the delay model go into the unit built at latency 0: the datapath's.
    expect(table({ fmax: 130, target: 'ice40', placement: 'model' })).toBe(false);
  });

  it('names the datapath where auto would take the table, and nothing else', () => {
    expect(name({ latency: 0 })).toBe('fp_mul_e4m3fn_e4m3fn_e4m3fn_l0');
    expect(name({ latency: 0, architecture: 'table' })).toBe('fp_mul_e4m3fn_e4m3fn_e4m3fn_l0');
    expect(name({ latency: 0, architecture: 'datapath' })).toBe('fp_mul_e4m3fn_e4m3fn_e4m3fn_datapath_l0');
    expect(name({ latency: 3, architecture: 'datapath' })).toBe('fp_mul_e4m3fn_e4m3fn_e4m3fn_l3');
  });

  it('says why the table does not apply', () => {
    const bf16 = { aFormat: 'bf16', bFormat: 'bf16', outFormat: 'bf16' };
    expect(() => resolveTarget('fp_mul', { ...bf16, architecture: 'table' })).toThrow(
      /architecture=table does not apply: bf16 and bf16 have 7 \+ 7 mantissa bits \(at most 6 together\)/,
    );
    expect(() => resolveTarget('fp_mul', { architecture: 'table', outputSubnormals: 'flush' })).toThrow(
      /architecture=table does not apply: subnormal results are flushed/,
    );
    expect(() => resolveTarget('fp_mul', { architecture: 'table', multiplier: 'booth4' })).toThrow(
      /architecture=table does not apply: a multiplier \(booth4\) is asked for/,
    );
    expect(() => resolveTarget('fp_mul', { architecture: 'table', latency: 6 })).toThrow(
      /e4m3fn × e4m3fn multiplier by table has 5 stage cuts \(latency 0 to 5\), not 6/,
    );
  });
});

describe('fp_mul area', () => {
  it('e4m3fn with subnormals, by table: at most 64 LUTs on xc7 (no DSP)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bitsmith-fp-mul-'));
    const area = await synthTarget(resolveTarget('fp_mul', {}), {
      outDir: out,
      target: 'xc7-nodsp',
      engine: 'native',
    });
    expect(area.luts).toBeLessThanOrEqual(64);
  });

  it('e4m3fn flushed in and out, the mantissa rounded before the exponent: at most 40 LUTs on xc7 (no DSP)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bitsmith-fp-mul-'));
    const params = { inputSubnormals: 'flush', outputSubnormals: 'flush' };
    const area = await synthTarget(resolveTarget('fp_mul', params), {
      outDir: out,
      target: 'xc7-nodsp',
      engine: 'native',
    });
    expect(area.luts).toBeLessThanOrEqual(40);
  });
});
