import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { emitVerilog } from '../generators/emit/verilog.ts';
import { isControlPort } from '../generators/hdl/ir.ts';
import type { Target } from './target.ts';

export interface IpPackage {
  dir: string;
  rtlFiles: string[];
}

/**
 * Write an IP's files into `<outDir>/<ip>/`: rtl/*.v, a file list and ip.json. Everything is written
 * into a temporary folder first and renamed into place, so a failure never leaves half an IP behind.
 */
export function writePackage(target: Target, outDir: string): IpPackage {
  const dir = resolve(outDir, target.ip);
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const files = emitVerilog(target.module);
    mkdirSync(join(staging, 'rtl'), { recursive: true });
    for (const f of files) writeFileSync(join(staging, 'rtl', f.fileName), f.text);
    writeFileSync(join(staging, `${target.ip}.f`), files.map((f) => `rtl/${f.fileName}`).join('\n') + '\n');
    writeFileSync(join(staging, 'ip.json'), JSON.stringify(describe(target), null, 2) + '\n');
    mkdirSync(dirname(dir), { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    return { dir, rtlFiles: files.map((f) => join(dir, 'rtl', f.fileName)) };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** The machine-readable description of an IP: parameters, ports and timing. */
export function describe(target: Target) {
  const m = target.module;
  return {
    ip: target.ip,
    generator: target.generator.name,
    module: m.name,
    description: target.description,
    params: target.params,
    timing: m.timing,
    ports: m.ports.map((p) => ({
      name: p.name,
      direction: p.direction,
      width: p.type.width,
      signed: p.type.signed,
      control: isControlPort(p.name),
      ...(p.doc === undefined ? {} : { doc: p.doc }),
    })),
  };
}
