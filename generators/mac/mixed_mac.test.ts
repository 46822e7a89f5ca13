import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../flows/synth/synthesize.ts';
import { alignToUnit } from '../../testbenches/align-vectors.ts';
import { runConformance } from '../../testbenches/conformance.ts';
import { mixedMacGolden, type MixedMacStep } from '../../testbenches/golden/mixed_mac.ts';
import { mixedMacPlan } from '../../testbenches/plans/mixed_mac.ts';
import { simulatorsFor } from '../../testbenches/sim/container.ts';
import { lintVerilog } from '../../testbenches/sim/lint.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { emitVerilog } from '../emit/verilog.ts';
import { parseParams } from '../generator.ts';
import { runVectors } from '../hdl/evaluate.ts';
import { mixedMac, mixedMacCutPoints, outerLoopStages, type MixedMacParams } from './mixed_mac.ts';

const params = (raw: Record<string, unknown>) => parseParams(mixedMac, raw);

describe('mixed_mac in the IR evaluator matches its golden model (docs/w4a16.md#restructured-gemv, docs/razer.md)', () => {
  for (const raw of [
    { weight: 'uint4', group: 8, latency: 1 },
    { weight: 'int4', group: 4, latency: 0 },
    { weight: 'e2m1fn', group: 16, outFormat: 'bf16', latency: 2 },
    { weight: 'razer', group: 8, latency: 1 },
    { weight: 'razer', group: 5, specialValues: [2.5, -63.5, 0, 63.5], outFormat: 'fp16', latency: 2 },
    { weight: 'uint4', group: 8, inner: 'fp32', latency: 1 },
    { weight: 'razer', group: 6, inner: 'fp32', latency: 2 },
    { weight: 'int4', group: 3, inner: 'fp32', activation: 'bf16', rounding: 'rdown', latency: 0 },
    { weight: 'e2m1fn', group: 4, inner: 'fp32', outputSubnormals: 'flush', outFormat: 'bf16', latency: 1 },
    // The research weights (docs/w4a16.md#weight-formats-of-mixed_mac), each with both inner sums.
    { weight: 'sf4', group: 8, latency: 2 },
    { weight: 'sf4', group: 4, inner: 'fp32', outFormat: 'fp16', latency: 1 },
    { weight: 'fp4_range', group: 6, latency: 1 },
    { weight: 'fp4_range', group: 5, inner: 'fp32', latency: 2 },
    { weight: 'fp4_prec2', group: 8, activation: 'bf16', latency: 1 },
    { weight: 'fp4_prec2', group: 4, inner: 'fp32', latency: 0 },
    { weight: 'bitmod', group: 6, inner: 'fp32', latency: 1 },
    { weight: 'apot4', group: 8, scale: 'bf16', latency: 1 },
    { weight: 'apot4', group: 4, inner: 'fp32', latency: 2 },
    { weight: 'int6', group: 8, latency: 1 },
    { weight: 'int6', group: 5, inner: 'fp32', rounding: 'rdown', latency: 1 },
    { weight: 'e3m2fn', group: 8, outFormat: 'bf16', latency: 2 },
    { weight: 'e3m2fn', group: 4, inner: 'fp32', latency: 1 },
    { weight: 'e2m3fn', group: 8, latency: 1 },
    { weight: 'e2m3fn', group: 6, inner: 'fp32', activation: 'bf16', latency: 2 },
  ]) {
    it(JSON.stringify(raw), () => {
      const p = params(raw);
      const module = mixedMac.build(p);
      const v = alignToUnit(
        mixedMacPlan.vectors(p, { kind: 'random', count: 3000 }, 5),
        unitUnderTest(module, []),
      );
      const got = runVectors(module, v.stimulus);
      expect(got.findIndex((row, i) => row[0] !== v.expected[i]![0])).toBe(-1);
    });
  }
});

