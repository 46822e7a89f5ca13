// GEMV conformance: random jobs (matrices, vectors, scales with special values, jobs with misplaced
// tlast and rejected sizes) turned into the beats of the core's streams, with the golden y.
import { classify, floatLayout, formatByName, type FloatFormat } from '../../generators/formats/index.ts';
import { floatFormat, outputPolicy } from '../../generators/float-params.ts';
import { gemvShape, metaLayout, type GemvParams } from '../../generators/gemv/gemv.ts';
import { GEMV_STATUS } from '../../generators/gemv/status.ts';
import { gemvGolden, type GemvJob, type GemvSpec } from '../golden/gemv.ts';
import type { Beat, SourceOrder, StreamBench } from '../sim/stream-run.ts';
import { codeNearExponent } from '../vectors/floats.ts';
import { Random } from '../vectors/random.ts';

type GemvStream = 'x' | 'w' | 's';

/** A job of the plan: its data, and how its streams or sizes are broken on purpose. */
export interface GemvCase {
  job: GemvJob;
  /** Run without stalls on any stream: the job's cycles measure throughput. */
  calm?: boolean;
  /** How the sources offer the streams (x is the lead): on their own, x first, or x late. */
  order?: SourceOrder;
  fault?:
    | { kind: 'bad-k' | 'bad-n' }
    | {
        kind: 'early-tlast' | 'missing-tlast';
        stream: GemvStream;
        beat: number;
        /** A second fault: an early tlast on another stream, on a beat of the same chunk. */
        also?: { stream: GemvStream; beat: number };
      };
}

const TLAST_STATUS = { x: GEMV_STATUS.xLast, w: GEMV_STATUS.wLast, s: GEMV_STATUS.sLast };

export function gemvSpec(p: GemvParams): GemvSpec {
  const { group, scale, specialValues, accumulation } = gemvShape(p);
  return {
    accumulation,
    alignBits: p.alignBits,
    weight: p.weight as GemvSpec['weight'],
    activation: p.activation,
    scale,
    group,
    outFormat: p.outFormat,
    policy: outputPolicy(p),
    specialValues,
  };
}

export interface JobOptions {
  k: number;
  n: number;
  /** Probability that an activation or a scale is a special value (zero, subnormal, Inf, NaN). */
  specials?: number;
}

/** A random job: activations mostly near 1 (with every exponent now and then), random weight codes. */
export function randomJob(p: GemvParams, rng: Random, options: JobOptions): GemvJob {
  const fa = floatFormat(p.activation);
  const { weight, group, scale } = gemvShape(p);
  const fs = formatByName(scale) as FloatFormat;
  const specials = options.specials ?? 0;
  const groups = Math.ceil(options.k / group);
  const activation = () =>
    specialOr(rng, fa, specials, () =>
      rng.chance(0.1) ? finiteCode(rng, fa) : codeNearExponent(rng, fa, 0, 4),
    );
  const scaleCode = () =>
    specialOr(rng, fs, specials, () =>
      fs.name === 'e8m0fnu' ? 127 + rng.below(21) - 10 : codeNearExponent(rng, fs, -4, 3),
    );
  return {
    k: options.k,
    n: options.n,
    x: Array.from({ length: options.k }, activation),
    w: Array.from({ length: options.n }, () =>
      Array.from({ length: options.k }, () => Number(rng.bits(weight.bits))),
    ),
    s: Array.from({ length: options.n }, () => Array.from({ length: groups }, scaleCode)),
    z: Array.from({ length: options.n }, () => Array.from({ length: groups }, () => rng.below(16))),
    sv: Array.from({ length: options.n }, () => Array.from({ length: groups }, () => rng.below(4))),
  };
}

/** A uniformly random finite code: every exponent of the format. */
function finiteCode(rng: Random, f: FloatFormat): number {
  for (;;) {
    const code = Number(rng.bits(floatLayout(f).bits));
    const kind = classify(f, code);
    if (kind !== 'nan' && kind !== 'inf') return code;
  }
}

