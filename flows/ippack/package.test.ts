import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOG, catalogEntry } from '../../ip/catalog.ts';
import { runProcess } from '../../testbenches/sim/run-process.ts';
import { buildPackage, recordResults, writePackage } from '../package.ts';
import { resolveTarget } from '../target.ts';
import { readBaselines } from './baselines.ts';
import { buildIp } from './build-ip.ts';

const scratch = () => mkdtempSync(join(tmpdir(), 'bitsmith-pkg-'));

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

// The names a CAPI2 fileset or toplevel entry refers to: "name", or "flag? (name)", "!flag? (name)".
function useFlagNames(entry: string): string[] {
  const conditional = /^!?[\w-]+\?\s*\((.*)\)$/.exec(entry.trim());
  return conditional ? conditional[1]!.trim().split(/\s+/) : [entry.trim()];
}

describe('the package of every catalog IP', () => {
  const out = scratch();
  beforeAll(async () => {
    for (const entry of CATALOG) await buildPackage(resolveTarget(entry.name), out);
  });

  describe.each(CATALOG.map((e) => [e.name]))('%s', (ip) => {
    const dir = () => join(out, ip);

    it('has the layout: rtl, tb, file list, core, vendor scripts, doc, README', () => {
      const files = listFiles(dir());
      const target = resolveTarget(ip);
      for (const f of [
        `rtl/${target.module.name}.v`,
        `${ip}.f`,
        `${ip}.core`,
        'hls/bitsmith_ap.h',
        `hls/${target.module.name}.cpp`,
        'tb/tb.v',
        'tb/tb_icarus.v',
        'tb/tb_main.cpp',
        ...(target.module.timing.kind === 'sequential'
          ? ['tb/jobs.hex', 'tb/x.hex', 'tb/w.hex', 'tb/s.hex', 'tb/y.expected.hex']
          : ['tb/stimulus.hex', 'tb/expected.hex', 'doc/handshake.svg']),
        'vendor/vivado.tcl',
        'vendor/quartus.tcl',
        `vendor/${ip}.xdc`,
        `vendor/${ip}.sdc`,
        'README.md',
        'ip.json',
        'results.json',
      ]) {
        expect(files).toContain(f);
      }
      // The file list names exactly the RTL files (sub-modules first, so in its own order).
      expect(
        readFileSync(join(dir(), `${ip}.f`), 'utf8')
          .trim()
          .split('\n')
          .sort(),
      ).toEqual(files.filter((f) => f.startsWith('rtl/')));
    });

    it('has a FuseSoC core with the CAPI2 structure', () => {
      const text = readFileSync(join(dir(), `${ip}.core`), 'utf8');
      expect(text.split('\n')[0]).toBe('CAPI=2:');
      const core = parse(text) as {
        name: string;
        filesets: Record<string, { files: (string | Record<string, object>)[]; file_type?: string }>;
        targets: Record<string, { filesets: string[]; toplevel: string | string[]; default_tool?: string }>;
        parameters: Record<string, { datatype: string; paramtype: string; default: unknown }>;
      };
      expect(core.name).toMatch(/^[\w.-]+:[\w.-]+:[\w.-]+:\d+\.\d+\.\d+$/);
      expect(core.name.split(':')[2]).toBe(ip);
      expect(Object.keys(core.targets)).toEqual(['default', 'sim', 'lint', 'synth']);
      for (const [name, target] of Object.entries(core.targets)) {
        expect(target.filesets.length, name).toBeGreaterThan(0);
        for (const fileset of target.filesets.flatMap(useFlagNames)) {
          expect(core.filesets[fileset], `target ${name} names fileset ${fileset}`).toBeDefined();
        }
      }
      expect(core.targets.sim!.default_tool).toBe('icarus');
      expect([core.targets.sim!.toplevel].flat().flatMap(useFlagNames).sort()).toEqual([
        'bitsmith_tb',
        'bitsmith_tb_icarus',
      ]);
      expect(core.targets.lint!.toplevel).toBe(resolveTarget(ip).module.name);
      for (const fileset of Object.values(core.filesets)) {
        for (const file of fileset.files) {
          const path = typeof file === 'string' ? file : Object.keys(file)[0]!;
          const type =
            typeof file === 'string' ? fileset.file_type : (file[path] as { file_type?: string }).file_type;
          expect(existsSync(join(dir(), path)), `${path} exists`).toBe(true);
          expect(type ?? fileset.file_type, `${path} has a file type`).toBeDefined();
        }
      }
      // The cocotb bench is listed with the package's other files (no target: Edalize runs no cocotb).
      const cocotb = listFiles(dir()).filter((f) => f.startsWith('tb/cocotb/'));
      expect(core.filesets.tb_cocotb?.files.slice().sort()).toEqual(
        cocotb.length > 0 ? cocotb.sort() : undefined,
      );
      // The generator parameters, with their values and CAPI2 data types.
      const params = resolveTarget(ip).params;
      expect(Object.keys(core.parameters)).toEqual(Object.keys(params));
      for (const [name, p] of Object.entries(core.parameters)) {
        // CAPI2 defaults are scalars: a list or record parameter is its JSON text (FuseSoC rejects a list).
        const value = params[name];
        expect(p.default).toEqual(
          typeof value === 'object' && value !== null ? JSON.stringify(value) : value,
        );
        expect(['bool', 'int', 'real', 'str']).toContain(p.datatype);
        expect(p.datatype).toBe(
          typeof params[name] === 'boolean' ? 'bool' : typeof params[name] === 'number' ? 'int' : 'str',
        );
      }
    });

    it('has a README with every port, the latency, the diagrams and the baseline area', () => {
      const readme = readFileSync(join(dir(), 'README.md'), 'utf8');
      const target = resolveTarget(ip);
      for (const port of target.module.ports) {
        expect(readme).toMatch(
          new RegExp(
            `^\\| \`${port.name}\` \\| ${port.direction} \\| ${port.type.width} \\| ${port.type.signed ? 'SInt' : 'UInt'}\\(${port.type.width}\\) \\|`,
            'm',
          ),
        );
      }
      const t = target.module.timing;
      expect(readme).toContain(
        t.kind === 'comb'
          ? '0 cycles: combinational'
          : t.kind === 'sequential'
            ? 'Data dependent'
            : `${t.latency} clock cycle`,
      );
      if (t.kind !== 'sequential') expect(readme).toContain('![Handshake timing diagram](doc/handshake.svg)');
      // A schematic is drawn unless the top level is too large to read; then the README says why.
      if (existsSync(join(dir(), 'doc', 'schematic.svg'))) expect(readme).toContain('(doc/schematic.svg)');
      else
        expect(readme).toMatch(
          /schematic: not drawn: the top level has \d+ word-level cells, more than \d+ make a readable schematic/,
        );
      // Every target the baselines record for the IP (an entry may record fewer: catalog areaTargets).
      const recorded = Object.values(readBaselines()?.ips[ip]?.area ?? {});
      expect(recorded.length).toBe(catalogEntry(ip)?.areaTargets?.length ?? 3);
      for (const base of recorded) {
        expect(readme).toContain(
          `| ${base.luts} | ${base.ffs} | ${base.carries} | ${base.dsps} | ${base.rams} | baseline in ip/baselines.json`,
        );
      }
    });
  });

  it('draws the handshake and the schematic as SVG naming the ports', () => {
    const dir = join(out, 'mac_int8_s_acc20_sat_rdy');
    const wave = readFileSync(join(dir, 'doc/handshake.svg'), 'utf8');
    expect(wave).toMatch(/^<svg[^>]*class="WaveDrom"/);
    for (const lane of ['in_valid', 'in_ready', 'out_valid', 'out_ready', 'acc'])
      expect(wave).toContain(`>${lane}<`);
    const schematic = readFileSync(join(dir, 'doc/schematic.svg'), 'utf8');
    expect(schematic).toMatch(/^<svg/);
    for (const port of ['a', 'b', 'clear', 'acc', 'out_valid']) expect(schematic).toContain(`>${port}<`);
  });

  it('gives byte-identical packages for the same parameters', async () => {
    const again = scratch();
    for (const ip of ['mul_int4_u_comb', 'mac_int8_s_acc20_sat_rdy']) {
      await buildPackage(resolveTarget(ip), again);
      const files = listFiles(join(out, ip));
      expect(listFiles(join(again, ip))).toEqual(files);
      for (const f of files) {
        expect(readFileSync(join(again, ip, f)).equals(readFileSync(join(out, ip, f))), f).toBe(true);
      }
    }
  });
});