// Every cut point taken, the outer addition spans seventeen cycles (outerLoopStages): groups of seventeen are the
// smallest that keep one group's close from reading the sum before the previous close has written it.
describe('mixed_mac with the group close pipelined over every cut point, idle cycles in between', () => {
  const all = mixedMacCutPoints('exact').length;
  const fp32All = mixedMacCutPoints('fp32').length;
  const shortest = outerLoopStages(all, 'exact');
  it('takes seventeen cycles for the outer addition with every cut point', () => {
    expect([all, fp32All, shortest, outerLoopStages(fp32All, 'fp32')]).toEqual([26, 21, 17, 17]);
    // A weight of 5 to 18 bits is cut between its table and its multiplier; a wider one inside the multiplier too.
    const rest = mixedMacCutPoints('exact').slice(1);
    expect(mixedMacCutPoints('exact', 5)).toEqual(['product', 'looked_up', ...rest]);
    expect(mixedMacCutPoints('exact', 27)).toEqual(['product', 'looked_up', 'weight_partials', ...rest]);
    expect(outerLoopStages(all + 2, 'exact', 27)).toBe(shortest);
  });
  for (const raw of [
    { weight: 'uint4', group: shortest, latency: all },
    { weight: 'razer', group: shortest + 1, latency: all, ready: true },
    { weight: 'int4', group: shortest, latency: 9, outFormat: 'bf16', rounding: 'rdown' },
    { weight: 'e2m1fn', group: shortest, inner: 'fp32', latency: fp32All },
    // SF4's 27-bit magnitudes take two more cuts: after the table, inside the multiplier.
    { weight: 'sf4', group: shortest, latency: all + 2 },
    { weight: 'bitmod', group: shortest, latency: all },
    { weight: 'e3m2fn', group: shortest, inner: 'fp32', latency: fp32All + 1 },
    { weight: 'apot4', group: shortest, inner: 'fp32', latency: fp32All + 2 },
  ]) {
    it(JSON.stringify(raw), () => {
      const p = params(raw);
      const module = mixedMac.build(p);
      const v = alignToUnit(
        mixedMacPlan.vectors(p, { kind: 'random', count: 3000 }, 11),
        unitUnderTest(module, []),
      );
      const got = runVectors(module, v.stimulus, { idle: (c) => c % 5 === 3 });
      expect(got.findIndex((row, i) => row[0] !== v.expected[i]![0])).toBe(-1);
    });
  }

  it('refuses a group shorter than the outer addition, and a latency beyond the cut points', () => {
    expect(() => params({ group: shortest - 1, latency: all })).toThrow(
      new RegExp(
        `'group' = ${shortest - 1} is not allowed: must be at least ${shortest} with latency ${all}: ` +
          `the outer addition of a group's close takes ${shortest} cycles`,
      ),
    );
    expect(() => params({ inner: 'fp32', latency: fp32All + 1 })).toThrow(
      new RegExp(
        `'latency' = ${fp32All + 1} is not allowed: must be at most ${fp32All} with fp32 inner sums`,
      ),
    );
  });
});

// Codes: fp16 1.0 = 0x3C00, 2^15 = 0x7800, 2^-9 = 0x1800, −2^15 = 0xF800; fp32 2^-9 = 0x3B000000.
const step = (w: number, a: number, more: Partial<MixedMacStep> = {}): MixedMacStep => ({
  w,
  a,
  clear: false,
  s: 0x3c00,
  z: 0,
  sv: 0,
  ...more,
});

/** The golden model's and the evaluated unit's outputs for the same steps. */
function both(p: MixedMacParams, steps: MixedMacStep[]): { golden: number[]; unit: number[] } {
  const golden = mixedMacGolden(
    {
      weight: p.weight,
      activation: p.activation,
      scale: p.scale,
      outFormat: p.outFormat,
      group: p.group,
      policy: {},
      ...(p.specialValues === undefined ? {} : { specialValues: p.specialValues }),
      inner: p.inner ?? 'exact',
    },
    steps,
  );
  const withZ = p.weight === 'uint4';
  const withSv = p.weight === 'razer' || p.weight === 'bitmod';
  const stimulus = steps.map((s) => [
    BigInt(s.w),
    BigInt(s.a),
    s.clear ? 1n : 0n,
    BigInt(s.s),
    ...(withZ ? [BigInt(s.z)] : []),
    ...(withSv ? [BigInt(s.sv ?? 0)] : []),
  ]);
  const unit = runVectors(mixedMac.build(p), stimulus).map((row) => Number(row[0]));
  return { golden, unit };
}