/**
 * With probability p a zero or a subnormal (and with probability p/16 an infinity or a NaN, where the
 * format has them), else make().
 */
function specialOr(rng: Random, f: FloatFormat, p: number, make: () => number): number {
  const layout = floatLayout(f);
  const pick = (codes: (number | undefined)[]) => {
    const valid = codes.filter((c): c is number => c !== undefined && c >= 0 && classify(f, c) !== undefined);
    return valid.length === 0 ? make() : valid[rng.below(valid.length)]!;
  };
  if (rng.chance(p / 16)) return pick([layout.infCode, layout.canonicalNaNCode]);
  if (rng.chance(p))
    return pick([0, layout.signWeight, f.subnormals ? 1 + rng.below(layout.hidden - 1) : undefined]);
  return make();
}

/** The beats of every stream and the expected y for a list of jobs, in order. */
export function gemvBench(
  p: GemvParams,
  cases: GemvCase[],
): Pick<StreamBench, 'jobs' | 'streams' | 'y' | 'kBits' | 'nBits' | 'yWidth'> {
  const spec = gemvSpec(p);
  const P = p.rows;
  const S = p.lanes;
  const { weight, group } = gemvShape(p);
  const meta = metaLayout(p);
  const ab = floatLayout(floatFormat(p.activation)).bits;
  const x: Beat[] = [];
  const w: Beat[] = [];
  const s: Beat[] = [];
  const y: Beat[] = [];
  const jobs: StreamBench['jobs'] = [];
  const slotOf = (lane: number) => (p.packing === 'awq' ? awqSlot(lane) : lane);
  for (const c of cases) {
    const { job, fault } = c;
    if (fault?.kind === 'bad-k' || fault?.kind === 'bad-n') {
      jobs.push({
        k: job.k,
        n: job.n,
        status: 8 | (fault.kind === 'bad-k' ? GEMV_STATUS.badK : GEMV_STATUS.badN),
        prompt: true,
      });
      continue;
    }
    const chunks = Math.ceil(job.k / S);
    const blocks = Math.ceil(job.n / P);
    const groupChunks = group / S;
    const jx: Beat[] = [];
    for (let ch = 0; ch < chunks; ch++) {
      let data = 0n;
      for (let i = 0; i < S; i++) data |= BigInt(job.x[ch * S + i] ?? 0) << BigInt(i * ab);
      jx.push({ data, last: ch === chunks - 1 });
    }
    const jw: Beat[] = [];
    const js: Beat[] = [];
    const wBlockOf: number[] = [];
    const sBlockOf: number[] = [];
    for (let b = 0; b < blocks; b++) {
      for (let ch = 0; ch < chunks; ch++) {
        if (ch % groupChunks === 0) {
          let data = 0n;
          const g = (ch * S) / group;
          for (let r = 0; r < P; r++) {
            const row = b * P + r;
            if (row >= job.n) continue;
            const entry =
              BigInt(job.s[row]![g]!) |
              (BigInt(weight.zeroPoint ? job.z[row]![g]! : 0) << BigInt(meta.scaleBits)) |
              (BigInt(meta.svBits ? job.sv[row]![g]! : 0) << BigInt(meta.scaleBits + meta.zeroBits));
            data |= entry << BigInt(r * meta.bits);
          }
          js.push({ data, last: b === blocks - 1 && ch + groupChunks >= chunks });
          sBlockOf.push(b);
        }
        let data = 0n;
        for (let r = 0; r < P; r++) {
          const row = b * P + r;
          if (row >= job.n) continue;
          for (let lane = 0; lane < S; lane++) {
            const k = ch * S + lane;
            if (k >= job.k) continue;
            data |= BigInt(job.w[row]![k]!) << BigInt((r * S + slotOf(lane)) * weight.bits);
          }
        }
        jw.push({ data, last: b === blocks - 1 && ch === chunks - 1 });
        wBlockOf.push(b);
      }
    }
    let completeBlocks = blocks;
    let status = 0;
    if (fault !== undefined && 'stream' in fault) {
      // Faults found on the same chunk: the lowest status wins (x, then w, then s).
      const breaks = [fault, ...(fault.also ? [{ ...fault.also, kind: 'early-tlast' as const }] : [])];
      completeBlocks = Infinity;
      status = 8 | 7;
      for (const b of breaks) {
        const stream = { x: jx, w: jw, s: js }[b.stream];
        const blockOf = { x: jx.map(() => 0), w: wBlockOf, s: sBlockOf }[b.stream];
        const beat = Math.min(b.beat, stream.length - 1);
        if (b.kind === 'early-tlast') {
          if (beat === stream.length - 1) throw new Error('early-tlast needs a beat before the last');
          stream.splice(beat + 1);
          stream[beat] = { ...stream[beat]!, last: true };
        } else {
          stream[stream.length - 1] = { ...stream[stream.length - 1]!, last: false };
          stream.push({ data: 0n, last: true });
        }
        completeBlocks = Math.min(completeBlocks, blockOf[beat]!);
        status = Math.min(status, 8 | TLAST_STATUS[b.stream]);
      }
    }
    x.push(...jx);
    w.push(...jw);
    s.push(...js);
    const results = gemvGolden(spec, job);
    const rows = fault === undefined ? job.n : Math.min(job.n, completeBlocks * P);
    for (let r = 0; r < rows; r++)
      y.push({ data: BigInt(results[r]!), last: fault === undefined && r === job.n - 1 });
    jobs.push({
      k: job.k,
      n: job.n,
      status,
      ...(c.calm ? { calm: true } : {}),
      ...(c.order ? { order: c.order } : {}),
    });
  }
  return {
    jobs,
    streams: [
      { name: 'x', width: S * ab, beats: x },
      { name: 'w', width: P * S * weight.bits, beats: w },
      { name: 's', width: P * meta.bits, beats: s },
    ],
    y,
    kBits: Math.ceil(Math.log2(p.maxK + 1)) + 1,
    nBits: Math.ceil(Math.log2(p.maxN + 1)) + 1,
    yWidth: floatLayout(floatFormat(p.outFormat)).bits,
  };
}

