// The README's example generator, end to end: its parameters, its registry line, and its Verilog
// verified in Icarus and Verilator against its golden model, with mutants that must fail.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConformance } from '../../testbenches/conformance.ts';
import { satAddPlan } from '../../testbenches/plans/sat_add.ts';
import type { PlannedVectors } from '../../testbenches/plans/plan.ts';
import { checkedBy } from '../../testbenches/registry.ts';
import { simulatorsFor } from '../../testbenches/sim/container.ts';
import { lintVerilog } from '../../testbenches/sim/lint.ts';
import { emitVerilog } from '../emit/verilog.ts';
import { parseParams } from '../generator.ts';
import type { Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { SInt, UInt } from '../hdl/types.ts';
import { satAdd, type SatAddParams } from './sat_add.ts';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'bitsmith-sat-add-'));

/** The module's Verilog, written to a folder of its own. */
function rtl(module: Module, folder: string): string[] {
  mkdirSync(join(work, folder, 'rtl'), { recursive: true });
  return emitVerilog(module).map((file) => {
    const path = join(work, folder, 'rtl', file.fileName);
    writeFileSync(path, file.text);
    return path;
  });
}

/** Failures per simulator when `module` runs `vectors`. */
async function failures(
  module: Module,
  p: SatAddParams,
  vectors: PlannedVectors,
  simulator: 'icarus' | 'verilator',
  folder: string,
): Promise<number> {
  const report = await runConformance({
    ip: folder,
    module,
    params: p,
    plan: satAddPlan,
    vectors,
    seed: 1,
    rtlFiles: rtl(module, folder),
    simulators: simulatorsFor(simulator),
    workDir: join(work, folder),
  });
  expect(report.results[0]!.passed + report.results[0]!.failed).toBe(vectors.stimulus.length);
  return report.results[0]!.failed;
}

/** The datapath with one mistake: the sum wraps around instead of saturating. */
function wrappingAdder(p: SatAddParams): Module {
  const m = new ModuleBuilder(satAdd.build(p).name, { generator: 'sat_add', params: p }, { ready: p.ready });
  const type = p.signed ? SInt(p.width) : UInt(p.width);
  const [a, b] = [m.input('a', type), m.input('b', type)];
  if (p.latency >= 2) m.stage();
  const s = a.add(b, { width: p.width }).named('sum');
  if (p.latency >= 1) m.stage();
  m.output('s', s);
  return m.build();
}

describe('the example generator sat_add', () => {
  it('has its own parameters and the shared ones, with their rule and timing tag', () => {
    expect(parseParams(satAdd, {})).toEqual({ width: 8, signed: true, latency: 1, ready: false });
    expect(() => parseParams(satAdd, { ready: true, latency: 0 })).toThrow(
      "sat_add: parameter 'ready' = true is not allowed: valid/ready backpressure needs latency 1 or more",
    );
    expect(() => parseParams(satAdd, { latency: 3 })).toThrow(
      "sat_add: parameter 'latency' = 3 is not allowed: must be an integer from 0 to 2",
    );
    const skid = satAdd.build(parseParams(satAdd, { width: 4, signed: false, latency: 2, ready: 'skid' }));
    expect(skid.name).toBe('sat_add_u4_l2_skid');
    expect(skid.origin).toEqual({
      generator: 'sat_add',
      params: { width: 4, signed: false, latency: 2, ready: 'skid' },
    });
    expect(checkedBy(satAdd, satAddPlan).generator.name).toBe(satAddPlan.generator);
  });

  const cases: { raw: Record<string, unknown>; vectors: 'exhaustive' | 'random' }[] = [
    { raw: { width: 6, signed: true, latency: 1 }, vectors: 'exhaustive' },
    { raw: { width: 5, signed: false, latency: 2, ready: true }, vectors: 'exhaustive' },
    { raw: { width: 24, signed: true, latency: 0 }, vectors: 'random' },
  ];
  for (const { raw, vectors: kind } of cases) {
    it(`${JSON.stringify(raw)}: lints clean and passes in Icarus and Verilator`, async () => {
      const p = parseParams(satAdd, raw);
      const module = satAdd.build(p);
      const files = rtl(module, `lint-${module.name}`);
      expect((await lintVerilog(files, module.name)).clean).toBe(true);
      const request = kind === 'random' ? { kind, count: 3000 } : { kind };
      const vectors = satAddPlan.vectors(p, request, 5);
      for (const simulator of ['icarus', 'verilator'] as const)
        expect(await failures(module, p, vectors, simulator, `${simulator}-${module.name}`)).toBe(0);
    });
  }

  it('fails a wrapping datapath, and a wrapping golden model, on every overflowing pair', async () => {
    const p = parseParams(satAdd, { width: 6, signed: true, latency: 1 });
    const vectors = satAddPlan.vectors(p, { kind: 'exhaustive' }, 1);
    const wrapped = vectors.stimulus.map(([a, b]) => [(a! + b!) & 0x3fn]);
    const overflowing = wrapped.filter((row, i) => row[0] !== vectors.expected[i]![0]).length;
    expect(overflowing).toBe(1024); // of the 64 × 64 sums, 1,024 leave −32..31
    for (const simulator of ['icarus', 'verilator'] as const) {
      const wrongRtl = await failures(wrappingAdder(p), p, vectors, simulator, `wrong-rtl-${simulator}`);
      expect(wrongRtl).toBe(overflowing);
      const wrongGolden = { ...vectors, expected: wrapped };
      expect(await failures(satAdd.build(p), p, wrongGolden, simulator, `wrong-golden-${simulator}`)).toBe(
        overflowing,
      );
    }
  });

  it("is the README's example, file for file", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const file of [
      'generators/examples/sat_add.ts',
      'testbenches/golden/sat_add.ts',
      'testbenches/plans/sat_add.ts',
    ])
      expect(readme).toContain('```ts\n' + readFileSync(join(root, file), 'utf8') + '```\n');
  });
});
