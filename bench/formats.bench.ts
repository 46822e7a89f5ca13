import { fileURLToPath } from 'node:url';
import {
  decode,
  decodeNumber,
  encode,
  encodeNumber,
  formatBits,
  formatByName,
  fromNumber,
  type ExactValue,
  type Format,
} from '../generators/formats/index.ts';

const SMALL_FORMATS = [
  'fp16',
  'bf16',
  'e4m3fn',
  'e5m2',
  'e4m3fnuz',
  'e3m2fn',
  'e2m1fn',
  'e8m0fnu',
  'int8',
  'int4',
  'nf4',
  'razer_ocp_sv1',
];
const SAMPLES = 4096;

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Operations per second of fn over the inputs, best of 3 runs of ~150 ms. */
function rate<T>(inputs: readonly T[], fn: (x: T) => unknown): number {
  let best = 0;
  let sink = 0;
  for (let run = 0; run < 3; run++) {
    let ops = 0;
    const started = performance.now();
    let elapsed = 0;
    while (elapsed < 150) {
      for (const x of inputs) if (fn(x) !== undefined) sink++;
      ops += inputs.length;
      elapsed = performance.now() - started;
    }
    best = Math.max(best, ops / (elapsed / 1000));
  }
  if (sink < 0) console.log(sink); // keeps the calls observable
  return best;
}

/** Random codes, and doubles spread over the format's values (between neighbours, so most round). */
function samples(format: Format): { codes: number[]; doubles: number[]; exact: ExactValue[] } {
  const next = random(formatBits(format));
  const codes = Array.from({ length: SAMPLES }, () => Math.floor(next() * 2 ** formatBits(format)));
  const doubles = codes
    .map((c) => decodeNumber(format, c) * (1 + (next() - 0.5) / 8))
    .map((x) => (Number.isFinite(x) ? x : 1.5));
  return { codes, doubles, exact: doubles.map(fromNumber) };
}

const figure = (n: number) => Math.round(n).toLocaleString('en-US').padStart(12);

/** Codec throughput per format: fast (double) and exact (BigInt) decode and encode. Prints, asserts nothing. */
export async function benchFormats(): Promise<void> {
  console.log(
    'formats: operations per second (best of 3); targets for <= 16 bits: 5,000,000 decodes/s, 1,000,000 encodes/s',
  );
  console.log(
    `formats: ${'format'.padEnd(14)} ${'decodeNumber'.padStart(12)} ${'decode'.padStart(12)} ${'encodeNumber'.padStart(12)} ${'encode'.padStart(12)}`,
  );
  for (const name of [...SMALL_FORMATS, 'fp32']) {
    const format = formatByName(name);
    const { codes, doubles, exact } = samples(format);
    const policy = { rounding: 'rne' } as const;
    encode(format, exact[0]!, policy); // resolve the policy and build tables outside the timing
    const figures = [
      rate(codes, (c) => decodeNumber(format, c)),
      rate(codes, (c) => decode(format, c)),
      rate(doubles, (x) => encodeNumber(format, x, policy)),
      rate(exact, (v) => encode(format, v, policy)),
    ];
    console.log(`formats: ${name.padEnd(14)} ${figures.map(figure).join(' ')}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchFormats();