/** AutoAWQ packs logical element j of each 8 into nibble REVERSE[j] (0x75316420 holds 0..7). */
function awqSlot(lane: number): number {
  const REVERSE = [0, 4, 1, 5, 2, 6, 3, 7];
  return Math.floor(lane / 8) * 8 + REVERSE[lane % 8]!;
}

/**
 * The plan's jobs: sizes from K = 64 to 4096 and N = 1 to 256 (K not a multiple of S·P, a partial last
 * group, N not a multiple of P), special activations and scales, all of x sent before any weight or
 * held back behind them, two stall-free jobs with K ≥ 1024 for utilization, sizes the core must
 * reject, a misplaced or missing tlast on each stream (in the first block, a later block and a
 * single-block job), and two faults on one chunk. 'quick' keeps every kind of job with smaller sizes.
 */
export function gemvCases(p: GemvParams, seed: number, size: 'default' | 'quick' = 'default'): GemvCase[] {
  const rng = new Random(seed);
  const fit = (k: number, n: number) => ({ k: Math.min(k, p.maxK), n: Math.min(n, p.maxN) });
  const job = (k: number, n: number, specials = 0) => randomJob(p, rng, { ...fit(k, n), specials });
  const quick = size === 'quick';
  const { group } = gemvShape(p);
  const sized: GemvCase[] = quick
    ? [
        { job: job(64, 1) },
        { job: job(group + 3 * p.lanes + 1, 2 * p.rows + 1), order: 'lead-first' },
        { job: job(200, 7, 0.05) },
        { job: job(group + p.lanes + 1, p.rows + 1), order: 'lead-late' },
      ]
    : [
        { job: job(64, 1) },
        { job: job(1000, 13), order: 'lead-first' },
        { job: job(4096, 9) },
        { job: job(64, 256), order: 'lead-late' },
        { job: job(2 * group + 1, 3 * p.rows - 1, 0.05), order: 'lead-first' },
        { job: job(777, 50, 0.02) },
      ];
  const calm: GemvCase[] = quick
    ? [{ job: job(1024, 8 * p.rows), calm: true }]
    : [
        { job: job(1024, 8 * p.rows), calm: true },
        { job: job(4096, 4 * p.rows), calm: true },
      ];
  // Fault jobs: two groups per block, three blocks (or one).
  const faultJob = (blocks: number) => job(group + 2 * p.lanes + 3, blocks === 1 ? p.rows : 2 * p.rows + 1);
  const chunks = Math.ceil(Math.min(group + 2 * p.lanes + 3, p.maxK) / p.lanes);
  const groupChunks = group / p.lanes;
  const faulty = (stream: GemvStream, kind: 'early-tlast' | 'missing-tlast'): GemvCase => {
    // An early tlast in the second block where the stream has one (x has a single block).
    const beat = { x: chunks - 2, w: chunks + 1, s: Math.ceil(chunks / groupChunks) }[stream];
    return {
      job: faultJob(3),
      fault: kind === 'early-tlast' ? { kind, stream, beat } : { kind, stream, beat: 1 << 30 },
    };
  };
  const early = (blocks: number, stream: GemvStream, beat: number, also?: GemvCase['fault']): GemvCase => ({
    job: faultJob(blocks),
    fault: { kind: 'early-tlast', stream, beat, ...(also && 'stream' in also ? { also } : {}) },
  });
  const firstBlockFaults: GemvCase[] = [
    early(3, 'w', 1),
    early(3, 's', 0),
    // A single-block job: the early tlast is also the job's only block.
    early(1, 'w', chunks - 2),
    early(1, 's', 0),
  ];
  const doubleFaults: GemvCase[] = [
    // w and s on the first chunk of the second block's second group: w wins.
    early(3, 'w', chunks + groupChunks, {
      kind: 'early-tlast',
      stream: 's',
      beat: Math.ceil(chunks / groupChunks) + 1,
    }),
    // x and w on the first block's second chunk: x wins.
    early(3, 'x', 1, { kind: 'early-tlast', stream: 'w', beat: 1 }),
  ];
  const rejected: GemvCase[] = [
    { job: job(0, 1), fault: { kind: 'bad-k' } },
    { job: { ...job(8, 1), k: p.maxK + 1 }, fault: { kind: 'bad-k' } },
    { job: { ...job(8, 1), n: 0 }, fault: { kind: 'bad-n' } },
    { job: { ...job(8, 1), n: p.maxN + 1 }, fault: { kind: 'bad-n' } },
  ];
  const faults = [
    ...(['x', 'w', 's'] as const).flatMap((stream) => [
      faulty(stream, 'early-tlast'),
      faulty(stream, 'missing-tlast'),
    ]),
    ...firstBlockFaults,
    ...doubleFaults,
    { ...faulty('w', 'early-tlast'), order: 'lead-first' as const },
  ];
  // A good job after every fault shows the core back in order.
  return [
    ...sized,
    ...rejected.slice(0, 2),
    ...faults.flatMap((f) => [f, { job: job(100, p.rows) }]),
    ...rejected.slice(2),
    ...calm,
  ];
}

/** Utilization of stall-free jobs: useful MACs over P·S per cycle from start to done. */
export function gemvUtilization(p: GemvParams, cases: GemvCase[], jobCycles: number[]): number[] {
  return cases.flatMap((c, i) =>
    c.calm && jobCycles[i] !== undefined ? [(c.job.k * c.job.n) / (p.rows * p.lanes * jobCycles[i]!)] : [],
  );
}
