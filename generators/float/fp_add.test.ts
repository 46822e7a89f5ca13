// fp_add's datapath in the IR evaluator against the golden model (exact sum, one rounding): every
// rounding mode, both tininess rules and kept or flushed output subnormals on every pair of a 6-bit
// format; flushed input subnormals, subtraction (fixed and per vector), mixed formats whose
// exponent ranges differ (the window padding, docs/fp_add.md#window), outputs wider and narrower
// than the operands, and seeded random fp16/bf16/fp32 pairs steered to cancellation and far
// alignment. The simulators run the catalog configurations (ip/catalog.test.ts).
import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../flows/target.ts';
import { fpAddGolden } from '../../testbenches/golden/fp_add.ts';
import { floatLayout, formatByName, ROUNDING_MODES } from '../formats/index.ts';
import { outputPolicy } from '../float-params.ts';
import { emitVerilog } from '../emit/verilog.ts';
import { runVectors } from '../hdl/evaluate.ts';
import { parseParams } from '../generator.ts';
import { ADD_CUTS, fpAdd, MAGNITUDE_ORDER_CUTS, NEAR_FAR_CUTS, type FpAddParams } from './fp_add.ts';

type Params = Record<string, unknown>;
type Triple = [number, number, number];

/** Mismatches of fp_add (with flags) against the golden model on [a, b, sub] triples, at most five. */
function mismatches(params: Params, list: Triple[]): string[] {
  const target = resolveTarget('fp_add', { ...params, flags: true });
  const p = target.params as FpAddParams;
  const spec = {
    aFormat: p.aFormat,
    bFormat: p.bFormat,
    outFormat: p.outFormat,
    policy: outputPolicy(p),
    inputSubnormals: p.inputSubnormals as 'keep' | 'flush',
  };
  const perVector = p.operation === 'input';
  const got = runVectors(
    target.module,
    list.map(([a, b, s]) => (perVector ? [BigInt(a), BigInt(b), BigInt(s)] : [BigInt(a), BigInt(b)])),
  );
  const wrong: string[] = [];
  list.forEach(([a, b, s], i) => {
    const subtract = perVector ? s === 1 : p.operation === 'subtract';
    const want = fpAddGolden(spec, a, b, subtract);
    const [code, flags] = got[i]!.map(Number);
    if (code !== want.code || flags !== want.flags) {
      wrong.push(
        `a=${a.toString(16)} b=${b.toString(16)}${subtract ? ' (a−b)' : ''}: got ${code!.toString(16)}/${flags}, want ${want.code.toString(16)}/${want.flags}`,
      );
    }
  });
  return wrong.slice(0, 5);
}

const codes = (format: string) => 2 ** floatLayout(formatByName(format) as never).bits;

function allPairs(aFormat: string, bFormat: string): Triple[] {
  const list: Triple[] = [];
  for (let a = 0; a < codes(aFormat); a++)
    for (let b = 0; b < codes(bFormat); b++) list.push([a, b, (a ^ b) & 1]);
  return list;
}

/**
 * Seeded pairs: a third uniform codes, a third with b's exponent field within 2 of a's (cancellation,
 * close alignment), a third with a's sign flipped and mantissa nearly equal (massive cancellation).
 */
function randomPairs(aFormat: string, bFormat: string, count: number, seed: number): Triple[] {
  let s = seed;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s;
  };
  const [na, nb] = [codes(aFormat), codes(bFormat)];
  const fb = formatByName(bFormat) as never as { mantBits: number };
  return Array.from({ length: count }, (_, i): Triple => {
    const a = (next() * 65536 + next()) % na;
    let b = (next() * 65536 + next()) % nb;
    if (aFormat === bFormat && i % 3 === 1)
      b = (a + ((next() % 5) - 2) * 2 ** fb.mantBits + (next() % 7)) % nb;
    if (aFormat === bFormat && i % 3 === 2) b = (a ^ (na >>> 1) ^ (next() % 4)) >>> 0;
    return [a, (b + nb) % nb, next() & 1];
  });
}

