// `npm run bench`: every benchmark in turn. They print figures and assert nothing.
import { benchFormats } from './formats.bench.ts';
import { benchHls } from './hls.bench.ts';
import { benchIr } from './ir.bench.ts';
import { benchSimulators } from './sim.bench.ts';

const benches: [string, () => Promise<void>][] = [
  ['IR elaborate and emit', benchIr],
  ['simulators and synthesis', benchSimulators],
  ['HLS C-simulation', benchHls],
  ['number-format codecs', benchFormats],
];

for (const [name, run] of benches) {
  console.log(`\n== ${name}`);
  await run();
}
