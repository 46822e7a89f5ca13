import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulatorsFor } from '../../testbenches/sim/container.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { Random } from '../../testbenches/vectors/random.ts';
import { int, OP_CASES, wrap } from '../hdl/op-cases.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { emitVerilog } from './verilog.ts';

// Every operator of the DSL, emitted as Verilog and run in Icarus and Verilator: the simulators must
// compute what integer arithmetic says, which checks the emitter's width and signedness rules.
describe('emitted Verilog computes every operator as the integers say', () => {
  const m = new ModuleBuilder('op_cases', { generator: 'test', params: {} });
  const outputs = OP_CASES.map((c, k) => {
    const a = m.input(`a${k}`, c.types[0]);
    const b = m.input(`b${k}`, c.types[1]);
    const y = c.build(a, b);
    m.output(`y${k}`, y);
    return y.width;
  });
  const module = m.build();
  const dir = join(tmpdir(), `bitsmith-op-cases-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const files = emitVerilog(module).map((f) => {
    writeFileSync(join(dir, f.fileName), f.text);
    return join(dir, f.fileName);
  });

  const rng = new Random(2024);
  const edge = (w: number) => [0n, 1n, 2n ** BigInt(w) - 1n, 2n ** BigInt(w - 1), 2n ** BigInt(w - 1) - 1n];
  const stimulus: bigint[][] = [];
  for (let i = 0; i < 3000; i++) {
    stimulus.push(
      OP_CASES.flatMap((c) => c.types.map((t) => (i < 25 ? edge(t.width)[i % 5]! : rng.bits(t.width)))),
    );
  }
  const expected = stimulus.map((row) =>
    OP_CASES.map((c, k) =>
      wrap(c.expect(int(row[2 * k]!, c.types[0]), int(row[2 * k + 1]!, c.types[1])), outputs[k]!),
    ),
  );

  for (const simulator of simulatorsFor('all')) {
    it(`in ${simulator.name}`, async () => {
      const result = await simulator.run(
        unitUnderTest(module, files),
        { stimulus, expected },
        {
          workDir: join(dir, simulator.name),
          seed: 1,
          bubbles: false,
          vcd: false,
        },
      );
      expect(result.mismatches).toEqual([]);
      expect(result.passed).toBe(stimulus.length);
    });
  }
});
