// The cocotb bench on units with an output skid buffer (ready 'skid'): it checks their results and
// latency under random backpressure, and checks in_ready against the handshake the unit declares, so
// a unit whose in_ready follows out_ready in the same cycle is caught when it claims a skid buffer,
// and the other way round.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../flows/target.ts';
import { emitVerilog } from '../../generators/emit/verilog.ts';
import type { Module } from '../../generators/hdl/ir.ts';
import { planFor } from '../plans/index.ts';
import { unitUnderTest } from '../unit.ts';
import { CocotbSimulator } from './cocotb.ts';
import type { UnitUnderTest } from './types.ts';

const IP = 'mac_int8_s_acc20_sat_rdy'; // an accumulator: a result taken twice or lost shows in every later sum
const VECTORS = 1500;
const root = join(tmpdir(), `bitsmith-cocotb-skid-${process.pid}`);

function build(ready: true | 'skid'): { module: Module; files: string[]; params: Record<string, unknown> } {
  const target = resolveTarget(IP, { ready });
  const dir = join(root, target.module.name);
  mkdirSync(dir, { recursive: true });
  const files = emitVerilog(target.module).map((f) => {
    writeFileSync(join(dir, f.fileName), f.text);
    return join(dir, f.fileName);
  });
  return { module: target.module, files, params: target.params };
}

async function run(
  unit: UnitUnderTest,
  params: Record<string, unknown>,
  hdl: 'icarus' | 'verilator',
  name: string,
) {
  const vectors = planFor('int_mac').vectors(params, { kind: 'random', count: VECTORS }, 5);
  return new CocotbSimulator(hdl).run(unit, vectors, {
    workDir: join(root, name),
    seed: 3,
    bubbles: true,
    vcd: false,
  });
}

describe(`${IP} with ready 'skid' in the cocotb bench`, () => {
  const skid = build('skid');
  it.each(['icarus', 'verilator'] as const)('passes %s with random backpressure', async (hdl) => {
    const unit = unitUnderTest(skid.module, skid.files);
    expect(unit.timing).toMatchObject({ ready: true, skid: true });
    const result = await run(unit, skid.params, hdl, `skid-${hdl}`);
    expect(result.mismatches).toEqual([]);
    expect([result.passed, result.failed]).toEqual([VECTORS, 0]);
    // Random input gaps and out_ready drops: more cycles than vectors.
    expect(result.cycles).toBeGreaterThan(VECTORS * 1.3);
  });

  it('fails a stall-style unit that claims a skid buffer, on its in_ready', async () => {
    const stall = build(true);
    const unit = unitUnderTest(stall.module, stall.files);
    const claimed: UnitUnderTest = {
      ...unit,
      timing: { ...unit.timing, skid: true } as UnitUnderTest['timing'],
    };
    const result = await run(claimed, stall.params, 'icarus', 'stall-as-skid');
    // Values and latency are right (a stall holds every stage): only the handshake is wrong.
    expect(result.mismatches).toEqual([]);
    expect(result.passed).toBe(VECTORS);
    expect(result.failed).toBeGreaterThan(0);
    expect(readFileSync(result.logPath, 'utf8')).toMatch(
      /HANDSHAKE cycle=\d+ in_ready=[01]: the cycle before/,
    );
  });

  it('fails a skid unit that claims the stall style, on its in_ready', async () => {
    const unit = unitUnderTest(skid.module, skid.files);
    const { skid: _, ...stallTiming } = unit.timing as Extract<
      UnitUnderTest['timing'],
      { kind: 'pipelined' }
    >;
    const claimed: UnitUnderTest = { ...unit, timing: stallTiming };
    const result = await run(claimed, skid.params, 'icarus', 'skid-as-stall');
    expect(result.failed).toBeGreaterThan(0);
    expect(readFileSync(result.logPath, 'utf8')).toMatch(/HANDSHAKE cycle=\d+ in_ready=[01]: this cycle/);
  });
});
