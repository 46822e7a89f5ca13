import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyTarget } from '../../flows/verify.ts';
import { resolveTarget } from '../../flows/target.ts';
import { emitVerilog } from '../emit/verilog.ts';
import { ParameterError, parseParams } from '../generator.ts';
import { runVectors } from '../hdl/evaluate.ts';
import type { Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { cat } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';
import { generatorByName } from '../registry.ts';
import { estimateFmax } from './estimate.ts';
import { placeStages } from './place-stages.ts';

const fpMul = generatorByName('fp_mul')!;
const BF16 = { aFormat: 'bf16', bFormat: 'bf16', outFormat: 'bf16' };
const placed = (fmax: number, target: string, extra: Record<string, unknown> = {}) =>
  parseParams(fpMul, { ...BF16, fmax, target, placement: 'model', ...extra }) as { latency: number };
const pipelineBits = (m: Module) =>
  m.registers.reduce((bits, r) => bits + (r.role === 'pipeline' ? r.type.width : 0), 0);

/** Seeded 16-bit operand pairs: every exponent range, with zeros, infinities and NaNs among them. */
function operandPairs(count: number): bigint[][] {
  let state = 12345;
  const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31), BigInt(state & 0xffff));
  const special = [0x0000n, 0x8000n, 0x7f80n, 0xff80n, 0x7fc0n, 0x0001n, 0x7f7fn];
  return Array.from({ length: count }, (_, i) => [
    i % 7 === 0 ? special[(i / 7) % special.length]! : next(),
    next(),
  ]);
}