describe('mixed_mac definitions', () => {
  it('fp32 inner sums round at every element: 2^15 + 2^-9 − 2^15 gives 0, the exact sum 2^-9', () => {
    const steps = [step(1, 0x7800, { clear: true }), step(1, 0x1800), step(1, 0xf800)];
    const exact = both(params({ weight: 'uint4', group: 3, latency: 0 }), steps);
    const fp32 = both(params({ weight: 'uint4', group: 3, inner: 'fp32', latency: 0 }), steps);
    expect(exact.golden[2]).toBe(0x3b000000);
    expect(exact.unit).toEqual(exact.golden);
    expect(fp32.golden[2]).toBe(0);
    expect(fp32.unit).toEqual(fp32.golden);
  });

  it('reads z and sv on the group’s last element with exact sums, on its first with fp32 sums', () => {
    // RaZeR code 0b1000 = SV[sv]: sv 0 (+5) on the first element, sv 1 (+8) on the last; a = 1.
    const razer = [step(8, 0x3c00, { clear: true, sv: 0 }), step(8, 0x3c00, { sv: 1 })];
    const f = (x: number) => Math.fround(x);
    const fp32Code = (x: number) => new Uint32Array(new Float32Array([x]).buffer)[0]!;
    const exactRazer = both(params({ weight: 'razer', group: 2, latency: 0 }), razer);
    const fp32Razer = both(params({ weight: 'razer', group: 2, inner: 'fp32', latency: 0 }), razer);
    expect(exactRazer.golden[1]).toBe(fp32Code(f(16)));
    expect(fp32Razer.golden[1]).toBe(fp32Code(f(10)));
    expect(exactRazer.unit).toEqual(exactRazer.golden);
    expect(fp32Razer.unit).toEqual(fp32Razer.golden);
    // uint4 q = 9 twice, a = 1: z = 1 first, z = 4 last.
    const awq = [step(9, 0x3c00, { clear: true, z: 1 }), step(9, 0x3c00, { z: 4 })];
    const exactAwq = both(params({ weight: 'uint4', group: 2, latency: 0 }), awq);
    const fp32Awq = both(params({ weight: 'uint4', group: 2, inner: 'fp32', latency: 0 }), awq);
    expect(exactAwq.golden[1]).toBe(fp32Code(10));
    expect(fp32Awq.golden[1]).toBe(fp32Code(16));
    expect(exactAwq.unit).toEqual(exactAwq.golden);
    expect(fp32Awq.unit).toEqual(fp32Awq.golden);
  });
});

describe('mixed_mac research weights (docs/w4a16.md#weight-formats-of-mixed_mac)', () => {
  // a = 1 (fp16 0x3C00) times one code, scale 1: y is the code's value in fp32.
  const alone = (weight: string, w: number, sv = 0) => {
    const p = params({ weight, group: 1, latency: 0 });
    return both(p, [step(w, 0x3c00, { clear: true, sv })]);
  };
  const fp32 = (x: number) => new Uint32Array(new Float32Array([x]).buffer)[0]!;

  it('takes the values of the formats library: supernormal -0 codes, SF4 and APoT4 float32 constants, 6-bit codes', () => {
    for (const [weight, w, value] of [
      ['fp4_range', 0b1000, 8],
      ['fp4_prec2', 0b1000, 5],
      ['fp4_range', 0b1001, -0.5],
      ['sf4', 8, Math.fround(0.065513)],
      ['sf4', 0, -1],
      ['apot4', 1, Math.fround(0.1)],
      ['apot4', 0b1110, -Math.fround(0.8)],
      ['int6', 0b100000, -32],
      ['e3m2fn', 0b011111, 28],
      ['e3m2fn', 0b000001, 0.0625],
      ['e2m3fn', 0b111111, -7.5],
    ] as const) {
      const { golden, unit } = alone(weight, w);
      expect(golden[0], `${weight} code ${w}`).toBe(fp32(value));
      expect(unit, `${weight} code ${w}`).toEqual(golden);
    }
  });

  it("bitmod: the dtype picks er_pos, er_neg, ea_pos or ea_neg, the -0 code's +10, −10, +16 or −16 (E2M1 × 2)", () => {
    expect([0, 1, 2, 3].map((dtype) => alone('bitmod', 0b1000, dtype).golden[0])).toEqual(
      [10, -10, 16, -16].map(fp32),
    );
    for (const dtype of [0, 1, 2, 3]) {
      const { golden, unit } = alone('bitmod', 0b1000, dtype);
      expect(unit).toEqual(golden);
    }
    // The other codes are E2M1 × 2: code 7 is 12.
    expect(alone('bitmod', 7, 3).unit[0]).toBe(fp32(12));
  });

  it('fails on a unit of a neighbouring weight: the plans tell the -0 code, the dtype order and the grid apart', () => {
    const mismatches = (planned: Record<string, unknown>, built: Record<string, unknown>) => {
      const v = mixedMacPlan.vectors(params({ ...planned, latency: 0 }), { kind: 'random', count: 2000 }, 3);
      const got = runVectors(mixedMac.build(params({ ...built, latency: 0 })), v.stimulus);
      return got.filter((row, i) => row[0] !== v.expected[i]![0]).length;
    };
    // The control: each plan passes on its own unit.
    for (const weight of ['fp4_range', 'bitmod', 'e3m2fn', 'sf4'])
      expect(mismatches({ weight, group: 4 }, { weight, group: 4 }), weight).toBe(0);
    expect(mismatches({ weight: 'fp4_range', group: 4 }, { weight: 'fp4_prec2', group: 4 })).toBeGreaterThan(
      0,
    );
    expect(mismatches({ weight: 'fp4_range', group: 4 }, { weight: 'e2m1fn', group: 4 })).toBeGreaterThan(0);
    // RaZeR with BitMoD's values in E2M1 units: the same up to the grid, so every nonzero sum is half.
    expect(
      mismatches(
        { weight: 'bitmod', group: 4 },
        { weight: 'razer', group: 4, specialValues: [5, -5, 8, -8] },
      ),
    ).toBeGreaterThan(0);
    expect(mismatches({ weight: 'e3m2fn', group: 4 }, { weight: 'e2m3fn', group: 4 })).toBeGreaterThan(0);
    expect(mismatches({ weight: 'sf4', group: 4 }, { weight: 'apot4', group: 4 })).toBeGreaterThan(0);
  });

  it('multiplies magnitudes of up to 4 bits by shifts and adds, wider ones in a multiplier', () => {
    const text = (weight: string) =>
      emitVerilog(mixedMac.build(params({ weight, group: 8 })))
        .map((f) => f.text)
        .join('\n');
    expect(text('bitmod')).toMatch(/a_sig_q_pp3/);
    expect(text('fp4_range')).not.toMatch(/a_sig_q_pp/);
    expect(text('sf4')).toMatch(/a_sig_q_product = .* \* /);
  });
});

