// A module's Verilog written into <dir>/rtl for a test's simulator runs: the files' paths.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emitVerilog } from '../../generators/emit/verilog.ts';
import type { Module } from '../../generators/hdl/ir.ts';

export function writeRtl(module: Module, dir: string): string[] {
  mkdirSync(join(dir, 'rtl'), { recursive: true });
  return emitVerilog(module).map((f) => {
    writeFileSync(join(dir, 'rtl', f.fileName), f.text);
    return join(dir, 'rtl', f.fileName);
  });
}
