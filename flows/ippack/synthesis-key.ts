import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { projectPath } from '../../generators/emit/paths.ts';
import { emitVerilog } from '../../generators/emit/verilog.ts';
import type { FmaxTarget } from '../pnr/devices.ts';
import { fmaxPnrArgs, fmaxSynthCommand } from '../pnr/fmax.ts';
import { renderFmaxTop } from '../pnr/fmax-top.ts';
import { synthCommand } from '../synth/targets.ts';
import type { SynthTarget } from '../synth/types.ts';
import type { Target } from '../target.ts';

/**
 * A fingerprint of everything a synthesis result depends on besides the Yosys version: the Verilog
 * text, the synthesis command and the script template. Yosys is deterministic, so a baseline recorded
 * under the same fingerprint (and version) still holds, and the area test need not synthesize again.
 */
export function synthesisKey(target: Target, synthTarget: SynthTarget): string {
  const hash = createHash('sha256');
  for (const file of emitVerilog(target.module)) hash.update(`${file.fileName}\n${file.text}\n`);
  hash.update(synthCommand(synthTarget, target.module.name));
  hash.update(readFileSync(projectPath('templates', 'synth', 'synth.ys.hbs'), 'utf8'));
  return hash.digest('hex').slice(0, 16);
}

/**
 * A fingerprint of everything an Fmax result depends on besides the Yosys and nextpnr versions: the
 * Verilog, the registered-I/O wrapper, the synthesis script and nextpnr's arguments (device, seed,
 * aimed-at clock). nextpnr is deterministic for a fixed seed, so a baseline recorded under the same
 * fingerprint still holds without placing the design again.
 */
export function fmaxKey(target: Target, fmaxTarget: FmaxTarget): string {
  const hash = createHash('sha256');
  for (const file of emitVerilog(target.module)) hash.update(`${file.fileName}\n${file.text}\n`);
  hash.update(renderFmaxTop(target.module));
  hash.update(fmaxSynthCommand(fmaxTarget));
  hash.update(readFileSync(projectPath('templates', 'pnr', 'fmax.ys.hbs'), 'utf8'));
  hash.update(JSON.stringify(fmaxPnrArgs(fmaxTarget)));
  return hash.digest('hex').slice(0, 16);
}