describe('mixed_mac parameters and names', () => {
  it('only has a zero-point input for asymmetric weights and a special-value index for RaZeR', () => {
    const ports = (weight: string) => mixedMac.build(params({ weight })).ports.map((p) => p.name);
    expect(ports('uint4')).toContain('z');
    expect(ports('int4')).not.toContain('z');
    expect(ports('razer')).toContain('sv');
    expect(ports('razer')).not.toContain('z');
    expect(ports('uint4')).not.toContain('sv');
    expect(ports('bitmod')).toContain('dtype');
    expect(ports('bitmod')).not.toContain('sv');
    expect(ports('sf4')).not.toContain('dtype');
    const width = (weight: string) =>
      mixedMac.build(params({ weight })).ports.find((p) => p.name === 'w')?.type.width;
    expect([width('int6'), width('e3m2fn'), width('e2m3fn'), width('sf4')]).toEqual([6, 6, 6, 4]);
  });

  it('names modules by weight, non-default special values and inner mode', () => {
    const name = (raw: Record<string, unknown>) => mixedMac.build(params(raw)).name;
    expect(name({ weight: 'razer', latency: 2 })).toBe('mixed_mac_razer_fp16_g128_fp16_fp32_l2');
    expect(name({ weight: 'razer', specialValues: [2.5, -5, 8, -8] })).toBe(
      'mixed_mac_razer_sv2p5_m5_8_m8_fp16_g128_fp16_fp32_l1',
    );
    expect(name({ weight: 'uint4', inner: 'fp32', latency: 2 })).toBe(
      'mixed_mac_uint4_fp16_g128_fp16_fp32_inner_fp32_l2',
    );
  });

  it('gives byte-identical Verilog for the same parameters, defaults spelled out or not', () => {
    const text = (raw: Record<string, unknown>) =>
      emitVerilog(mixedMac.build(params(raw)))
        .map((f) => f.text)
        .join('\n');
    const razer = text({ weight: 'razer', inner: 'fp32' });
    expect(text({ weight: 'razer', inner: 'fp32' })).toBe(razer);
    expect(text({ weight: 'razer', inner: 'fp32', specialValues: [5, 8, -5, -8] })).toBe(razer);
    expect(text({ weight: 'uint4', inner: 'exact' })).toBe(text({ weight: 'uint4' }));
    expect(text({ weight: 'uint4' })).not.toMatch(/inner/);
  });

  it('refuses special values that are not multiples of 0.5, do not fit, or belong to another weight', () => {
    expect(() => params({ weight: 'razer', specialValues: [5, 8, -5, 5.25] })).toThrow(
      /parameter 'specialValues' = \[5,8,-5,5.25\] is not allowed: entry 3 \(5.25\) is not a multiple of 0.5/,
    );
    expect(() => params({ weight: 'razer', specialValues: [5, 64, -5, -8] })).toThrow(
      /'specialValues' = \[5,64,-5,-8\] is not allowed: entry 1 \(64\) is outside -64 … 63.5/,
    );
    expect(() => params({ weight: 'razer', specialValues: [5, 8, -5] })).toThrow(
      /'specialValues' = \[5,8,-5\] is not allowed: needs exactly 4 values/,
    );
    expect(() => params({ weight: 'uint4', specialValues: [5, 8, -5, -8] })).toThrow(
      /'specialValues' = \[5,8,-5,-8\] is not allowed: only razer weights take special values; uint4 has none/,
    );
    expect(() => params({ weight: 'bitmod', specialValues: [5, 8, -5, -8] })).toThrow(
      /'specialValues' = \[5,8,-5,-8\] is not allowed: only razer weights take special values; bitmod has none/,
    );
    expect(() => params({ weight: 'apot8' })).toThrow(
      /parameter 'weight' = "apot8" is not allowed: must be one of/,
    );
    expect(() => params({ inner: 'fp64' })).toThrow(
      /'inner' = "fp64" is not allowed: must be one of exact, fp32/,
    );
  });
});

