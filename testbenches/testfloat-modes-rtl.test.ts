// fp_mul and fp_mac's FMA form, as the catalog builds them (fp_mul_fp16, fp_mul_fp32, fma_fp16,
// fma_fp32), configured to each of TestFloat's five rounding modes and both tininess rules, in
// Verilator against every TestFloat line (testfloat-modes/ in testbenches/vectors/external/README.md).
// The ten configurations sit in one module (testfloat-modes-bank.ts): one build per operation.

import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitVerilog } from '../generators/emit/verilog.ts';
import { simulatorsFor } from './sim/container.ts';
import type { VectorSet } from './sim/types.ts';
import { testFloatModesBank } from './testfloat-modes-bank.ts';
import { unitUnderTest } from './unit.ts';
import { TESTFLOAT_MODES, testFloatModeCases, type TestFloatModeOp } from './vectors/testfloat-modes.ts';

const UNITS: [string, TestFloatModeOp][] = [
  ['fp_mul_fp16', 'f16_mul'],
  ['fp_mul_fp32', 'f32_mul'],
  ['fma_fp16', 'f16_mulAdd'],
  ['fma_fp32', 'f32_mulAdd'],
];

/** Operands once (every configuration's file lists the same ones), then each configuration's result and flags. */
function bankVectors(op: TestFloatModeOp): VectorSet {
  const perMode = TESTFLOAT_MODES.map((m) => testFloatModeCases(op, m.rounding, m.tininess));
  const operands = perMode[0]!.map((c) => c.operands);
  for (const cases of perMode) expect(cases.map((c) => c.operands)).toEqual(operands);
  return {
    stimulus: operands.map((o) => o.map(BigInt)),
    expected: operands.map((_, i) =>
      perMode.flatMap((cases) => [BigInt(cases[i]!.result), BigInt(cases[i]!.flags)]),
    ),
  };
}

describe.each(UNITS)('%s in every TestFloat rounding mode and tininess rule', (ip, op) => {
  it(`reproduces every ${op} line in Verilator`, async () => {
    const module = testFloatModesBank(ip);
    const dir = join(tmpdir(), `bitsmith-testfloat-modes-${process.pid}`, ip);
    mkdirSync(join(dir, 'rtl'), { recursive: true });
    const files = emitVerilog(module).map((f) => {
      writeFileSync(join(dir, 'rtl', f.fileName), f.text);
      return join(dir, 'rtl', f.fileName);
    });
    const vectors = bankVectors(op);
    const [verilator] = simulatorsFor('verilator');
    const result = await verilator!.run(unitUnderTest(module, files), vectors, {
      workDir: join(dir, 'verify'),
      seed: 1,
      bubbles: true,
      vcd: false,
    });
    console.log(
      `${ip}: ${vectors.stimulus.length} TestFloat ${op} lines × ${TESTFLOAT_MODES.length} configurations in Verilator ` +
        `(build ${result.buildSeconds.toFixed(1)} s, run ${result.runSeconds.toFixed(1)} s)`,
    );
    expect(result.mismatches).toEqual([]);
    expect(result.passed).toBe(vectors.stimulus.length);
  });
});