describe('fp_add in the IR evaluator', () => {
  const pairs = allPairs('e3m2fn', 'e3m2fn');
  for (const rounding of ROUNDING_MODES) {
    for (const tininess of ['after', 'before']) {
      for (const outputSubnormals of ['keep', 'flush']) {
        it(`e3m2fn, every pair: ${rounding}, tininess ${tininess}, subnormals ${outputSubnormals}`, () => {
          const params = {
            aFormat: 'e3m2fn',
            bFormat: 'e3m2fn',
            outFormat: 'e3m2fn',
            rounding,
            tininess,
            outputSubnormals,
          };
          expect(mismatches(params, pairs)).toEqual([]);
        });
      }
    }
  }

  const cases: [string, Params, Triple[]][] = [
    [
      'e4m3fn, every pair, subnormal operands flushed',
      { aFormat: 'e4m3fn', bFormat: 'e4m3fn', outFormat: 'e4m3fn', inputSubnormals: 'flush' },
      allPairs('e4m3fn', 'e4m3fn'),
    ],
    [
      'e4m3fn − e4m3fn → fp32 (exact: the window padded to fp32), every pair',
      { aFormat: 'e4m3fn', bFormat: 'e4m3fn', outFormat: 'fp32', operation: 'subtract' },
      allPairs('e4m3fn', 'e4m3fn'),
    ],
    [
      'e5m2 ± e4m3fn → fp16, sub input, every pair, rounding down (−0 for x − x)',
      { aFormat: 'e5m2', bFormat: 'e4m3fn', outFormat: 'fp16', operation: 'input', rounding: 'rdown' },
      allPairs('e5m2', 'e4m3fn'),
    ],
    [
      'e5m2 + e4m3 → e4m3b11fnuz (bias 11, no −0, Inf in without Inf out), every pair, rounding up',
      { aFormat: 'e5m2', bFormat: 'e4m3', outFormat: 'e4m3b11fnuz', rounding: 'rup' },
      allPairs('e5m2', 'e4m3'),
    ],
    [
      'e2m1fn + e2m1fn → e2m1fn, every pair, toward zero',
      { aFormat: 'e2m1fn', bFormat: 'e2m1fn', outFormat: 'e2m1fn', rounding: 'rtz' },
      allPairs('e2m1fn', 'e2m1fn'),
    ],
    [
      'e8m0fnu + e4m3fn → bf16, every pair',
      { aFormat: 'e8m0fnu', bFormat: 'e4m3fn', outFormat: 'bf16' },
      allPairs('e8m0fnu', 'e4m3fn'),
    ],
    [
      'fp16 + fp16, random pairs, RNE',
      { aFormat: 'fp16', bFormat: 'fp16', outFormat: 'fp16' },
      randomPairs('fp16', 'fp16', 20_000, 1),
    ],
    [
      'fp16 + fp16 → e4m3fn, random pairs, tininess before, subnormals flushed',
      {
        aFormat: 'fp16',
        bFormat: 'fp16',
        outFormat: 'e4m3fn',
        tininess: 'before',
        outputSubnormals: 'flush',
      },
      randomPairs('fp16', 'fp16', 20_000, 2),
    ],
    [
      'fp16 + bf16 → fp32 (exact unless far apart), random pairs',
      { aFormat: 'fp16', bFormat: 'bf16', outFormat: 'fp32' },
      randomPairs('fp16', 'bf16', 20_000, 3),
    ],
    [
      'e4m3fn + fp32 → fp16, random pairs, nearest ties away',
      { aFormat: 'e4m3fn', bFormat: 'fp32', outFormat: 'fp16', rounding: 'rna' },
      randomPairs('e4m3fn', 'fp32', 20_000, 4),
    ],
    [
      'bf16 − bf16, random pairs, rounding down, DAZ and FTZ',
      {
        aFormat: 'bf16',
        bFormat: 'bf16',
        outFormat: 'bf16',
        operation: 'subtract',
        rounding: 'rdown',
        inputSubnormals: 'flush',
        outputSubnormals: 'flush',
      },
      randomPairs('bf16', 'bf16', 20_000, 5),
    ],
    [
      'fp32 + fp32, random pairs, rounding up, tininess before',
      { aFormat: 'fp32', bFormat: 'fp32', outFormat: 'fp32', rounding: 'rup', tininess: 'before' },
      randomPairs('fp32', 'fp32', 20_000, 6),
    ],
    [
      'fp16 + fp16, random pairs, every cut (the count and the alignment shift split)',
      { aFormat: 'fp16', bFormat: 'fp16', outFormat: 'fp16', latency: ADD_CUTS.length },
      randomPairs('fp16', 'fp16', 20_000, 8),
    ],
    [
      'bf16 − bf16, random pairs, nearest ties to zero, every cut',
      {
        aFormat: 'bf16',
        bFormat: 'bf16',
        outFormat: 'bf16',
        operation: 'input',
        rounding: 'rnz',
        latency: ADD_CUTS.length,
      },
      randomPairs('bf16', 'bf16', 20_000, 9),
    ],
    [
      'e5m2 + fp16 → fp16 (one bias, two formats), random pairs, toward zero',
      { aFormat: 'e5m2', bFormat: 'fp16', outFormat: 'fp16', rounding: 'rtz', latency: 10 },
      randomPairs('e5m2', 'fp16', 20_000, 10),
    ],
    [
      'e5m2 − e5m2, every pair, per vector, every cut',
      { aFormat: 'e5m2', bFormat: 'e5m2', outFormat: 'e5m2', operation: 'input', latency: ADD_CUTS.length },
      allPairs('e5m2', 'e5m2'),
    ],
    [
      // The aligning window (34 bits) is wider than the exponents' difference can be (6-bit signed).
      'e3m4 + e3m2fn → fp32, every pair (a window wider than the exponent range)',
      { aFormat: 'e3m4', bFormat: 'e3m2fn', outFormat: 'fp32' },
      allPairs('e3m4', 'e3m2fn'),
    ],
    [
      'fp32 + fp32 → bf16, random pairs, saturating',
      { aFormat: 'fp32', bFormat: 'fp32', outFormat: 'bf16', overflow: 'saturate' },
      randomPairs('fp32', 'fp32', 20_000, 7),
    ],
  ];
  for (const [name, params, list] of cases) {
    it(name, () => {
      expect(mismatches(params, list)).toEqual([]);
    });
  }

  describe('operands ordered by magnitude (no negation)', () => {
    for (const rounding of ROUNDING_MODES) {
      it(`e3m2fn, every pair, both operations: ${rounding}, tininess before, subnormals kept and flushed`, () => {
        for (const outputSubnormals of ['keep', 'flush']) {
          const params = {
            aFormat: 'e3m2fn',
            bFormat: 'e3m2fn',
            outFormat: 'e3m2fn',
            operation: 'input',
            rounding,
            tininess: 'before',
            outputSubnormals,
            operandOrder: 'magnitude',
          };
          expect(mismatches(params, [...pairs, ...pairs.map(([a, b, s]): Triple => [a, b, 1 - s])])).toEqual(
            [],
          );
        }
      });
    }
    const ordered: [string, Params, Triple[]][] = [
      [
        'e4m3fn − e4m3fn → fp32 (the window padded), every pair',
        { aFormat: 'e4m3fn', bFormat: 'e4m3fn', outFormat: 'fp32', operation: 'subtract' },
        allPairs('e4m3fn', 'e4m3fn'),
      ],
      [
        'e5m2 ± e5m2, every pair, per vector, every cut, rounding down (−0 for x − x)',
        {
          aFormat: 'e5m2',
          bFormat: 'e5m2',
          outFormat: 'e5m2',
          operation: 'input',
          rounding: 'rdown',
          latency: MAGNITUDE_ORDER_CUTS.length,
        },
        allPairs('e5m2', 'e5m2'),
      ],
      [
        'e4m3fn + e4m3fn, every pair, subnormal operands flushed',
        { aFormat: 'e4m3fn', bFormat: 'e4m3fn', outFormat: 'e4m3fn', inputSubnormals: 'flush' },
        allPairs('e4m3fn', 'e4m3fn'),
      ],
      [
        'fp16 ± fp16, random pairs, per vector, 6 stages',
        { aFormat: 'fp16', bFormat: 'fp16', outFormat: 'fp16', operation: 'input', latency: 6 },
        randomPairs('fp16', 'fp16', 20_000, 11),
      ],
      [
        'bf16 − bf16, random pairs, toward zero, every cut',
        {
          aFormat: 'bf16',
          bFormat: 'bf16',
          outFormat: 'bf16',
          operation: 'subtract',
          rounding: 'rtz',
          latency: MAGNITUDE_ORDER_CUTS.length,
        },
        randomPairs('bf16', 'bf16', 20_000, 12),
      ],
      [
        'fp32 ± fp32, random pairs, per vector, 7 stages',
        { aFormat: 'fp32', bFormat: 'fp32', outFormat: 'fp32', operation: 'input', latency: 7 },
        randomPairs('fp32', 'fp32', 20_000, 13),
      ],
      [
        'fp32 + fp32, random pairs, rounding up, every cut',
        {
          aFormat: 'fp32',
          bFormat: 'fp32',
          outFormat: 'fp32',
          rounding: 'rup',
          latency: MAGNITUDE_ORDER_CUTS.length,
        },
        randomPairs('fp32', 'fp32', 20_000, 14),
      ],
    ];
    for (const [name, params, list] of ordered) {
      it(name, () => {
        expect(mismatches({ ...params, operandOrder: 'magnitude' }, list)).toEqual([]);
      });
    }
  });

  describe('near/far paths', () => {
    for (const rounding of ROUNDING_MODES) {
      it(`e3m2fn, every pair, both operations: ${rounding}, both tininess rules, subnormals kept and flushed, both operand orders`, () => {
        for (const tininess of ['after', 'before'])
          for (const [outputSubnormals, operandOrder] of [
            ['keep', 'exponent'],
            ['flush', 'exponent'],
            ['keep', 'magnitude'],
            ['flush', 'magnitude'],
          ]) {
            const params = {
              aFormat: 'e3m2fn',
              bFormat: 'e3m2fn',
              outFormat: 'e3m2fn',
              operation: 'input',
              rounding,
              tininess,
              outputSubnormals,
              operandOrder,
              path: 'near-far',
            };
            expect(
              mismatches(params, [...pairs, ...pairs.map(([a, b, s]): Triple => [a, b, 1 - s])]),
            ).toEqual([]);
          }
      });
    }
    const twoPath: [string, Params, Triple[]][] = [
      [
        'e5m2 ± e5m2, every pair, per vector, every cut, rounding down (−0 for x − x)',
        {
          aFormat: 'e5m2',
          bFormat: 'e5m2',
          outFormat: 'e5m2',
          operation: 'input',
          rounding: 'rdown',
          latency: NEAR_FAR_CUTS.length,
        },
        allPairs('e5m2', 'e5m2'),
      ],
      [
        'e5m2 ± e5m2 ordered by magnitude, every pair, per vector, every cut, rounding up',
        {
          aFormat: 'e5m2',
          bFormat: 'e5m2',
          outFormat: 'e5m2',
          operation: 'input',
          rounding: 'rup',
          operandOrder: 'magnitude',
          latency: NEAR_FAR_CUTS.length,
        },
        allPairs('e5m2', 'e5m2'),
      ],
      [
        'e4m3fn + e4m3fn, every pair, subnormal operands flushed',
        { aFormat: 'e4m3fn', bFormat: 'e4m3fn', outFormat: 'e4m3fn', inputSubnormals: 'flush' },
        allPairs('e4m3fn', 'e4m3fn'),
      ],
      [
        'e4m3fn − e4m3fn ordered by magnitude, every pair, subnormal operands flushed',
        {
          aFormat: 'e4m3fn',
          bFormat: 'e4m3fn',
          outFormat: 'e4m3fn',
          operation: 'subtract',
          inputSubnormals: 'flush',
          operandOrder: 'magnitude',
        },
        allPairs('e4m3fn', 'e4m3fn'),
      ],
      [
        "e4m3fn − e4m3fn → e3m2fn (a narrower output, emin above the operands')",
        { aFormat: 'e4m3fn', bFormat: 'e4m3fn', outFormat: 'e3m2fn', operation: 'subtract', rounding: 'rup' },
        allPairs('e4m3fn', 'e4m3fn'),
      ],
      [
        'fp16 ± fp16, random pairs, per vector, 12 stages',
        { aFormat: 'fp16', bFormat: 'fp16', outFormat: 'fp16', operation: 'input', latency: 12 },
        randomPairs('fp16', 'fp16', 20_000, 21),
      ],
      [
        'fp16 + fp16 → e4m3fn, random pairs, tininess before, subnormals flushed',
        {
          aFormat: 'fp16',
          bFormat: 'fp16',
          outFormat: 'e4m3fn',
          tininess: 'before',
          outputSubnormals: 'flush',
        },
        randomPairs('fp16', 'fp16', 20_000, 22),
      ],
      [
        'bf16 − bf16, random pairs, nearest ties to zero, DAZ, 10 stages',
        {
          aFormat: 'bf16',
          bFormat: 'bf16',
          outFormat: 'bf16',
          operation: 'subtract',
          rounding: 'rnz',
          inputSubnormals: 'flush',
          latency: 10,
        },
        randomPairs('bf16', 'bf16', 20_000, 23),
      ],
      [
        'fp32 ± fp32, random pairs, per vector, 7 stages',
        { aFormat: 'fp32', bFormat: 'fp32', outFormat: 'fp32', operation: 'input', latency: 7 },
        randomPairs('fp32', 'fp32', 20_000, 24),
      ],
      [
        'fp32 ± fp32 ordered by magnitude (the catalog unit), random pairs, per vector, 7 stages',
        {
          aFormat: 'fp32',
          bFormat: 'fp32',
          outFormat: 'fp32',
          operation: 'input',
          operandOrder: 'magnitude',
          latency: 7,
        },
        randomPairs('fp32', 'fp32', 20_000, 26),
      ],
      [
        'fp32 + fp32 → bf16, random pairs, rounding up, tininess before, saturating',
        {
          aFormat: 'fp32',
          bFormat: 'fp32',
          outFormat: 'bf16',
          rounding: 'rup',
          tininess: 'before',
          overflow: 'saturate',
        },
        randomPairs('fp32', 'fp32', 20_000, 25),
      ],
    ];
    for (const [name, params, list] of twoPath) {
      it(name, () => {
        expect(mismatches({ ...params, path: 'near-far' }, list)).toEqual([]);
      });
    }
    it('every latency 0..13 of e4m3fn ± e4m3fn computes the same sums', () => {
      for (let latency = 0; latency <= NEAR_FAR_CUTS.length; latency++) {
        expect(
          mismatches(
            {
              aFormat: 'e4m3fn',
              bFormat: 'e4m3fn',
              outFormat: 'e4m3fn',
              operation: 'input',
              latency,
              path: 'near-far',
            },
            allPairs('e4m3fn', 'e4m3fn').filter((_, i) => i % 5 === latency % 5),
          ),
        ).toEqual([]);
      }
    });
    it("gives the single path's codes and flags on random fp16, bf16 and fp32 pairs, every rounding mode", () => {
      for (const [format, seed] of [
        ['fp16', 31],
        ['bf16', 32],
        ['fp32', 33],
      ] as const) {
        for (const rounding of ROUNDING_MODES) {
          const list = randomPairs(format, format, 3_000, seed).map(([a, b, s]) => [
            BigInt(a),
            BigInt(b),
            BigInt(s),
          ]);
          const run = (path: string) =>
            runVectors(
              resolveTarget('fp_add', {
                aFormat: format,
                bFormat: format,
                outFormat: format,
                operation: 'input',
                flags: true,
                rounding,
                path,
              }).module,
              list,
            );
          expect(run('near-far')).toEqual(run('single'));
        }
      }
    });
  });

  it('every latency 0..14 of e4m3fn + e4m3fn computes the same sums', () => {
    for (const latency of [0, 3, 6, 9, 10, 12, 13, ADD_CUTS.length]) {
      expect(
        mismatches(
          { aFormat: 'e4m3fn', bFormat: 'e4m3fn', outFormat: 'e4m3fn', latency },
          allPairs('e4m3fn', 'e4m3fn').filter((_, i) => i % 7 === 0),
        ),
      ).toEqual([]);
    }
  });
});

