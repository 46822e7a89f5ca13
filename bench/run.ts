// `npm run bench`: every benchmark in turn. They print figures and assert nothing.
import { benchArea } from './area.bench.ts';
import { benchFmax } from './fmax.bench.ts';
import { benchFormats } from './formats.bench.ts';
import { benchGen } from './gen.bench.ts';
import { benchGemv } from './gemv.bench.ts';
import { benchHls } from './hls.bench.ts';
import { benchIr } from './ir.bench.ts';
import { benchMpgemm } from './mpgemm.bench.ts';
import { benchMutation } from './mutation.bench.ts';
import { benchQuantized } from './quantized.bench.ts';
import { benchSimulators } from './sim.bench.ts';
import { benchTiming } from './timing.bench.ts';

const benches: [string, () => Promise<void>][] = [
  ['IR elaborate and emit', benchIr],
  ['simulators and synthesis', benchSimulators],
  ['HLS C-simulation', benchHls],
  ['number-format codecs', benchFormats],
  ['GEMV kernels on iCE40 and ECP5 (Fmax, MAC/s)', benchGemv],
  ['gen: time and peak memory against RTL size', benchGen],
  ['timing: latency and Fmax of every catalog IP on iCE40 and ECP5', benchTiming],
  ['mutation: variants, killed, survived per generator', benchMutation],
  ['fmax: latency chosen for a requested clock, against place and route', benchFmax],
  ['area: LUTs against the targets of the units Yosys maps worst (xc7 -nodsp)', benchArea],
  ['quantized: both sides quantized, LUTs against the targets (quantize, mx_dot, W4A8 GEMV)', benchQuantized],
  [
    'mpgemm: multiplier-free GEMV against multiplying GEMV (LUTs, FFs, DSPs, BRAMs, MACs/cycle per 1,000 LUTs)',
    benchMpgemm,
  ],
];

// Words given on the command line pick the benchmarks whose name holds one of them; a word that names
// a benchmark before its colon ('fmax', 'timing', 'area') picks that one alone.
const only = process.argv.slice(2).map((word) => word.toLowerCase());
const picks = (name: string, word: string) =>
  benches.some(([n]) => n.toLowerCase().startsWith(`${word}:`))
    ? name.toLowerCase().startsWith(`${word}:`)
    : name.toLowerCase().includes(word);
for (const [name, run] of benches) {
  if (only.length > 0 && !only.some((word) => picks(name, word))) continue;
  console.log(`\n== ${name}`);
  await run();
}
