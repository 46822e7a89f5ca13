import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../flows/target.ts';
import { verifyTarget } from '../../flows/verify.ts';
import {
  COCOTB_VERILATOR_MINIMUM,
  meetsCocotbMinimum,
  verilatorVersionOf,
} from './cocotb-verilator-version.ts';
import { requireExecutable } from './executables.ts';
import { queryTool } from './run-process.ts';

describe('the Verilator a cocotb stream bench needs', () => {
  it('reads the version from verilator --version', () => {
    expect(verilatorVersionOf('Verilator 5.006 2023-01-22 rev (Debian 5.006-3)\n')).toBe('5.006');
    expect(verilatorVersionOf('Verilator 5.041 devel rev v5.040-1-g4eb030717')).toBe('5.041');
    expect(verilatorVersionOf('verilator: command not understood')).toBeUndefined();
  });

  it(`asks for ${COCOTB_VERILATOR_MINIMUM} or later, comparing numbers`, () => {
    expect(['4.228', '5.006', '5.022', '5.035'].filter(meetsCocotbMinimum)).toEqual([]);
    expect(['5.036', '5.040', '5.100', '6.000'].every(meetsCocotbMinimum)).toBe(true);
  });

  it('verify --sim cocotb-verilator on a GEMV core stops at once, before the package is written', async () => {
    const version = verilatorVersionOf(
      await queryTool(await requireExecutable('verilator', 'verilator'), ['--version']),
    );
    const target = resolveTarget('gemv_w4a16_g128_p4s8');
    const outDir = join(tmpdir(), `bitsmith-cocotb-version-${process.pid}`);
    const started = Date.now();
    const verify = verifyTarget(target, {
      outDir,
      sim: 'cocotb-verilator',
      vectors: { kind: 'default' },
      seed: 1,
    });
    if (version !== undefined && meetsCocotbMinimum(version)) {
      // A Verilator new enough passes the gate and runs the stream bench.
      await expect(verify).resolves.toMatchObject({ passed: true });
      return;
    }
    await expect(verify).rejects.toThrow(
      new RegExp(
        `needs Verilator ${COCOTB_VERILATOR_MINIMUM.replace('.', '\\.')} or later .*found ${version}.*--sim cocotb-icarus`,
      ),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(existsSync(join(outDir, target.ip))).toBe(false);
  });
});