describe('packages', () => {
  let out = '';
  beforeAll(() => {
    out = scratch();
  });

  /** Builds a package's testbench with iverilog in its tb/ folder and returns the count of lines of `files` and the last output line. */
  async function runPackagedTestbench(ip: string, files: string[]): Promise<{ lines: number; last: string }> {
    const pkg = await buildPackage(resolveTarget(ip), out);
    const tb = join(pkg.dir, 'tb');
    const rtl = readdirSync(join(pkg.dir, 'rtl')).map((f) => join('..', 'rtl', f));
    const build = await runProcess(
      'iverilog',
      ['-g2005', '-s', 'bitsmith_tb_icarus', '-o', 'sim.vvp', 'tb_icarus.v', 'tb.v', ...rtl],
      { cwd: tb, logPath: join(out, `iverilog-${ip}.log`) },
    );
    expect(build.output).toBe('');
    const sim = await runProcess('vvp', ['-n', 'sim.vvp'], { cwd: tb, logPath: join(out, `vvp-${ip}.log`) });
    const count = (file: string) => readFileSync(join(tb, file), 'utf8').trim().split('\n').length;
    return {
      lines: files.reduce((sum, f) => sum + count(f), 0),
      last: sim.output.trim().split('\n').at(-1)!,
    };
  }

  it('hold a testbench that passes in Icarus on its own', async () => {
    const { lines, last } = await runPackagedTestbench('mac_int4_u_acc16', ['stimulus.hex']);
    expect(last).toBe(`${lines} passed, 0 failed`);
  });

  it('hold a job testbench for a streaming core that passes in Icarus on its own', async () => {
    // Every y element and every job's status is one check.
    const { lines, last } = await runPackagedTestbench('gemv_nvfp4_fp16_p2s16', [
      'y.expected.hex',
      'jobs.hex',
    ]);
    expect(last).toBe(`${lines} passed, 0 failed`);
  });

  it('keep their README and results when verify or synth write the same RTL again', async () => {
    const target = resolveTarget('mul_int4_u_comb');
    const pkg = await buildPackage(target, out);
    recordResults(target, pkg.dir, {
      area: {
        ice40: { luts: 1234, ffs: 0, carries: 0, dsps: 0, rams: 0, engine: 'native', yosys: 'Yosys 9.9' },
      },
    });
    expect(writePackage(target, out).dir).toBe(pkg.dir);
    const readme = readFileSync(join(pkg.dir, 'README.md'), 'utf8');
    expect(readme).toContain('| 1234 | 0 | 0 | 0 | 0 | measured, Yosys 9.9 (native) |');
    expect(existsSync(join(pkg.dir, 'tb', 'tb.v'))).toBe(true);

    // Other parameters under the same IP name: the stale package is replaced, not reused.
    const wider = { ...resolveTarget('mul_int4_u_comb', { aWidth: 5 }), ip: 'mul_int4_u_comb' };
    writePackage(wider, out);
    expect(existsSync(join(pkg.dir, 'README.md'))).toBe(false);
    expect(readdirSync(join(pkg.dir, 'rtl'))).toEqual([`${wider.module.name}.v`]);
  });

  it('are still produced without nextpnr-ice40, with a note naming the Debian package', async () => {
    const path = process.env.PATH;
    const empty = scratch();
    process.env.PATH = empty; // no yosys (the WebAssembly build draws the schematic), no nextpnr
    try {
      const row = await buildIp(resolveTarget('mul_int4_u_comb'), { outDir: out, pnr: true });
      expect(row.notes['fmax ice40']).toBe(
        'Fmax not measured: nextpnr-ice40 is not installed (Debian package nextpnr-ice40: apt-get install nextpnr-ice40)',
      );
      const dir = join(out, 'mul_int4_u_comb');
      expect(existsSync(join(dir, 'doc', 'schematic.svg'))).toBe(true);
      expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(
        '- fmax ice40: Fmax not measured: nextpnr-ice40 is not installed (Debian package nextpnr-ice40',
      );
    } finally {
      process.env.PATH = path;
    }
  });

  it('leave the previous package in place when a step fails half-way', async () => {
    const dir = scratch();
    const good = resolveTarget('mul_int4_u_comb');
    await buildPackage(good, dir);
    const before = listFiles(join(dir, 'mul_int4_u_comb'));
    // Parameters that do not match the module: the vectors overflow its 4-bit ports, so writing the
    // testbench fails after the RTL is already in the staging folder.
    const broken = { ...good, params: { ...good.params, aWidth: 8, bWidth: 8 } };
    await expect(buildPackage(broken, dir)).rejects.toThrow(/\(port [ab], 4 bits\)/);
    expect(readdirSync(dir)).toEqual(['mul_int4_u_comb']);
    expect(listFiles(join(dir, 'mul_int4_u_comb'))).toEqual(before);
  });
});