// The new configurations in real simulators: lint clean, 0 failures in Icarus and Verilator, Yosys clean.
describe('mixed_mac RaZeR, research weights and fp32 inner sums in the simulators', () => {
  const root = mkdtempSync(join(tmpdir(), 'bitsmith-mixed-mac-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (p: MixedMacParams) => {
    const module = mixedMac.build(p);
    const dir = join(root, module.name, 'rtl');
    mkdirSync(dir, { recursive: true });
    const files = emitVerilog(module).map((f) => {
      writeFileSync(join(dir, f.fileName), f.text);
      return join(dir, f.fileName);
    });
    return { module, files };
  };
  const count = 10_000;

  for (const raw of [
    { weight: 'razer', group: 16, latency: 2 },
    { weight: 'uint4', group: 32, inner: 'fp32', latency: 2 },
    {
      weight: 'razer',
      group: 8,
      inner: 'fp32',
      activation: 'bf16',
      outFormat: 'bf16',
      latency: 1,
      ready: true,
    },
    { weight: 'sf4', group: 8, inner: 'fp32', latency: 1 },
    { weight: 'e3m2fn', group: 6, latency: 2 },
  ]) {
    it(`${JSON.stringify(raw)}: lint clean, ${count} steps with 0 failures in icarus and verilator`, async () => {
      const p = params(raw);
      const { module, files } = write(p);
      const lint = await lintVerilog(files, module.name);
      expect(lint.messages).toEqual([]);
      const vectors = mixedMacPlan.vectors(p, { kind: 'random', count }, 7);
      const report = await runConformance({
        ip: module.name,
        module,
        params: p,
        plan: mixedMacPlan,
        vectors,
        seed: 7,
        rtlFiles: files,
        simulators: [...simulatorsFor('icarus'), ...simulatorsFor('verilator')],
        workDir: join(root, module.name, 'verify'),
      });
      for (const result of report.results) {
        expect(result.mismatches, result.simulator).toEqual([]);
        expect(result.passed, result.simulator).toBe(count);
      }
      expect(report.results.map((r) => r.simulator)).toEqual(['icarus', 'verilator']);
    });
  }

  it('synthesizes RaZeR weights with fp32 inner sums in Yosys (check -assert clean)', async () => {
    const { module, files } = write(params({ weight: 'razer', group: 16, inner: 'fp32', latency: 2 }));
    const report = await synthesize({
      files,
      top: module.name,
      target: 'generic',
      engine: 'native',
      workDir: join(root, module.name, 'synth'),
    });
    expect(report.top).toBe(module.name);
    expect(report.ffs).toBeGreaterThan(32);
  });
});