describe('registers placed by the delay model (placement: model)', () => {
  it.each([
    ['ice40', 80],
    ['ice40', 120],
    ['ecp5', 160],
    ['ecp5', 170],
    ['ecp5-8', 200],
  ] as const)('on %s at %d MHz every stage fits the period', (target, fmax) => {
    const p = placed(fmax, target);
    const module = fpMul.build(p);
    expect(module.name).toBe(`fp_mul_bf16_bf16_bf16_f${fmax}_${target.replace('-', '_')}`);
    expect(module.timing).toMatchObject({ kind: p.latency === 0 ? 'comb' : 'pipelined' });
    expect(estimateFmax(module, target).mhz).toBeGreaterThanOrEqual(fmax);
  });

  // The cut points are the generator's own stages, each with the logic arranged for it (comparisons
  // in LUTs behind a registered exponent, and the like); the placement cuts the unpipelined datapath
  // wherever the period runs out. Neither is always fewer: at 140 MHz on ECP5 the cuts take 4 stages
  // and the placement 6.
  it.each([
    ['ecp5-8', 120],
    ['ice40', 80],
    ['ecp5', 90],
  ] as const)('takes fewer stages than the cut points on %s at %d MHz (fp_mul bf16)', (target, fmax) => {
    const cuts = parseParams(fpMul, { ...BF16, fmax, target }) as { latency: number };
    expect(placed(fmax, target).latency).toBeLessThan(cuts.latency);
  });

  it('needs no more stages for a slower clock, and none when the unit meets the clock unpipelined', () => {
    const stages = [60, 90, 120, 150, 170].map((fmax) => placed(fmax, 'ecp5').latency);
    for (let i = 1; i < stages.length; i++) expect(stages[i]).toBeGreaterThanOrEqual(stages[i - 1]!);
    const unpipelined = estimateFmax(fpMul.build(parseParams(fpMul, { ...BF16, latency: 0 })), 'ecp5').mhz;
    expect(placed(Math.floor(unpipelined), 'ecp5').latency).toBe(0);
  });

  it('computes what the unpipelined unit computes, vector for vector', () => {
    const stimulus = operandPairs(3000);
    const flat = runVectors(fpMul.build(parseParams(fpMul, { ...BF16, latency: 0 })), stimulus);
    for (const [fmax, ready] of [
      [160, false],
      [170, true],
    ] as const) {
      const module = fpMul.build(placed(fmax, 'ecp5', ready ? { ready } : {}));
      expect(runVectors(module, stimulus, ready ? { stall: (c) => c % 5 === 2 } : {})).toEqual(flat);
    }
  });

  it('gives byte-identical Verilog for the same request', () => {
    const text = () => emitVerilog(fpMul.build(placed(160, 'ecp5'))).map((f) => f.text);
    expect(text()).toEqual(text());
  });

  it('carries a narrow operand to the stage that needs it, not the wide value made from it', () => {
    const m = new ModuleBuilder(
      'widen',
      { generator: 'test', params: {} },
      { placeStages: (draft) => placeStages(draft, { fmax: 150, target: 'ecp5' }) },
    );
    const x = m.input('x', UInt(8));
    const y = m.input('y', UInt(32));
    // A long path on y, then a 32-bit value formed from x by wiring only, added at its end.
    let slow = y;
    for (let i = 0; i < 6; i++) slow = slow.add(y).slice(31, 0).named(`slow${i}`);
    const wide = cat(x, x, x, x).named('wide');
    m.output('z', slow.add(wide).slice(31, 0));
    const module = m.build();
    expect(module.timing).toMatchObject({ kind: 'pipelined' });
    const latency = (module.timing as { latency: number }).latency;
    expect(latency).toBeGreaterThanOrEqual(2);
    const carried = module.registers.filter((r) => r.role === 'pipeline').map((r) => r.name);
    expect(carried.filter((name) => name.startsWith('x_s'))).toHaveLength(latency);
    expect(carried.some((name) => name.startsWith('wide_s'))).toBe(false);
  });

  it('places a combinational child whole, in one stage', () => {
    const dequant = generatorByName('dequant')!;
    const raw = {
      format: 'mxint8',
      lanes: 4,
      outFormat: 'fp32',
      fmax: 60,
      target: 'ecp5',
      placement: 'model',
    };
    const module = dequant.build(parseParams(dequant, raw));
    expect(module.instances.map((i) => i.name)).toContain('decode0');
    expect(module.instances.every((i) => i.module.timing.kind === 'comb')).toBe(true);
    expect(estimateFmax(module, 'ecp5').mhz).toBeGreaterThanOrEqual(60);
    expect(() => parseParams(dequant, { ...raw, fmax: 140 })).toThrow(
      /instance 'decode0' alone takes [\d.]+ ns of logic on ecp5, more than 140 MHz leaves/,
    );
  });

  it.each([
    [
      'int_mac',
      { fmax: 100, placement: 'model' },
      'the delay model can place registers only in feed-forward logic, and it holds state (registers outside the pipeline)',
    ],
    ['fp_mul', { placement: 'model' }, 'placement says where the registers for fmax go: give fmax too'],
    [
      'fp_mul',
      { fmax: 5000, placement: 'model' },
      /alone takes [\d.]+ ns of logic on ecp5, more than 5000 MHz leaves/,
    ],
    ['fp_mul', { fmax: 100, placement: 'retime' }, 'must be one of cuts, model'],
  ])('%s refuses %j', (name, raw, message) => {
    const generator = generatorByName(name)!;
    expect(() => parseParams(generator, raw)).toThrow(ParameterError);
    expect(() => parseParams(generator, raw)).toThrow(message);
  });

  it('verifies with 0 failures in Icarus, Verilator and C-sim, lint clean', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bitsmith-placed-'));
    try {
      const target = resolveTarget('fp_mul_bf16', { fmax: 160, target: 'ecp5', placement: 'model' });
      expect(pipelineBits(target.module)).toBeGreaterThan(0);
      const result = await verifyTarget(target, {
        outDir: out,
        sim: 'all',
        vectors: { kind: 'default' },
        seed: 1,
      });
      expect(result.lint.clean).toBe(true);
      expect(result.conformance.vectors).toBeGreaterThan(100_000);
      expect(result.conformance.results.map((r) => [r.simulator, r.failed])).toEqual([
        ['icarus', 0],
        ['verilator', 0],
        ['hls', 0],
      ]);
      for (const r of result.conformance.results) expect(r.passed).toBe(result.conformance.vectors);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
