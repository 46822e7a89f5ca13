import { renderTemplate } from '../../generators/emit/templates.ts';
import { BITSMITH_VERSION } from '../../generators/emit/version.ts';
import type { Target } from '../target.ts';
import { clockEstimate } from './clock-estimate.ts';
import { BASELINE_TARGETS, readBaselines, type Baselines, type FmaxBaselineTarget } from './baselines.ts';
import { coreVlnv } from './collateral.ts';
import { portRows, timingText } from './ports.ts';
import { AREA_RESOURCES, type IpResults } from './results.ts';
import type { PackagedTestbench } from './testbench-files.ts';
import { FMAX_DEVICES, FMAX_TARGETS } from '../pnr/devices.ts';
import { recordedScores } from '../../testbenches/mutation/record.ts';

/** What a package holds besides its RTL, for the README's file table and links. */
export interface PackageContents {
  rtlFiles: string[];
  tb?: PackagedTestbench;
  hlsFiles: string[];
  waveform: boolean;
  schematic: boolean;
}

const TARGET_NOTES: Record<string, string> = {
  ice40: 'iCE40, `synth_ice40` (LUT4 + carry, no DSP)',
  'ice40-dsp': 'iCE40 UltraPlus, `synth_ice40 -dsp` (SB_MAC16 allowed)',
  ecp5: 'ECP5, `synth_ecp5` (LUT4 + CCU2C carry, MULT18X18D, DP16KD)',
  xc7: '7-series, `synth_xilinx -family xc7` (DSP48E1 allowed)',
  'xc7-nodsp': '7-series, `synth_xilinx -family xc7 -nodsp`',
  generic: 'Yosys generic gates, `synth`',
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The package README: everything an FPGA engineer needs to decide on and integrate the unit. */
export function renderReadme(
  target: Target,
  contents: PackageContents,
  results: IpResults,
  baselines: Baselines | undefined = readBaselines(),
): string {
  const m = target.module;
  const timing = timingText(m.timing);
  const baseline = baselines?.ips[target.ip];
  const baselineSource = baselines
    ? `baseline in ip/baselines.json (${baselines.yosys}, ${baselines.engine})`
    : '';

  // Area: measured figures first, the checked-in baseline for the catalog IPs otherwise.
  const areaTargets = [
    ...BASELINE_TARGETS,
    ...Object.keys(results.area ?? {}).filter((t) => !(BASELINE_TARGETS as readonly string[]).includes(t)),
  ];
  const area = areaTargets.flatMap((t) => {
    const measured = results.area?.[t as keyof typeof results.area];
    const base = baseline?.area[t as keyof typeof baseline.area];
    const figures = measured ?? base;
    if (figures === undefined) return [];
    return [
      {
        target: t,
        note: TARGET_NOTES[t] ?? t,
        values: AREA_RESOURCES.map((r) => String(figures[r])),
        source: measured ? `measured, ${measured.yosys} (${measured.engine})` : baselineSource,
      },
    ];
  });

  // Fmax per device: measured first, the checked-in baseline for the catalog IPs otherwise.
  const fmax = FMAX_TARGETS.flatMap((t) => {
    const device = FMAX_DEVICES[t];
    const f = results.fmax?.[t];
    if (f !== undefined) {
      return [
        `- **${f.mhz.toFixed(2)} MHz** on ${device.family} (${f.device}; ${device.pnr} ${f.nextpnr}, seed ${f.seed}, ${f.yosys}); ${f.logicCells} logic cells placed, wrapper included.`,
      ];
    }
    const mhz = baseline?.fmax?.[t as FmaxBaselineTarget];
    const setup = baselines?.fmax?.[t as FmaxBaselineTarget];
    if (mhz === undefined || setup === undefined) return [];
    return [
      `- **${mhz.toFixed(2)} MHz** on ${device.family} (${setup.device}; ${device.pnr} ${setup.nextpnr}, seed ${setup.seed}; ${baselineSource}).`,
    ];
  });

  const clock = clockEstimate(m, target.params);
  const estimate = {
    text: FMAX_TARGETS.flatMap((t) => {
      const mhz = clock.estimated[t as keyof typeof clock.estimated];
      return mhz === undefined ? [] : [`${mhz.toFixed(2)} MHz on ${FMAX_DEVICES[t].family}`];
    }).join(', '),
    requested: clock.requested
      ? `Built for fmax = ${clock.requested.fmax} MHz on ${clock.requested.target}: latency ${clock.requested.latency}, ${
          clock.requested.placement === 'model'
            ? 'with the registers where the delay model placed them'
            : "the fewest of the generator's stage cuts"
        } ${
          clock.requested.typicalMhz === undefined
            ? `estimated to reach it (${clock.requested.estimatedMhz.toFixed(2)} MHz).`
            : `whose typical Fmax reaches it: estimated ${clock.requested.estimatedMhz.toFixed(2)} MHz, below the request, and typically ${clock.requested.typicalMhz.toFixed(2)} MHz after place and route (check it with \`bitsmith synth --pnr\`).`
        }`
      : false,
  };

  const conformance = results.conformance;
  const notes = Object.entries(results.notes ?? {}).map(([part, why]) => ({ part, why: cell(why) }));
  const files = [
    ...contents.rtlFiles.map((f) => ({ path: f, what: 'Verilog-2005, one module per file' })),
    ...contents.hlsFiles.map((f) => ({
      path: f,
      what: f.endsWith('bitsmith_ap.h')
        ? 'portable arbitrary-precision types (use the vendor ap_int.h under an HLS tool)'
        : 'HLS C++ (Vitis style), the untimed function with the RTL latency as pragma',
    })),
    { path: `${target.ip}.f`, what: 'file list (paths relative to this folder)' },
    {
      path: `${target.ip}.core`,
      what: `FuseSoC CAPI2 core \`${coreVlnv(target.ip)}\`: targets default, sim, lint, synth`,
    },
    ...(contents.tb
      ? [
          { path: contents.tb.testbench, what: 'self-checking vector testbench (module bitsmith_tb)' },
          { path: contents.tb.icarusTop, what: 'Icarus clock wrapper (top bitsmith_tb_icarus)' },
          { path: contents.tb.verilatorMain, what: 'Verilator C++ harness' },
          ...(contents.tb.cocotb
            ? [
                {
                  path: 'tb/cocotb/',
                  what:
                    target.module.timing.kind === 'sequential'
                      ? 'cocotb 2.x bench on the same jobs, its streams driven by cocotbext-axi (random pauses, random backpressure on y): `SIM=icarus python run.py` (or `python -m pytest`, `make`; SIM=verilator needs Verilator 5.036 or later), no bitsmith needed'
                      : 'cocotb 2.x bench on the same vectors: `SIM=icarus python run.py` (or SIM=verilator; or `python -m pytest`, `make`), no bitsmith needed',
                },
              ]
            : []),
          ...contents.tb.data.map(({ path, what }) => ({ path, what })),
        ]
      : []),
    {
      path: 'vendor/vivado.tcl',
      what: 'Vivado non-project, out-of-context synthesis with utilization and timing reports',
    },
    { path: 'vendor/quartus.tcl', what: 'Quartus synthesis, fit and timing analysis with virtual pins' },
    { path: 'ip.json', what: 'parameters, ports and timing, machine-readable' },
    { path: 'results.json', what: 'the measured figures shown here' },
  ];

  return renderTemplate('ip/README.md.hbs', {
    ip: target.ip,
    version: BITSMITH_VERSION,
    description: target.description,
    generator: target.generator.name,
    generatorSummary: target.generator.summary,
    top: m.name,
    vlnv: coreVlnv(target.ip),
    params: Object.entries(target.params).map(([name, value]) => ({
      name,
      value: typeof value === 'string' ? value : JSON.stringify(value),
    })),
    ports: portRows(m).map((p) => ({ ...p, doc: cell(p.doc) })),
    timing,
    clocked: m.timing.kind === 'pipelined',
    waveform: contents.waveform,
    schematic: contents.schematic,
    area,
    areaNotMeasured: area.length === 0,
    fmax: fmax.length > 0 ? { text: fmax.join('\n') } : false,
    fmaxDevice: FMAX_DEVICES.ice40!.name,
    estimate,
    conformance: conformance
      ? {
          ...conformance,
          status: conformance.passed ? 'PASS' : 'FAIL',
          simulators: conformance.simulators.map((s) => ({ ...s, total: s.passed + s.failed })),
        }
      : false,
    mutation: conformance ? (recordedScores()[target.generator.name] ?? false) : false,
    tb: contents.tb ?? false,
    notes,
    files,
  });
}