describe('fp_add parameters', () => {
  it('refuses an overflow to Inf into a format without Inf, naming the parameter', () => {
    expect(() => parseParams(fpAdd, { outFormat: 'e4m3fn', overflow: 'inf' })).toThrow(
      /'overflow' = "inf".*no Inf/,
    );
  });
  it('refuses a latency beyond its cut points', () => {
    expect(() => parseParams(fpAdd, { latency: ADD_CUTS.length + 1 })).toThrow(/'latency' = 17.*0 to 16/);
  });
  it('refuses operands ordered by magnitude of two formats, and more stages than that order has cuts', () => {
    expect(() => parseParams(fpAdd, { aFormat: 'fp16', bFormat: 'bf16', operandOrder: 'magnitude' })).toThrow(
      /'operandOrder' = "magnitude".*one format/,
    );
    expect(() =>
      parseParams(fpAdd, { operandOrder: 'magnitude', latency: MAGNITUDE_ORDER_CUTS.length + 1 }),
    ).toThrow(/'latency' = 15.*at most 14/);
  });
  it('refuses near-far for two operand formats, an output reaching below their range and more stages than its cuts', () => {
    expect(() => parseParams(fpAdd, { aFormat: 'fp16', bFormat: 'bf16', path: 'near-far' })).toThrow(
      /'path' = "near-far".*one format/,
    );
    expect(() =>
      parseParams(fpAdd, { aFormat: 'fp16', bFormat: 'fp16', outFormat: 'fp32', path: 'near-far' }),
    ).toThrow(/'path' = "near-far".*normal range/);
    expect(() => parseParams(fpAdd, { path: 'near-far', latency: NEAR_FAR_CUTS.length + 1 })).toThrow(
      /'latency' = 14.*at most 13/,
    );
  });
  it('the near/far adder has no window-wide leading-zero count, and the single path is unchanged by the parameter', () => {
    const module = (params: Params) => resolveTarget('fp_add', params).module;
    expect(module({ path: 'single', latency: 7 }).nodes).toEqual(module({ latency: 7 }).nodes);
    const nearFar = emitVerilog(module({ path: 'near-far', latency: 7 }))
      .map((f) => f.text)
      .join('\n');
    expect(nearFar).toMatch(/nf_near_lz/);
    expect(nearFar).not.toMatch(/sum_norm_lz/);
    expect(module({ path: 'near-far' }).name).toBe('fp_add_fp32_fp32_fp32_nearfar_l0');
  });
  it('operands ordered by magnitude leave no negation of the difference', () => {
    const verilog = (params: Params) =>
      emitVerilog(resolveTarget('fp_add', params).module)
        .map((f) => f.text)
        .join('\n');
    expect(verilog({ latency: 14 })).toMatch(/sum_complement_split/);
    expect(verilog({ latency: 14, operandOrder: 'magnitude' })).not.toMatch(/sum_complement_split/);
  });
  it('the same parameters give the same module name', () => {
    expect(resolveTarget('fp_add', { rounding: 'rtz', operation: 'input', latency: 2 }).module.name).toBe(
      'fp_add_fp32_fp32_fp32_addsub_rtz_l2',
    );
  });
});
