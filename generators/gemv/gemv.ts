import { z } from 'zod';
import { unsignedBits } from '../arith/widths.ts';
import { floatLayout, resolvePolicy } from '../formats/index.ts';
import {
  checkOutputPolicy,
  floatFormat,
  outputPolicy,
  policyTag,
  resolvedOutputPolicy,
  roundingParams,
} from '../float-params.ts';
import { defineGenerator } from '../define.ts';
import { choiceParam, intParam } from '../generator.ts';
import { isControlPort, type Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import type { Signal } from '../hdl/signal.ts';
import { MAX_WIDTH, UInt } from '../hdl/types.ts';
import { specialValuesParam } from '../special-values-param.ts';
import {
  CHUNK_CUTS,
  chunkModule,
  chunkModuleName,
  chunkTerms,
  chunkWidths,
  type ChunkShape,
} from './chunk.ts';
import {
  CONVERT_CUTS,
  SCALE_CUTS,
  SUM_CUTS,
  closeKernels,
  type CloseKernels,
  type CloseLatency,
} from './close.ts';
import { numberTag } from '../naming.ts';
import { gemvHlsDesign } from './hls.ts';
import { coreAccumulate } from './core-accumulate.ts';
import { coreClose } from './core-close.ts';
import { coreControl } from './core-control.ts';
import { coreIssue } from './core-issue.ts';
import { coreLayout } from './core-layout.ts';
import { coreOutput } from './core-output.ts';
import {
  ACTIVATION_SCALES,
  ACTIVATION_SCALE_FORMATS,
  GEMV_ACTIVATIONS,
  INTEGER_ACTIVATIONS,
  isIntegerActivation,
  MIXED_ACTIVATION,
  NIBBLE_ACTIVATION,
  type ActivationScale,
} from './activation.ts';
import { nibblesModule } from './nibbles.ts';
import type { LutProducts } from './lut-products.ts';
import {
  GEMV_WEIGHTS,
  GEMV_WEIGHT_FORMATS,
  RAZER_SPECIAL_VALUES,
  SPECIAL_VALUE_WEIGHTS,
  type GemvWeightName,
} from '../formats/gemv-weights.ts';

/** The scale formats `gemv` takes for its weights. */
export const GEMV_SCALES = ['fp16', 'bf16', 'fp32', 'e4m3fn', 'e8m0fnu'] as const;
const isPowerOfTwo = (n: number) => Number.isInteger(Math.log2(n));
const DEFAULT_ALIGN_BITS = 24;

/** The fields of gemv's parameters; lut_gemv takes them too (generators/mpgemm/lut-gemv.ts). */
export const gemvFields = {
  weight: choiceParam(GEMV_WEIGHTS)
    .default('uint4')
    .describe(
      'weight format (uint4 has a zero point per group; mxfp4 and nvfp4 fix group and scale; razer and bitmod carry a 2-bit index per group; int6, e3m2fn and e2m3fn come in 2 + 4 bit planes)',
    ),
  activation: choiceParam(GEMV_ACTIVATIONS)
    .default('fp16')
    .describe(
      "Activations; exact group sums hold any fp16 or e4m3fn value as an integer, bf16 needs 'aligned'; int8 and int4 are two's complement codes with a scale of their own (activationScale); int4_int8 (COMET) holds 8-bit codes and makes each group int4 or int8 by a flag on its first x beat, an int8 group taking two int4 passes.",
    ),
  activationScale: choiceParam(ACTIVATION_SCALES)
    .optional()
    .describe(
      "Integer activations: one scale per job on x_scale, taken with start ('token', the default), or one per group on each x beat ('group': the group of the weights).",
    ),
  activationScaleFormat: choiceParam(ACTIVATION_SCALE_FORMATS)
    .optional()
    .describe('Integer activations: the format of their scale. Default fp16.'),
  accumulation: choiceParam(['exact', 'aligned'])
    .optional()
    .describe(
      "Group sums: 'exact' (default for fp16 and e4m3fn), or 'aligned' (default for bf16): the group's activations on the grid of its largest exponent with alignBits bits, truncated (groups of one chunk).",
    ),
  alignBits: intParam(2, 64)
    .default(DEFAULT_ALIGN_BITS)
    .describe(
      "Aligned accumulation: the grid's bits, from 2^E down, E the group's largest activation exponent.",
    ),
  rows: intParam(1, 64).default(4).describe('Output lanes P: rows computed in parallel.'),
  lanes: intParam(1, 64)
    .default(8)
    .describe('Elements per cycle S (a power of two): each row multiplies S weights per cycle.'),
  maxK: intParam(1, 1 << 20)
    .default(4096)
    .describe('largest K a job may ask for; the x buffer holds ⌈maxK/lanes⌉ words'),
  maxN: intParam(1, 1 << 20)
    .default(4096)
    .describe('largest N (rows of W) a job may ask for'),
  group: intParam(1, 1 << 20)
    .optional()
    .describe(
      'Elements per scale along K; a multiple of lanes. Default: the block size (MX 32, NVFP4 16), else 128.',
    ),
  scale: choiceParam(GEMV_SCALES)
    .optional()
    .describe('Scale format; block formats fix theirs. Default fp16.'),
  specialValues: specialValuesParam()
    .optional()
    .describe('RaZeR: the value of each 2-bit sv index, in E2M1 units (multiples of 0.5).'),
  closeUnits: intParam(1, 64)
    .optional()
    .describe(
      'Group-close units (scale product, fp32 addition, output conversion), each serving rows/closeUnits rows in turn; at least rows ÷ (group ÷ lanes) so that a close ends within its group. Default: that least.',
    ),
  interleave: intParam(1, 16)
    .default(1)
    .describe(
      "Blocks of rows in flight: the chunk issue visits each of a set of this many blocks in turn, so a row's next group comes this many cycles later and the row sum's loop may take as many stages (groups of one chunk only). 1 walks one block at a time.",
    ),
  chunkLatency: intParam(0, CHUNK_CUTS.length)
    .default(0)
    .describe(
      'Pipeline stages inside the chunk kernel (the exact dot products), cut after the products, the decoding, half-way down the adder trees.',
    ),
  scaleLatency: intParam(0, SCALE_CUTS.length)
    .default(0)
    .describe(
      "Pipeline stages inside the group close's scale product s·D, cut before, inside, after the multiplier.",
    ),
  sumLatency: intParam(0, SUM_CUTS.length)
    .optional()
    .describe(
      "Pipeline stages inside the row's fp32 sum (the loop: a row's next group enters sumLatency + 1 cycles after the last); a unit starts a close every max(rows per unit, sumLatency + 1) cycles. Default: 1 when a unit serves two rows or more, else interleave − 1.",
    ),
  convertLatency: intParam(0, CONVERT_CUTS.length)
    .default(0)
    .describe('Pipeline stages inside the output conversion (outFormat other than fp32).'),
  multipliers: choiceParam(['auto', 'dsp', 'luts'])
    .default('auto')
    .describe(
      "The chunk's products: 'dsp' multipliers, 'luts' shifts and adds (one gated copy of the activation per weight bit), 'auto' LUTs for weights of at most 4 magnitude bits when the multipliers would take more than 128 DSP blocks.",
    ),
  packing: choiceParam(['sequential', 'awq'])
    .default('sequential')
    .describe(
      "Order of the codes in the weight beat: sequential, or AutoAWQ's interleave in each 32-bit word.",
    ),
  outFormat: choiceParam(['fp32', 'fp16', 'bf16'])
    .default('fp32')
    .describe('format of y: the fp32 row sums, converted with the rounding policy'),
  ...roundingParams,
};

/** The checks across gemv's parameters, for gemv and for the cores built on it. */
export function checkGemvParams(p: z.output<z.ZodObject<typeof gemvFields>>, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const weight = GEMV_WEIGHT_FORMATS[p.weight];
  checkOutputPolicy(p, ctx);
  const accumulation = p.accumulation ?? (p.activation === 'bf16' ? 'aligned' : 'exact');
  const integer = isIntegerActivation(p.activation);
  if (integer && accumulation !== 'exact')
    issue(
      'accumulation',
      `${p.activation} activations are integers: their group sums are exact; use 'exact'`,
    );
  for (const [name, value] of [
    ['activationScale', p.activationScale],
    ['activationScaleFormat', p.activationScaleFormat],
  ] as const)
    if (!integer && value !== undefined)
      issue(
        name,
        `applies to integer activations (${INTEGER_ACTIVATIONS.join(', ')}) only; ${p.activation} activations carry their own exponent`,
      );
  if (p.activation === 'bf16' && accumulation === 'exact')
    issue(
      'accumulation',
      "bf16 activations span 2^-133..2^128: an exact group sum would need a 270-bit accumulator; use 'aligned'",
    );
  if (accumulation === 'aligned' && (p.group ?? weight.block?.group ?? 128) !== p.lanes)
    issue('accumulation', `'aligned' aligns one chunk at a time: it needs group = lanes (${p.lanes})`);
  const sigBits = integer ? 0 : floatFormat(p.activation).mantBits + 1;
  if (accumulation === 'aligned' && !integer && p.alignBits < sigBits)
    issue('alignBits', `must hold a ${p.activation} significand: at least ${sigBits}`);
  if (accumulation === 'exact' && p.alignBits !== DEFAULT_ALIGN_BITS)
    issue('alignBits', "applies to 'aligned' accumulation only; an exact group sum keeps every bit");
  const beatBits = p.rows * p.lanes * weight.bits;
  if (beatBits > MAX_WIDTH)
    issue(
      'lanes',
      `rows (${p.rows}) × lanes (${p.lanes}) × ${weight.bits}-bit ${p.weight} codes make a ${beatBits}-bit weight beat; ` +
        `a port holds at most ${MAX_WIDTH} bits: use fewer rows or lanes`,
    );
  if (!isPowerOfTwo(p.lanes)) issue('lanes', 'must be a power of two (1, 2, 4, … 64)');
  const group = p.group ?? weight.block?.group ?? 128;
  if (weight.block !== undefined && group !== weight.block.group)
    issue(
      'group',
      `${p.weight} blocks hold ${weight.block.group} elements; leave group unset or use ${weight.block.group}`,
    );
  if (group % p.lanes !== 0) issue('group', `must be a multiple of lanes (${p.lanes})`);
  if (weight.block !== undefined && p.scale !== undefined && p.scale !== weight.block.scale)
    issue(
      'scale',
      `${p.weight} has ${weight.block.scale} scales; leave scale unset or use ${weight.block.scale}`,
    );
  if (p.specialValues !== undefined && !weight.selector?.specialValues)
    issue(
      'specialValues',
      `only ${SPECIAL_VALUE_WEIGHTS.join(', ')} weights take special values; ${p.weight} has none`,
    );
  if (p.rows > p.maxN) issue('rows', `must be at most maxN (${p.maxN})`);
  if (p.activation === MIXED_ACTIVATION && p.interleave > 1)
    issue(
      'interleave',
      `${MIXED_ACTIVATION} activations hold the issue for an int8 group's second pass, which moves the visits of interleaved blocks: use 1`,
    );
  if (p.interleave > 1 && group !== p.lanes)
    issue(
      'interleave',
      `interleaves blocks whose groups are one chunk (group = lanes = ${p.lanes}); with ${group / p.lanes} chunks per group ` +
        'the close already has that many cycles: use sumLatency up to it instead',
    );
  if (p.maxK < p.lanes)
    issue('maxK', `must be at least lanes (${p.lanes}): one x beat carries ${p.lanes} elements`);
  const fewest = Math.ceil(p.rows / Math.max(1, Math.floor(group / p.lanes)));
  if (p.closeUnits !== undefined && (p.closeUnits < fewest || p.closeUnits > p.rows))
    issue('closeUnits', `must be from ${fewest} (rows ÷ chunks per group, rounded up) to rows (${p.rows})`);
  if (p.packing === 'awq' && (weight.bits !== 4 || p.lanes % 8 !== 0))
    issue(
      'packing',
      'awq interleaves 4-bit codes in 32-bit words: it needs 4-bit weights and lanes a multiple of 8',
    );
}

export const gemvParams = z.object(gemvFields).superRefine(checkGemvParams);

/**
 * A core's parameters; `lut` is set by lut_gemv (generators/mpgemm/lut-gemv.ts), whose chunk looks
 * its products up in tables of activation sums instead of multiplying.
 */
export type GemvParams = z.output<typeof gemvParams> & {
  lut?: LutProducts;
  /** Set by bitserial_gemv (generators/mpgemm/bitserial-gemv.ts): one term of every weight per cycle. */
  terms?: boolean;
  /** Set by bitserial_gemv: the group's scale product one significand bit per cycle (close.ts). */
  serialScale?: boolean;
  origin?: ModuleOrigin;
};

/** The generator and parameters a core's files name: gemv's own, or those of a core built on it. */
export interface ModuleOrigin {
  generator: string;
  params: Readonly<Record<string, unknown>>;
}

export function gemvOrigin(p: GemvParams): ModuleOrigin {
  return p.origin ?? { generator: 'gemv', params: p };
}

/** Parameters with the format-dependent defaults filled in. */
export function gemvShape(p: GemvParams) {
  const weight = GEMV_WEIGHT_FORMATS[p.weight as GemvWeightName];
  return {
    weight,
    group: p.group ?? weight.block?.group ?? 128,
    scale: p.scale ?? weight.block?.scale ?? 'fp16',
    specialValues: p.specialValues ?? RAZER_SPECIAL_VALUES,
    accumulation: (p.accumulation ?? (p.activation === 'bf16' ? 'aligned' : 'exact')) as 'exact' | 'aligned',
    activationScale: activationScaleOf(p),
  };
}

/** Integer activations' scale: per token (x_scale) or per group (on the x beat), and its format. */
function activationScaleOf(p: GemvParams): ActivationScale | undefined {
  if (!isIntegerActivation(p.activation)) return undefined;
  return { kind: p.activationScale ?? 'token', format: p.activationScaleFormat ?? 'fp16' };
}

/** The name tag of an activation scale: _at (per token) or _ag (per group), then its format. */
function activationScaleTag(p: GemvParams): string {
  const scale = activationScaleOf(p);
  return scale === undefined ? '' : `_a${scale.kind === 'token' ? 't' : 'g'}${scale.format}`;
}

/** Cycles a chunk spends in the chunk kernel: a bit-serial table core's planes, a term core's terms. */
export function chunkPasses(p: GemvParams): number {
  if (p.lut?.serial) return gemvShape(p).weight.bits;
  if (p.terms)
    return chunkTerms({ weight: p.weight as GemvWeightName, specialValues: gemvShape(p).specialValues })
      .count;
  return 1;
}

/** Close units: as given, else the fewest whose rows each close within one group's chunks. */
export function closeUnits(p: GemvParams): number {
  const { group } = gemvShape(p);
  return p.closeUnits ?? Math.ceil(p.rows / (group / p.lanes));
}

/** Close steps per unit (rows each close unit serves in turn). */
export function closeSteps(p: GemvParams): number {
  return Math.ceil(p.rows / closeUnits(p));
}

/** Pipeline stages of each kernel, with the row sum's default filled in. */
export function gemvLatency(p: GemvParams): CloseLatency & { chunk: number } {
  return {
    chunk: p.chunkLatency,
    scale: p.scaleLatency,
    sum: p.sumLatency ?? defaultSumLatency(p),
    convert: p.convertLatency,
  };
}

function defaultSumLatency(p: GemvParams): number {
  return closeSteps(p) >= 2 ? 1 : p.interleave - 1;
}

/** Bits of one row's entry in a scale beat: scale code, then zero point, then group selector (sv, dtype). */
export function metaLayout(p: GemvParams) {
  const { weight, scale } = gemvShape(p);
  const scaleBits = floatLayout(floatFormat(scale)).bits;
  const zeroBits = weight.zeroPoint ? weight.bits : 0;
  const svBits = weight.selector?.bits ?? 0;
  return { scaleBits, zeroBits, svBits, bits: scaleBits + zeroBits + svBits };
}

export function gemvModuleName(p: GemvParams): string {
  const { weight, group, scale, specialValues } = gemvShape(p);
  const sv =
    weight.selector?.specialValues && p.specialValues !== undefined
      ? `_sv${specialValues.map(numberTag).join('_')}`
      : '';
  const awq = p.packing === 'awq' ? '_awq' : '';
  const products = p.multipliers === 'auto' ? '' : `_${p.multipliers}`;
  const aligned = gemvShape(p).accumulation === 'aligned' ? `_al${p.alignBits}` : '';
  const units = closeUnits(p);
  const shared = units < p.rows ? `_cu${units}` : '';
  const lat = gemvLatency(p);
  const defaultSum = defaultSumLatency(p);
  const timing =
    (p.serialScale ? '_ss' : '') +
    (p.interleave > 1 ? `_i${p.interleave}` : '') +
    (lat.chunk > 0 ? `_lc${lat.chunk}` : '') +
    (lat.scale > 0 ? `_ls${lat.scale}` : '') +
    (lat.sum !== defaultSum ? `_la${lat.sum}` : '') +
    (lat.convert > 0 && p.outFormat !== 'fp32' ? `_lo${lat.convert}` : '');
  const prefix = p.lut
    ? `lut_gemv_g${p.lut.inputs}${p.lut.mirror ? 'm' : ''}${p.lut.tableFormat === 'int8' ? '_t8' : ''}${p.lut.serial ? '_serial' : ''}`
    : p.terms
      ? 'bitserial_gemv'
      : 'gemv';
  return `${prefix}_${p.weight}${sv}_${p.activation}${activationScaleTag(p)}_${scale}_g${group}_p${p.rows}_s${p.lanes}_k${p.maxK}_n${p.maxN}_${p.outFormat}${policyTag(p)}${aligned}${shared}${awq}${products}${timing}`;
}

/**
 * Streaming GEMV y = W·x with fused dequantization (docs/w4a16.md#restructured-gemv): P rows × S elements per cycle, exact
 * per group, one fp32 rounding per group. The activation vector streams in once (during the first
 * block of rows, which computes on it directly) into a block RAM the later blocks read.
 */
export const gemv = defineGenerator({
  name: 'gemv',
  family: 'gemv',
  summary:
    'Streaming GEMV with fused dequantization: P rows × S elements per cycle, exact per group, fp32 across groups',
  params: gemvParams,
  build(p) {
    return buildGemv(p);
  },
  hls(p) {
    return gemvHlsDesign(p);
  },
});

/**
 * The top module and its kernels (the HLS loop calls `chunkCall`, the chunk kernel combinational, and
 * the chained close).
 */
export function gemvParts(
  p: GemvParams,
): { top: Module; chunk: Module; chunkCall: Module; nibbles?: Module } & CloseKernels {
  return { top: buildGemv(p), ...gemvKernels(p) };
}

// A package builds the core and then its HLS form from the same parameters: both reuse one
// elaboration (a 16×32 chunk kernel alone is 400,000 IR nodes). Modules are never changed once built.
const builtCores = new WeakMap<GemvParams, Module>();
const builtKernels = new WeakMap<GemvParams, ReturnType<typeof elaborateKernels>>();

/** The chunk kernel and the group-close kernels of a core. */
export function gemvKernels(p: GemvParams): ReturnType<typeof elaborateKernels> {
  if (!builtKernels.has(p)) builtKernels.set(p, elaborateKernels(p));
  return builtKernels.get(p)!;
}

function elaborateKernels(p: GemvParams): {
  chunk: Module;
  chunkCall: Module;
  groupDot: number;
  groupAct: number;
  nibbles?: Module;
} & CloseKernels {
  const { group, scale, specialValues, accumulation, activationScale } = gemvShape(p);
  const aligned = accumulation === 'aligned';
  const S = p.lanes;
  const mixed = p.activation === MIXED_ACTIVATION;
  const shape: ChunkShape = {
    weight: p.weight as GemvWeightName,
    // A mixed core's chunk multiplies nibbles (nibbles.ts); its group sums hold int8 sums.
    activation: mixed ? NIBBLE_ACTIVATION : p.activation,
    rows: p.rows,
    lanes: S,
    specialValues,
    packing: p.packing as ChunkShape['packing'],
    multipliers: p.multipliers as ChunkShape['multipliers'],
    ...(aligned ? { alignBits: p.alignBits } : {}),
    ...(p.lut ? { lut: p.lut } : {}),
    ...(p.terms ? { terms: true } : {}),
  };
  const widths = chunkWidths(mixed ? { ...shape, activation: 'int8' } : shape);
  const groupChunks = group / S;
  const groupDot = widths.dot + unsignedBits(groupChunks);
  const groupAct = widths.act + unsignedBits(groupChunks);
  const latency = gemvLatency(p);
  const chunk = chunkModule(shape, latency.chunk);
  const close = closeKernels(
    {
      tag: `${p.weight}_${p.activation}${activationScaleTag(p)}_${scale}_s${S}_g${group}_${p.outFormat}${policyTag(p)}${aligned ? `_al${p.alignBits}` : ''}`,
      dotWidth: groupDot,
      actWidth: groupAct,
      unitExp: aligned
        ? 1 - p.alignBits + widths.table.exp
        : activationUnitExp(p.activation) + widths.table.exp,
      ...(aligned ? { blockExpWidth: chunk.ports.find((q) => q.name === 'exp')!.type.width } : {}),
      weightExp: widths.table.exp,
      scale,
      ...(activationScale ? { activationScale: activationScale.format } : {}),
      zeroBits: metaLayout(p).zeroBits,
      ...(p.serialScale ? { serialScale: true } : {}),
      outFormat: p.outFormat,
      policy: resolvedOutputPolicy(p),
      accPolicy: resolvePolicy(floatFormat('fp32'), outputPolicy(p)),
      origin: {
        chunk: chunkModuleName(shape),
        group,
        scale,
        ...(activationScale ? { activationScale: `${activationScale.kind} ${activationScale.format}` } : {}),
        outFormat: p.outFormat,
        policy: policyTag(p),
      },
    },
    latency,
  );
  const chunkCall = latency.chunk === 0 ? chunk : chunkModule(shape, 0);
  return { chunk, chunkCall, groupDot, groupAct, ...(mixed ? { nibbles: nibblesModule(S) } : {}), ...close };
}

/** The weight of one unit of an exact activation: 1 for integers, the smallest subnormal for floats. */
function activationUnitExp(name: string): number {
  if (isIntegerActivation(name)) return 0;
  const fa = floatFormat(name);
  return floatLayout(fa).emin - fa.mantBits;
}

export function buildGemv(p: GemvParams): Module {
  if (!builtCores.has(p)) builtCores.set(p, elaborateCore(p));
  return builtCores.get(p)!;
}

/**
 * The core: a controller, the issue (with stage 1 and the x buffer), the chunk kernel, the group sums,
 * the group close and the output buffer, one block each (core-*.ts). The controller is built first and
 * reads what the later blocks report through forward wires.
 */
function elaborateCore(p: GemvParams): Module {
  const L = coreLayout(p);
  const { P, S, meta, xBeatBits } = L;
  const { weight, scale, activationScale } = L.shape;
  const { chunk } = L.kernels;
  const m = new ModuleBuilder(gemvModuleName(p), gemvOrigin(p), { sequential: true });

  // Control interface.
  const start = m.input('start', UInt(1), 'begin a job with k_len and n_len (taken while busy is low)');
  const kLen = m.input('k_len', UInt(L.kBits), `K: elements of x, 1..${p.maxK}`);
  const nLen = m.input('n_len', UInt(L.nBits), `N: rows of W and elements of y, 1..${p.maxN}`);
  // Streams.
  const xData = m.input(
    'x_tdata',
    UInt(xBeatBits),
    L.mixed
      ? `{${L.xGroupScale ? `${activationScale!.format} scale of the group, ` : ''}int8 flag of the group (read on the group's first beat), ${S} 8-bit activation codes (an int4 group's in their low nibbles), element k at lane k mod ${S}}`
      : L.xGroupScale
        ? `{${activationScale!.format} scale of the group (read on the group's first beat), ${S} ${p.activation} activations, element k at lane k mod ${S}}`
        : `${S} ${p.activation} activations, element k at lane k mod ${S}`,
  );
  const xScale =
    activationScale?.kind === 'token'
      ? m.input('x_scale', UInt(L.xScaleBits), `${activationScale.format} scale of x, taken with start`)
      : undefined;
  const xValid = m.input('x_tvalid', UInt(1));
  const xLast = m.input('x_tlast', UInt(1), "on x's last beat");
  const wData = m.input(
    'w_tdata',
    UInt(P * S * weight.bits),
    weightBeatDoc(p.weight as GemvWeightName, P, S),
  );
  const wValid = m.input('w_tvalid', UInt(1));
  const wLast = m.input('w_tlast', UInt(1), "on the job's last weight beat");
  const sData = m.input(
    's_tdata',
    UInt(P * meta.bits),
    `${P} rows of {${meta.svBits ? `${weight.selector!.field}, ` : ''}${meta.zeroBits ? 'z, ' : ''}${scale} scale}`,
  );
  const sValid = m.input('s_tvalid', UInt(1));
  const sLast = m.input('s_tlast', UInt(1), "on the job's last scale beat");
  const yReady = m.input('y_tready', UInt(1));

  // What the controller and the issue read of the blocks built after them.
  const bit = (name: string) => m.wire(name, UInt(1));
  const fed = {
    fire: bit('fire'),
    last_issue: bit('last_issue'),
    group_first: bit('group_first'),
    x_error: bit('x_error'),
    w_bad: bit('w_bad'),
    stream_error: bit('stream_error'),
    pipeline_empty: bit('pipeline_empty'),
  };
  const outFreeing = bit('out_freeing');

  const control = m.instance(coreControl(p, L), 'control', {
    start,
    k_len: kLen,
    n_len: nLen,
    x_tvalid: xValid,
    x_tlast: xLast,
    w_tvalid: wValid,
    w_tlast: wLast,
    s_tvalid: sValid,
    s_tlast: sLast,
    ...fed,
  });
  const issue = m.instance(coreIssue(p, L), 'issue', {
    running: control.running!,
    start_taken: control.start_taken!,
    accept: control.accept!,
    x_beat: control.x_beat!,
    k_len: kLen,
    n_len: nLen,
    x_tdata: xData,
    x_tvalid: xValid,
    x_tlast: xLast,
    w_tdata: wData,
    w_tvalid: wValid,
    w_tlast: wLast,
    s_tdata: sData,
    s_tvalid: sValid,
    s_tlast: sLast,
    out_freeing: outFreeing,
    ...(xScale === undefined ? {} : { x_scale: xScale }),
  });
  for (const [name, wire] of Object.entries(fed)) if (name !== 'pipeline_empty') wire.drive(issue[name]!);

  // The chunk's exact dot products, through the kernel's stages.
  const chunkInputs = Object.fromEntries(
    chunk.ports
      .filter((q) => q.direction === 'input' && !isControlPort(q.name))
      .map((q) => [q.name, issue[q.name]!]),
  );
  const chunkOut = m.instance(
    chunk,
    'chunk',
    L.lat.chunk === 0 ? chunkInputs : { ...chunkInputs, in_valid: issue.valid! },
  );
  const pass = (block: Record<string, Signal>, names: string[]) =>
    Object.fromEntries(names.filter((n) => block[n] !== undefined).map((n) => [n, block[n]!]));
  const rowPorts = Array.from({ length: P }, (_, r) => [`dot${r}`, `bad${r}`]).flat();
  const sums = m.instance(coreAccumulate(p, L), 'accumulate', {
    ...pass(chunkOut, ['act', 'exp', ...rowPorts]),
    ...pass(issue, [
      'valid',
      'last_pass',
      'first_pass',
      'high',
      'first_group',
      'block_done',
      'job_done',
      'rows',
      'meta',
      'slot',
      'set_end',
      'chunk_x_scale',
    ]),
  });
  const sumsOf = Object.fromEntries(
    Object.entries(sums)
      .filter(([name]) => name.startsWith('sum_'))
      .map(([name, value]) => [name.slice(4), value]),
  );
  const closed = m.instance(coreClose(p, L), 'close', {
    ...sumsOf,
    close_load: sums.close_load!,
    block_done: sums.block_done_close!,
    meta: sums.meta_close!,
    first_group: sums.first_group_close!,
    job_done: sums.job_done_close!,
    rows: sums.rows_close!,
    ...(sums.slot_close === undefined ? {} : { slot: sums.slot_close, set_end: sums.set_end_close! }),
    ...(activationScale === undefined ? {} : { x_scale: issue.x_scale_taken ?? sums.x_scale_close! }),
  });
  const output = m.instance(coreOutput(p, L), 'out_buffer', {
    y_tready: yReady,
    ...pass(closed, ['emit', 'emit_rows', 'emit_last', 'entry_load']),
    ...pass(
      closed,
      Array.from({ length: L.units }, (_, u) => `result${u}`),
    ),
  });
  outFreeing.drive(output.out_freeing!);
  // The job is done in the cycle its last y beat leaves.
  fed.pipeline_empty.drive(
    [issue.valid!, sums.busy, closed.busy!, output.holding!]
      .filter((busy) => busy !== undefined)
      .reduce((any, busy) => any.or(busy))
      .not(),
  );

  m.output('x_tready', control.x_tready!, 'x beat taken');
  m.output('w_tready', control.w_tready!, 'weight beat taken');
  m.output('s_tready', control.s_tready!, 'scale beat taken');
  m.output('y_tdata', output.y_tdata!, `${p.outFormat} element of y`);
  m.output('y_tvalid', output.y_tvalid!);
  m.output('y_tlast', output.y_tlast!, 'on the last element of y');
  m.output('busy', control.busy!, 'a job is running');
  m.output('done', control.done!, 'one cycle at the end of a job (also a rejected one)');
  m.output('error', control.error!, 'the last job failed: see status (held until the next start)');
  m.output(
    'status',
    control.status!,
    '0 ok, 1 bad K, 2 bad N, 3 x tlast misplaced, 4 w tlast misplaced, 5 s tlast misplaced',
  );
  return m.build();
}

/** The weight port's layout: codes row-major, or (6-bit weights) bit planes (docs/w4a16.md#bit-planes). */
function weightBeatDoc(name: GemvWeightName, rows: number, lanes: number): string {
  const { bits, planes } = GEMV_WEIGHT_FORMATS[name];
  if (planes === undefined) return `${rows} rows × ${lanes} ${name} codes, row-major`;
  const n = rows * lanes;
  let top = bits;
  let base = 0;
  const parts = planes.map((width) => {
    const field = `bits ${top - 1}:${top - width}`;
    const part = `[${base + n * width - 1}:${base}] ${field} of each code, ${width} bits per code`;
    top -= width;
    base += n * width;
    return part;
  });
  return `${rows} rows × ${lanes} ${name} codes in bit planes, code (row r, lane i) at index r·${lanes} + i of each: ${parts.join('; ')}`;
}
