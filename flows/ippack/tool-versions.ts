import { readFileSync } from 'node:fs';
import { queryTool } from '../../testbenches/sim/run-process.ts';
import type { SynthEngine } from '../synth/types.ts';
import { findTool } from '../tools.ts';

const cache = new Map<string, Promise<string | undefined>>();

/** 'Yosys 0.23' for the native binary, 'Yosys 0.55 (yowasp 0.55.944)' for the npm build; undefined if missing. */
export function yosysVersion(engine: SynthEngine): Promise<string | undefined> {
  return cached(`yosys-${engine}`, async () => {
    if (engine === 'yowasp') {
      // The package exports no package.json; it sits beside gen/bundle.js's folder.
      const url = new URL('../package.json', import.meta.resolve('@yowasp/yosys'));
      const version = (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
      return `Yosys ${version.split('.').slice(0, 2).join('.')} (yowasp ${version})`;
    }
    const yosys = await findTool('yosys');
    if (yosys === undefined) return undefined;
    const text = await queryTool(yosys, ['-V']);
    return /Yosys \d+\.\d+(\+\d+)?/.exec(text)?.[0] ?? text.trim();
  });
}

/**
 * '0.4-1+b1' for nextpnr-ice40 (the Debian build), 'nextpnr-0.11.1' for nextpnr-ecp5 (the WebAssembly
 * build in .venv), or undefined when it is not installed.
 */
export function nextpnrVersion(
  tool: 'nextpnr-ice40' | 'nextpnr-ecp5' = 'nextpnr-ice40',
): Promise<string | undefined> {
  return cached(tool, async () => {
    const nextpnr = await findTool(tool);
    if (nextpnr === undefined) return undefined;
    const text = await queryTool(nextpnr, ['--version']);
    return /Version ([^)\s]+)/.exec(text)?.[1] ?? text.trim();
  });
}

function cached(key: string, make: () => Promise<string | undefined>): Promise<string | undefined> {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}
