import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emitVerilog } from '../../generators/emit/verilog.ts';
import type { Module } from '../../generators/hdl/ir.ts';
import { resolveTarget } from '../target.ts';
import { renderSchematic, SCHEMATIC_MAX_CELLS } from './schematic.ts';

const dir = mkdtempSync(join(tmpdir(), 'bitsmith-schematic-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The module's RTL written to a folder of its own; returns the file paths. */
function writeRtl(module: Module): string[] {
  const folder = join(dir, module.name);
  mkdirSync(folder, { recursive: true });
  return emitVerilog(module).map((f) => {
    writeFileSync(join(folder, f.fileName), f.text);
    return join(folder, f.fileName);
  });
}

describe('the schematic step', () => {
  it('draws a top level with 256-bit buses (netlistsvg recurses once per bit)', async () => {
    const { module } = resolveTarget('int_mac', { accWidth: 256 });
    const result = await renderSchematic(writeRtl(module), module);
    expect('svg' in result && result.svg.startsWith('<svg')).toBe(true);
  });

  it('decides that a large top level is unreadable from the IR alone, without Yosys', async () => {
    const { module } = resolveTarget('dot', { lanes: 32 });
    // No RTL files at all: a Yosys run would have nothing to read.
    const result = await renderSchematic([], module);
    expect(result).toEqual({
      skipped: expect.stringMatching(
        new RegExp(`the top level has \\d+ word-level cells, more than ${SCHEMATIC_MAX_CELLS}`),
      ),
    });
  });

  it('reads only the top level: sub-modules are boxes made from the IR', async () => {
    const { module } = resolveTarget('dequant', { format: 'nvfp4', lanes: 2 });
    expect(module.instances.length).toBeGreaterThan(0);
    const files = writeRtl(module);
    // Sub-module files that no Verilog reader accepts: the drawing does not need them.
    for (const f of files.filter((f) => !f.endsWith(`/${module.name}.v`))) writeFileSync(f, 'not verilog\n');
    const result = await renderSchematic(files, module);
    expect('svg' in result && result.svg.includes(module.instances[0]!.module.name)).toBe(true);
  });

  it('removes the work folders of runs that were killed', async () => {
    const ended = spawnSync(process.execPath, ['-e', '']).pid!;
    const stale = join(tmpdir(), `bitsmith-schematic-${ended}-killed`);
    mkdirSync(stale, { recursive: true });
    const { module } = resolveTarget('int_mul', { aWidth: 4, bWidth: 4 });
    await renderSchematic(writeRtl(module), module);
    expect(existsSync(stale)).toBe(false);
  });
});
