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
import type { Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { cat, mux, select, type Signal } from '../hdl/signal.ts';
import { MAX_WIDTH, SInt, UInt, type HdlType } from '../hdl/types.ts';
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
  serialScaleCycles,
  type CloseKernels,
  type CloseLatency,
} from './close.ts';
import { numberTag } from '../naming.ts';
import { gemvHlsDesign } from './hls.ts';
import { GEMV_STATUS } from './status.ts';
import {
  ACTIVATION_SCALES,
  ACTIVATION_SCALE_FORMATS,
  GEMV_ACTIVATIONS,
  INTEGER_ACTIVATIONS,
  activationBits,
  activationScaleBits,
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
function gemvKernels(p: GemvParams): ReturnType<typeof elaborateKernels> {
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

function elaborateCore(p: GemvParams): Module {
  const { weight, group, scale, accumulation, activationScale } = gemvShape(p);
  const aligned = accumulation === 'aligned';
  const P = p.rows;
  const S = p.lanes;
  const ab = activationBits(p.activation);
  // Per-group activation scales ride on the x beat above its codes (and into the buffer with them).
  const xScaleBits = activationScale === undefined ? 0 : activationScaleBits(activationScale);
  const xGroupScale = activationScale?.kind === 'group';
  // A mixed core's x beat holds its group's int8 flag above the codes (read on the group's first beat).
  const mixed = p.activation === MIXED_ACTIVATION;
  const flagBits = mixed ? 1 : 0;
  const xBeatBits = S * ab + flagBits + (xGroupScale ? xScaleBits : 0);
  const meta = metaLayout(p);
  const groupChunks = group / S;
  const { chunk, groupDot, groupAct, nibbles, ...close } = gemvKernels(p);

  const m = new ModuleBuilder(gemvModuleName(p), gemvOrigin(p), { sequential: true });
  const kBits = unsignedBits(p.maxK) + 1;
  const nBits = unsignedBits(p.maxN) + 1;
  const chunkBits = unsignedBits(Math.ceil(p.maxK / S));
  const laneBits = unsignedBits(S);
  const rowBits = unsignedBits(p.maxN);
  const countBits = Math.max(chunkBits, unsignedBits(groupChunks)) + 1;

  // Control interface.
  const start = m.input('start', UInt(1), 'begin a job with k_len and n_len (taken while busy is low)');
  const kLen = m.input('k_len', UInt(kBits), `K: elements of x, 1..${p.maxK}`);
  const nLen = m.input('n_len', UInt(nBits), `N: rows of W and elements of y, 1..${p.maxN}`);
  // Streams.
  const xData = m.input(
    'x_tdata',
    UInt(xBeatBits),
    mixed
      ? `{${xGroupScale ? `${activationScale!.format} scale of the group, ` : ''}int8 flag of the group (read on the group's first beat), ${S} 8-bit activation codes (an int4 group's in their low nibbles), element k at lane k mod ${S}}`
      : xGroupScale
        ? `{${activationScale!.format} scale of the group (read on the group's first beat), ${S} ${p.activation} activations, element k at lane k mod ${S}}`
        : `${S} ${p.activation} activations, element k at lane k mod ${S}`,
  );
  const xScaleIn =
    activationScale?.kind === 'token'
      ? m.input('x_scale', UInt(xScaleBits), `${activationScale.format} scale of x, taken with start`)
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

  // Job state.
  const IDLE = 0;
  const RUN = 1;
  const FINISH = 2;
  const state = m.register('state_q', UInt(2), { reset: IDLE });
  const idle = state.eq(IDLE).named('idle');
  const running = state.eq(RUN).named('running');
  const finishing = state.eq(FINISH).named('finishing');
  // The job's last chunk index (chunks − 1), and flags kept beside the counters they test, so the
  // issue decides from registers, not from comparisons on its own path.
  const chunkEnd = m.register('chunk_end_q', UInt(chunkBits), { reset: 0 });
  const lastChunk = m.register('last_chunk_q', UInt(1), { reset: 0 });
  const lastBlock = m.register('last_block_q', UInt(1), { reset: 0 });
  const inLastGroup = m.register('in_last_group_q', UInt(1), { reset: 0 });
  const lastGroupFrom = m.register('last_group_from_q', UInt(chunkBits), { reset: 0 });
  const lastLanes = m.register('last_lanes_q', UInt(laneBits), { reset: 0 });
  const chunkIndex = m.register('chunk_q', UInt(chunkBits), { reset: 0 });
  // A group of one chunk has no position to count: every chunk is its group's first and last.
  const groupPos =
    groupChunks > 1
      ? m.register('group_pos_q', UInt(unsignedBits(groupChunks - 1)), { reset: 0 })
      : undefined;
  const firstBlock = m.register('first_block_q', UInt(1), { reset: 0 });
  const rowsLeft = m.register('rows_left_q', UInt(rowBits), { reset: 0 });
  // Interleaved blocks: the issue visits the set's blocks in turn (slot 0 … I − 1) at every chunk;
  // slot_rows_q holds the rows from the slot's block to the job's end.
  const I = p.interleave;
  const slotBits = unsignedBits(I - 1);
  const slot = I > 1 ? m.register('block_slot_q', UInt(slotBits), { reset: 0 }) : undefined;
  const slotRows = I > 1 ? m.register('slot_rows_q', UInt(rowBits), { reset: 0 }) : undefined;
  // x beats taken so far: x runs ahead of w into the buffer, by up to the whole vector.
  const xCount = m.register('x_count_q', UInt(chunkBits), { reset: 0 });
  const xEnded = m.register('x_ended_q', UInt(1), { reset: 1 });
  const wEnded = m.register('w_ended_q', UInt(1), { reset: 1 });
  const sEnded = m.register('s_ended_q', UInt(1), { reset: 1 });
  const errorQ = m.register('error_q', UInt(1), { reset: 0 });
  const status = m.register('status_q', UInt(3), { reset: GEMV_STATUS.ok });
  const done = m.register('done_q', UInt(1), { reset: 0 });

  // Pipeline: stage 1 holds an issued chunk, the chunk kernel's L = chunkLatency stages its dot
  // products, stage 2 the group sums (and a closing group). Nothing after the issue stalls: the issue
  // waits instead, on registered state only (below), so no stall signal fans out to the pipeline.
  // Each kernel's stages as built (the parameters ask for them; the kernels say what they hold).
  const stages = (kernel: Module | undefined) =>
    kernel?.timing.kind === 'pipelined' ? kernel.timing.latency : 0;
  // A serial scale product's cycles count as its stages: its out_valid comes that much later.
  const scales = gemvShape(p);
  const serialScale = p.serialScale
    ? serialScaleCycles({ scale: scales.scale, activationScale: scales.activationScale?.format })
    : undefined;
  const lat = {
    chunk: stages(chunk),
    scale: serialScale ?? stages(close.scale),
    sum: stages(close.sum),
    convert: stages(close.convert),
  };
  const valid1 = m.register('chunk_valid_s1', UInt(1), { reset: 0 });
  const chunkLine = (name: string, type: HdlType, reset?: number) =>
    Array.from({ length: lat.chunk }, (_, j) =>
      m.register(`${name}_k${j + 1}`, type, reset === undefined ? {} : { reset }),
    );
  // The chunk's valid bit through the kernel's stages.
  const chunkValids = chunkLine('chunk_valid', UInt(1), 0);
  const closing = m.register('closing_s2', UInt(1), { reset: 0 });
  const closeLastOfBlock = m.register('block_done_s2', UInt(1), { reset: 0 });
  // The output buffer holds a set's results: I blocks of P rows.
  const outBits = unsignedBits(I * P);
  // The beats still to go, counted down, so that the last beat is known without a subtraction.
  const outIndex = m.register('out_index_q', UInt(outBits), { reset: 0 });
  const outLeft = m.register('out_left_q', UInt(outBits), { reset: 0 });
  const outPending = outLeft.ne(0).named('out_pending');
  const outLastIndex = outLeft.eq(1).named('out_last_index');
  const outFreeing = outPending.and(yReady).and(outLastIndex).named('out_freeing');
  // Close units serve R rows in turn, one close step per row. A row's sum comes back to the sum kernel
  // A = sumLatency + 1 cycles after it entered, so a unit starts a group's close at most every
  // T = max(R, A) cycles (steps R … T − 1 issue nothing); a group's last chunk issues T cycles after
  // the one before at the soonest. Interleaved blocks (R = 1) close a group every cycle; a block's
  // visits are A cycles apart at the soonest instead (below).
  const R = closeSteps(p);
  // A serial scale product takes a start only once its product is out: every serialScale cycles.
  const T = I > 1 ? 1 : Math.max(R, lat.sum + 1, serialScale ?? 0);
  const step = T > 1 ? m.register('close_step_q', UInt(unsignedBits(T - 1)), { reset: 0 }) : undefined;
  const one = m.constant(1, UInt(1));
  const lastStep = step === undefined ? one : step.eq(T - 1).named('close_last_step');
  const rowStep = step === undefined || T === R ? one : step.lt(R).named('close_row_step');
  const stepRow = R > 1 ? step!.resize(unsignedBits(R - 1)).named('close_row') : undefined;
  // After stage 2 the close runs on without stalls, a step through the cycles of the close pipeline:
  // the scale product (scaleLatency + 1 cycles), the row sum (sumLatency), and for a block's last
  // group the output conversion (a register and convertLatency) into the output buffer.
  const sumAt = lat.scale + 1;
  const writeAt = sumAt + lat.sum;
  // An unpipelined conversion converts the new sum in its own cycle (no register before it).
  const resultAt = writeAt + (p.outFormat === 'fp32' || lat.convert === 0 ? 0 : 1 + lat.convert);
  const closeLine = (name: string, type: HdlType, reset?: number) =>
    Array.from({ length: resultAt }, (_, k) =>
      m.register(`${name}_c${k + 1}`, type, reset === undefined ? {} : { reset }),
    );
  const closeValids = closeLine('close_valid', UInt(1), 0);
  const closeFinals = closeLine('close_final', UInt(1), 0);
  const closeSlots = I > 1 ? closeLine('close_slot', UInt(slotBits)) : [];
  const slot2 = I > 1 ? m.register('block_slot_s2', UInt(slotBits)) : undefined;
  const lastChunk1 = m.register('group_last_s1', UInt(1));
  // A mixed core's stage 1, declared here because the issue waits on it: the chunk of an int8 group
  // stays a second cycle, its high halves first, then its low ones (nibbles.ts).
  // A bit-serial core's stage 1 likewise keeps each chunk for its passes (planes, terms), one per cycle.
  const passes = chunkPasses(p);
  const split =
    nibbles === undefined && passes === 1
      ? undefined
      : (() => {
          const firstChunk = m.register('group_first_s1', UInt(1));
          const xWord = m.register('x_word_s1', UInt(xBeatBits));
          const bufferWord = m.register('x_buffer_s1', UInt(xBeatBits));
          const fromX = m.register('from_x_s1', UInt(1), { reset: 0 });
          const xChunk = mux(fromX, xWord, bufferWord).named('x_chunk');
          if (nibbles === undefined) {
            const pass = m.register('pass_s1', UInt(unsignedBits(passes - 1)), { reset: 0 });
            const high = valid1.and(pass.ne(passes - 1)).named('more_passes');
            pass.next(mux(high, pass.add(1, { width: pass.width }), m.constant(0, pass.type)));
            const second = pass.ne(0).named('later_pass');
            return { firstChunk, xWord, bufferWord, fromX, xChunk, second, high, pass };
          }
          const wideQ = m.register('group_wide_q', UInt(1));
          const wide = mux(firstChunk, xChunk.bit(S * ab), wideQ).named('group_wide');
          wideQ.next(wide, { when: valid1 });
          const second = m.register('second_pass_s1', UInt(1), { reset: 0 });
          const high = valid1.and(wide).and(second.not()).named('high_pass');
          second.next(high);
          return { firstChunk, xWord, bufferWord, fromX, xChunk, wide, second, high, pass: undefined };
        })();
  // Stage 1's registers keep the chunk through its high pass.
  const stage1 = split === undefined ? {} : { when: split.high.not() };
  const lastChunks = chunkLine('group_last', UInt(1));
  // The group closes after its last chunk's last pass.
  const lastPass1 =
    split === undefined ? lastChunk1 : lastChunk1.and(split.high.not()).named('group_last_pass');
  const lastChunkK = lastChunks.at(-1) ?? lastPass1;
  const validK = chunkValids.at(-1) ?? valid1;

  // Issue: one chunk of P rows × S elements when every stream it needs has a beat.
  // The chunk moves on after the set's last block (its last slot, or the job's last block).
  const lastSlot =
    slot === undefined
      ? undefined
      : slot
          .eq(I - 1)
          .or(lastBlock)
          .named('last_slot');
  const groupFirst = groupPos === undefined ? one : groupPos.eq(0).named('group_first');
  const groupLast =
    groupPos === undefined
      ? one
      : groupPos
          .eq(groupChunks - 1)
          .or(lastChunk)
          .named('group_last');
  // In the first block a chunk's x word is in the buffer already, or arrives now (taken straight):
  // x_direct_q, set a cycle ahead (below).
  const xDirect = m.register('x_direct_q', UInt(1), { reset: 0 });
  const streamsReady = wValid
    .and(groupFirst.not().or(sValid))
    .and(xDirect.not().or(xValid))
    .named('streams_ready');
  // The issue rules, each from registers: a close unit is free for a group's last chunk (T cycles
  // since the last one); the output buffer is free for a set's first final visit (the previous set's
  // results have all left: claimed at that visit, freed by its last y beat); interleaved, the block's
  // previous visit was A cycles ago or more.
  const slotZero = slot === undefined ? one : slot.eq(0).named('slot_zero');
  const finalVisit = lastChunk.and(slotZero).named('final_visit');
  const outClaimed = m.register('out_claimed_q', UInt(1), { reset: 0 });
  let issueOk = finalVisit.and(outClaimed).not();
  const groupGap = T > 1 ? m.register('group_gap_q', UInt(unsignedBits(T - 1)), { reset: T - 1 }) : undefined;
  if (groupGap !== undefined) issueOk = issueOk.and(groupLast.not().or(groupGap.eq(T - 1)));
  // The visits of the last A − 2 cycles before the previous one; whether the slot at issue was visited
  // in the last A − 1 cycles is kept in recent_visit_q, set a cycle ahead (below).
  const visits =
    slot === undefined
      ? []
      : Array.from({ length: lat.sum - 1 }, (_, k) => ({
          fired: m.register(`visit_valid_h${k + 1}`, UInt(1), { reset: 0 }),
          slot: m.register(`visit_slot_h${k + 1}`, UInt(slotBits)),
        }));
  const recentVisit =
    slot !== undefined && lat.sum > 0 ? m.register('recent_visit_q', UInt(1), { reset: 0 }) : undefined;
  if (recentVisit !== undefined) issueOk = issueOk.and(recentVisit.not());
  const issuing = running.and(issueOk.named('issue_ok')).and(streamsReady);
  const fire = (split === undefined ? issuing : issuing.and(split.high.not())).named('fire');
  const lastIssue = lastChunk.and(lastBlock).named('last_issue');
  const lastGroup = lastBlock.and(inLastGroup).named('last_group');
  // An x beat is checked when it is taken, w and s beats when their chunk issues.
  const xBeat = running.and(xValid).and(xEnded.not()).named('x_beat');
  const xLastExpected = xCount.eq(chunkEnd);
  const xError = xBeat.and(xLast.ne(xLastExpected)).named('x_error');
  const wBad = wLast.ne(lastIssue);
  const sBad = groupFirst.and(sLast.ne(lastGroup));
  const streamError = xError.or(fire.and(wBad.or(sBad))).named('stream_error');

  // Stream handshakes: x whenever the job still needs x, w and s on issue; after an error every
  // stream is discarded up to its tlast.
  const draining = finishing.and(errorQ).named('draining');
  const xTake = running.or(draining).and(xEnded.not()).named('x_take');
  const wTake = fire.or(draining.and(wEnded.not())).named('w_take');
  const sTake = fire.and(groupFirst).or(draining.and(sEnded.not())).named('s_take');

  // Start and finish.
  const kZero = kLen.eq(0);
  const badK = kZero.or(kLen.gt(p.maxK)).named('bad_k');
  const badN = nLen.eq(0).or(nLen.gt(p.maxN)).named('bad_n');
  const begin = idle.and(start).named('start_taken');
  const accept = begin.and(badK.not()).and(badN.not()).named('accept');
  const reject = begin.and(badK.or(badN)).named('reject');
  // The job is done in the cycle its last y beat leaves.
  const pipelineEmpty = [valid1, ...chunkValids, closing, ...closeValids, outPending.and(outFreeing.not())]
    .reduce((any, v) => any.or(v))
    .not()
    .named('pipeline_empty');
  const streamsEnded = xEnded.and(wEnded).and(sEnded);
  const finished = finishing.and(pipelineEmpty).and(streamsEnded).named('finished');

  const kMinus1 = kLen.sub(1, { width: kBits });
  const log2S = Math.log2(S);
  // The issue registers begin at every start taken, before the size checks: a rejected job's values
  // are never read (the state stays idle), and the checks' carry chains stay off their enables, which
  // fan out to the whole issue. Each flag is set from k_len and n_len, and then from registers only.
  const kChunkEnd = kMinus1.shr(log2S).resize(chunkBits).named('k_chunk_end');
  chunkEnd.next(kChunkEnd, { when: begin });
  // A group of more chunks than any job has (maxK < group) is always the block's last.
  const fewerThanGroup = (chunk: Signal) =>
    groupChunks < 2 ** chunkBits ? chunk.lt(groupChunks) : m.constant(1, UInt(1));
  const kLastGroupFrom =
    groupChunks < 2 ** chunkBits
      ? mux(
          kChunkEnd.lt(groupChunks),
          m.constant(0, UInt(chunkBits)),
          kChunkEnd.sub(groupChunks, { width: chunkBits }),
        )
      : m.constant(0, UInt(chunkBits));
  lastGroupFrom.next(kLastGroupFrom, { when: begin });
  lastLanes.next(
    (log2S === 0 ? m.constant(0, UInt(laneBits)) : kMinus1.slice(log2S - 1, 0).resize(laneBits)).add(1, {
      width: laneBits,
    }),
    { when: begin },
  );
  state.next(
    mux(
      accept,
      m.constant(RUN, UInt(2)),
      mux(
        fire.and(lastIssue).or(streamError),
        m.constant(FINISH, UInt(2)),
        mux(finished, m.constant(IDLE, UInt(2)), state),
      ),
    ),
  );
  const fireRound = lastSlot === undefined ? fire : fire.and(lastSlot).named('fire_round');
  const chunkMoves = begin.or(fireRound);
  const chunkNext = mux(
    lastChunk,
    m.constant(0, UInt(chunkBits)),
    chunkIndex.add(1, { width: chunkBits }),
  ).named('chunk_next');
  chunkIndex.next(mux(begin, m.constant(0, UInt(chunkBits)), chunkNext), { when: chunkMoves });
  const oneChunk = chunkEnd.eq(0);
  const nextIsLast = chunkIndex.add(1, { width: chunkBits }).eq(chunkEnd);
  lastChunk.next(mux(begin, kChunkEnd.eq(0), mux(lastChunk, oneChunk, nextIsLast)), { when: chunkMoves });
  // A group being opened is the block's last when it reaches the last chunk: the next group starts
  // at chunk_q + 1, which is in the last group from chunk_end_q − group chunks + 1 on.
  const oneGroup = fewerThanGroup(chunkEnd);
  inLastGroup.next(
    mux(begin, fewerThanGroup(kChunkEnd), mux(lastChunk, oneGroup, chunkIndex.ge(lastGroupFrom))),
    { when: begin.or(fireRound.and(groupLast)) },
  );
  groupPos?.next(
    mux(begin.or(groupLast), m.constant(0, groupPos.type), groupPos.add(1, { width: groupPos.width })),
    {
      when: begin.or(fireRound),
    },
  );
  firstBlock.next(begin.or(firstBlock.and(lastChunk.not())), { when: begin.or(fireRound) });
  const nextSetRows = rowsLeft.sub(I * P, { width: rowBits });
  const rowsMove = begin.or(fireRound.and(lastChunk));
  rowsLeft.next(mux(begin, nLen.resize(rowBits), nextSetRows), { when: rowsMove });
  const oneBlock = nLen.le(P);
  if (slot === undefined) lastBlock.next(mux(begin, oneBlock, nextSetRows.le(P)), { when: rowsMove });
  if (slot !== undefined && slotRows !== undefined && lastSlot !== undefined) {
    slot.next(mux(begin.or(lastSlot), m.constant(0, slot.type), slot.add(1, { width: slotBits })), {
      when: begin.or(fire),
    });
    const setStart = mux(lastChunk, nextSetRows, rowsLeft);
    const slotNextRows = slotRows.sub(P, { width: rowBits });
    slotRows.next(mux(begin, nLen.resize(rowBits), mux(lastSlot, setStart, slotNextRows)), {
      when: begin.or(fire),
    });
    lastBlock.next(mux(begin, oneBlock, mux(lastSlot, setStart.le(P), slotNextRows.le(P))), {
      when: begin.or(fire),
    });
  }
  xCount.next(mux(begin, m.constant(0, UInt(chunkBits)), xCount.add(1, { width: chunkBits })), {
    when: begin.or(xBeat),
  });
  xEnded.next(accept.not().and(xEnded.or(xTake.and(xValid).and(xLast))));
  wEnded.next(accept.not().and(wEnded.or(wTake.and(wValid).and(wLast))));
  sEnded.next(accept.not().and(sEnded.or(sTake.and(sValid).and(sLast))));
  errorQ.next(reject.or(begin.not().and(errorQ.or(streamError))));
  const code = (c: number) => m.constant(c, UInt(3));
  status.next(
    mux(
      begin,
      mux(badK, code(GEMV_STATUS.badK), mux(badN, code(GEMV_STATUS.badN), code(GEMV_STATUS.ok))),
      // Faults found in the same cycle: x before w before s.
      mux(xError, code(GEMV_STATUS.xLast), mux(wBad, code(GEMV_STATUS.wLast), code(GEMV_STATUS.sLast))),
    ),
    { when: begin.or(streamError) },
  );
  done.next(reject.or(finished));
  outClaimed.next(
    mux(accept, m.constant(0, UInt(1)), outClaimed.or(fire.and(finalVisit)).and(outFreeing.not())),
  );
  groupGap?.next(
    mux(
      fire.and(groupLast),
      m.constant(0, groupGap.type),
      mux(groupGap.eq(T - 1), groupGap, groupGap.add(1, { width: groupGap.width })),
    ),
    // A mixed core's high pass delays its group's close by a cycle: the gap counts the cycles after it.
    // A bit-serial core's chunks all take the same passes, so its closes are as far apart as the issues
    // of its groups' last chunks: every cycle counts.
    nibbles === undefined ? {} : stage1,
  );
  visits.forEach((v, k) => {
    v.fired.next(k === 0 ? fire : visits[k - 1]!.fired);
    v.slot.next(k === 0 ? slot! : visits[k - 1]!.slot);
  });
  // The issue's decisions for the next cycle, made from registers, so that fire only selects among
  // them: fire fans out to every issue register, and its own path stays a few LUTs deep.
  const zero = m.constant(0, UInt(1));
  if (recentVisit !== undefined && slot !== undefined && lastSlot !== undefined) {
    // Visited among the registered visits (the last A − 2 cycles but one): the slot stays, moves on, or
    // goes back to 0. A visit now is recent for the next cycle when the slot stays (a set of one block).
    const visitedBefore = (to: Signal) =>
      visits.map((v) => v.fired.and(v.slot.eq(to))).reduce((any, v) => any.or(v), zero);
    const slotAfter = slot.add(1, { width: slotBits });
    const visitedSlotZero = visitedBefore(m.constant(0, slot.type)).named('visited_slot_zero');
    recentVisit.next(
      mux(
        fire,
        mux(lastSlot, slotZero.or(visitedSlotZero), visitedBefore(slotAfter)),
        mux(begin, visitedSlotZero, visitedBefore(slot)),
      ).named('recent_visit'),
    );
  }
  // x is level with the issue (x_count_q = chunk_q) in the next cycle: x takes a beat or not, the
  // chunk moves on or not.
  const xLevel = xCount.eq(chunkIndex);
  const xAheadByOne = xCount.eq(chunkIndex.add(1, { width: chunkBits }));
  const xBehindByOne = xCount.add(1, { width: chunkBits }).eq(chunkIndex);
  const xStays = firstBlock.and(slotZero).and(mux(xBeat, xBehindByOne, xLevel));
  const xRound = firstBlock.and(lastChunk.not()).and(mux(xBeat, xLevel, xAheadByOne));
  xDirect.next(
    mux(begin, one, mux(fireRound, xRound, lastSlot === undefined ? xStays : mux(fire, zero, xStays))).named(
      'x_direct_next',
    ),
  );

  // Activation buffer: every x beat is stored as it is taken; a chunk reads its word back, unless
  // its beat arrives in the cycle it issues (the lock-step path takes it straight from x_tdata).
  const depth = Math.max(2, Math.ceil(p.maxK / S));
  const addressBits = Math.ceil(Math.log2(depth));
  const buffer = m.memory('x_buffer', UInt(xBeatBits), depth);
  buffer.write(xCount.resize(addressBits).named('x_write_address'), xData, xBeat);
  const address = chunkIndex.resize(addressBits).named('x_address');
  const bufferWord = split?.bufferWord ?? m.register('x_buffer_s1', UInt(xBeatBits));
  bufferWord.next(buffer.read(address), stage1);
  const xWord = split?.xWord ?? m.register('x_word_s1', UInt(xBeatBits));
  xWord.next(xData, stage1);
  const fromX = split?.fromX ?? m.register('from_x_s1', UInt(1), { reset: 0 });
  fromX.next(xDirect, stage1);
  const wWord = m.register('w_word_s1', UInt(P * S * weight.bits));
  wWord.next(wData, stage1);
  const metaWord = m.register('meta_s1', UInt(P * meta.bits));
  // Loaded while the issue waits at a group's first chunk, so that the beat it fires with is in it
  // (later chunks of the group carry it on); fire, which fans out far, stays off its enable.
  metaWord.next(sData, { when: split === undefined ? groupFirst : groupFirst.and(split.high.not()) });
  const lanes1 = m.register('lanes_s1', UInt(laneBits));
  lanes1.next(mux(lastChunk, lastLanes, m.constant(S, UInt(laneBits))), stage1);
  // A group of one chunk has no sum to carry: its group sums are the chunk's (a mixed core's int8
  // group has two passes to add).
  const firstChunk1 =
    split?.firstChunk ?? (groupChunks === 1 ? undefined : m.register('group_first_s1', UInt(1)));
  firstChunk1?.next(groupFirst, stage1);
  lastChunk1.next(groupLast, stage1);
  const firstGroup1 = m.register('block_first_group_s1', UInt(1));
  firstGroup1.next(chunkIndex.zext(countBits).lt(groupChunks), stage1);
  // The erroneous beat never completes its block: no result of that block is emitted.
  const blockDone1 = m.register('block_done_s1', UInt(1));
  blockDone1.next(lastChunk.and(streamError.not()), stage1);
  const jobDone1 = m.register('job_done_s1', UInt(1));
  jobDone1.next(lastIssue, stage1);
  // The rows of the block (of the set, interleaved) that go to the output buffer.
  const rows1 = m.register('rows_s1', UInt(outBits));
  const setRowsLeft = I > 1 ? rowsLeft.le(I * P).named('last_set') : lastBlock;
  rows1.next(mux(setRowsLeft, rowsLeft.resize(outBits), m.constant(I * P, UInt(outBits))), stage1);
  const slot1 = slot === undefined ? undefined : m.register('block_slot_s1', UInt(slotBits));
  slot1?.next(slot!);
  const setEnd1 = lastSlot === undefined ? undefined : m.register('set_end_s1', UInt(1));
  setEnd1?.next(lastSlot!);
  valid1.next(fire, stage1);

  // Stage 1: the chunk's exact dot products, through the kernel's stages; what the later stages need
  // of the chunk travels beside it. Stage 1's registers load every cycle (valid_s1 says whether they
  // hold a chunk), except the group's scale entry, which its later chunks carry too; a mixed core's
  // keep an int8 chunk through its high pass.
  const fields = chunk.ports.filter((q) => q.direction === 'input').map((q) => q.name);
  const xChunk = split?.xChunk ?? mux(fromX, xWord, bufferWord).named('x_chunk');
  const chunkInputs = {
    x:
      nibbles === undefined
        ? xGroupScale
          ? xChunk.slice(S * ab - 1, 0)
          : xChunk
        : m.instance(nibbles, 'nibbles', {
            x: xChunk.slice(S * ab - 1, 0),
            wide: split!.wide!,
            high: split!.high,
          }).y!,
    lanes: lanes1.resize(chunk.ports.find((q) => q.name === 'lanes')!.type.width),
    w: wWord,
    ...(split?.pass === undefined ? {} : { pass: split.pass }),
    ...(weight.selector && fields.includes(weight.selector.field)
      ? { [weight.selector.field]: selectorBits(metaWord, P, meta) }
      : {}),
  };
  const chunkOut = m.instance(
    chunk,
    'chunk',
    lat.chunk === 0 ? chunkInputs : { ...chunkInputs, in_valid: valid1 },
  );
  const feed = (line: Signal[], value: Signal) =>
    line.forEach((r, j) => (r as ReturnType<typeof m.register>).next(j === 0 ? value : line[j - 1]!));
  feed(chunkValids, valid1);
  feed(lastChunks, lastPass1);
  const alongChunk = (name: string, value: Signal) => {
    const line = chunkLine(name, value.type);
    feed(line, value);
    return line.at(-1) ?? value;
  };
  // A mixed core's group starts at its first chunk's first pass.
  const firstPass1 =
    split === undefined ? firstChunk1 : firstChunk1!.and(split.second.not()).named('group_first_pass');
  const firstChunkK = firstPass1 && alongChunk('group_first', firstPass1);
  const highK = nibbles === undefined ? undefined : alongChunk('high_pass', split!.high);
  /**
   * The group's sum so far with this chunk's value: q + value, or value alone on its first chunk; a high
   * pass's value weighs 16.
   */
  const groupSum = (q: Signal, value: Signal, name: string) => {
    const term = () =>
      highK === undefined
        ? value.resize(q.width)
        : mux(highK, value.resize(q.width).shl(4), value.resize(q.width)).named(`${name}_term`);
    return (
      firstChunkK === undefined
        ? term()
        : mux(firstChunkK, m.constant(0, q.type), q).add(term(), { width: q.width })
    ).named(name);
  };
  const firstGroupK = alongChunk('block_first_group', firstGroup1);
  const blockDoneK = alongChunk('block_done', blockDone1);
  const jobDoneK = alongChunk('job_done', jobDone1);
  const rowsK = alongChunk('rows', rows1);
  const metaK = alongChunk('meta', metaWord);
  const slotK = slot1 === undefined ? undefined : alongChunk('block_slot', slot1);
  const setEndK = setEnd1 === undefined ? undefined : alongChunk('set_end', setEnd1);

  // Stage 2: group sums per row, and the group's metadata while it closes.
  const load2 = validK.named('chunk_load');
  const groupActQ = m.register('group_act_q', SInt(groupAct));
  const groupActNext = groupSum(groupActQ, chunkOut.act!, 'group_act');
  groupActQ.next(groupActNext, { when: load2 });
  const closeLoad = load2.and(lastChunkK).named('close_load');
  // Aligned groups are one chunk: the block exponent is the chunk's.
  const groupExp = aligned ? m.register('group_exp_q', chunkOut.exp!.type) : undefined;
  groupExp?.next(chunkOut.exp!, { when: load2 });
  closeLastOfBlock.next(blockDoneK, { when: closeLoad });
  const metaClose = m.register('meta_s2', UInt(P * meta.bits));
  metaClose.next(metaK, { when: closeLoad });
  // The activation scale of the closing group: x_scale as the job started, or read from the group's first
  // x beat (held while its later chunks arrive) and kept while the group closes.
  let xScaleClose: Signal | undefined;
  if (xScaleIn !== undefined) {
    const taken = m.register('x_scale_q', UInt(xScaleBits));
    taken.next(xScaleIn, { when: begin });
    xScaleClose = taken;
  } else if (xGroupScale) {
    const chunkScale = alongChunk('x_scale', xChunk.slice(xBeatBits - 1, S * ab + flagBits));
    let groupScale = chunkScale;
    if (firstChunkK !== undefined) {
      const held = m.register('group_x_scale_q', UInt(xScaleBits));
      held.next(chunkScale, { when: load2.and(firstChunkK) });
      groupScale = mux(firstChunkK, chunkScale, held).named('group_x_scale');
    }
    const closeScale = m.register('x_scale_s2', UInt(xScaleBits));
    closeScale.next(groupScale, { when: closeLoad });
    xScaleClose = closeScale;
  }
  const firstGroup2 = m.register('block_first_group_s2', UInt(1));
  firstGroup2.next(firstGroupK, { when: closeLoad });
  const jobDone2 = m.register('job_done_s2', UInt(1));
  jobDone2.next(jobDoneK, { when: closeLoad });
  const rows2 = m.register('rows_s2', UInt(outBits));
  rows2.next(rowsK, { when: closeLoad });
  slot2?.next(slotK!, { when: closeLoad });
  const setEnd2 = setEndK === undefined ? undefined : m.register('set_end_s2', UInt(1));
  setEnd2?.next(setEndK!, { when: closeLoad });

  // Group close: U close units, each serving R rows one after another, a close at most every T cycles
  // (T ≤ chunks per group keeps up with the chunks). With R > 1 the group sums are copied first.
  // Each step enters the close pipeline: the scale product, then the row's fp32 sum (the loop: the
  // row's sum is read as it enters the sum kernel and written as it leaves), then for a block's last
  // group the output conversion into the output buffer.
  const closeStep = closing.and(rowStep).named('close_step');
  closing.next(closeLoad.or(closing.and(lastStep.not())));
  step?.next(mux(lastStep, m.constant(0, step.type), step.add(1, { width: step.width })), {
    when: closing,
  });
  const sums: { dot: Signal; bad: Signal }[] = [];
  for (let r = 0; r < P; r++) {
    const dotQ = m.register(`group_dot${r}_q`, SInt(groupDot));
    const dotNext = groupSum(dotQ, chunkOut[`dot${r}`]!, `group_dot${r}`);
    dotQ.next(dotNext, { when: load2 });
    const badQ = m.register(`group_bad${r}_q`, UInt(1));
    const chunkBad = chunkOut[`bad${r}`]!;
    const badNext = (firstChunkK === undefined ? chunkBad : firstChunkK.not().and(badQ).or(chunkBad)).named(
      `group_bad${r}`,
    );
    badQ.next(badNext, { when: load2 });
    if (R === 1) sums.push({ dot: dotQ, bad: badQ });
    else {
      const dotCopy = m.register(`close_dot${r}_q`, SInt(groupDot));
      dotCopy.next(dotNext, { when: closeLoad });
      const badCopy = m.register(`close_bad${r}_q`, UInt(1));
      badCopy.next(badNext, { when: closeLoad });
      sums.push({ dot: dotCopy, bad: badCopy });
    }
  }
  let closeAct: Signal = groupActQ;
  if (R > 1) {
    const copy = m.register('close_act_q', SInt(groupAct));
    copy.next(groupActNext, { when: closeLoad });
    closeAct = copy;
  }

  // What the later close cycles need of the step (tap k: k cycles after it entered): whether it is
  // valid, its block's last group, its row, the row's first group, the block's rows and end.
  const alongClose = (line: Signal[], value: Signal) => {
    line.forEach((r, k) => (r as ReturnType<typeof m.register>).next(k === 0 ? value : line[k - 1]!));
    return (k: number) => (k === 0 ? value : line[k - 1]!);
  };
  const validAt = alongClose(closeValids, closeStep);
  const finalAt = alongClose(closeFinals, closeLastOfBlock);
  const tapped = (name: string, value: Signal) => alongClose(closeLine(name, value.type), value);
  const rowAt = stepRow === undefined ? undefined : tapped('close_row', stepRow);
  const firstAt = tapped('close_first', firstGroup2);
  const rowsAt = tapped('close_rows', rows2);
  const jobDoneAt = tapped('close_job_done', jobDone2);
  const slotAt = slot2 === undefined ? undefined : alongClose(closeSlots, slot2);
  const setEndAt = setEnd2 === undefined ? undefined : tapped('close_set_end', setEnd2);
  const mine = (k: number, j: number) => (rowAt === undefined ? one : rowAt(k).eq(j));
  // `when` in the slot's entries only (interleaved).
  const inSlot = (when: Signal, k: number, b: number) =>
    slotAt === undefined ? when : when.and(slotAt(k).eq(b));
  const resultLoad = validAt(resultAt).and(finalAt(resultAt)).named('result_load');
  // A set's results go out after its last block's.
  const emit = (setEndAt === undefined ? resultLoad : resultLoad.and(setEndAt(resultAt)))
    .and(mine(resultAt, R - 1))
    .named('emit');

  // A close kernel's outputs, and `valid` delayed by its latency (its out_valid when pipelined).
  const kernel = (module: Module, name: string, inputs: Record<string, Signal>, valid: Signal) => {
    if (module.timing.kind === 'comb') return { out: m.instance(module, name, inputs), valid };
    const out = m.instance(module, name, { ...inputs, in_valid: valid });
    return { out, valid: out.out_valid! };
  };

  // A serial scale product for each row a unit serves: each starts at its row's step and gives its
  // product serialScale cycles later, in the steps' order, so that the unit's products come one a cycle
  // as a pipelined kernel's do.
  const serialScaleSteps = (
    module: Module,
    name: string,
    inputs: Record<string, Signal>,
    start: Signal,
    count: number,
    row: Signal | undefined,
  ) => {
    const engines = Array.from({ length: count }, (_, j) =>
      m.instance(module, count === 1 ? name : `${name}_row${j}`, {
        ...inputs,
        start: count === 1 ? start : start.and(row!.eq(j)).named(`${name}_row${j}_start`),
      }),
    );
    const out: Record<string, Signal> = {};
    for (const port of Object.keys(engines[0]!).filter((q) => q !== 'done'))
      out[port] = engines
        .slice(1)
        .reduce((value, engine) => mux(engine.done!, engine[port]!, value), engines[0]![port]!);
    return { out, valid: engines.map((e) => e.done!).reduce((a, b) => a.or(b)) };
  };

  // The row sums, and the output buffer: a finished block's results, in the output format until they leave.
  // Row r of slot b is entry b·P + r (interleaved: a row sum and a result per block in flight).
  const slotted = (name: string, r: number, b: number) => (I > 1 ? `${name}${r}_b${b}_q` : `${name}${r}_q`);
  const accs = Array.from({ length: I * P }, (_, e) =>
    m.register(slotted('acc', e % P, Math.floor(e / P)), UInt(32)),
  );
  const yBits =
    close.convert === undefined ? 32 : close.convert.ports.find((q) => q.name === 'y')!.type.width;
  const results = Array.from({ length: I * P }, (_, e) =>
    m.register(slotted('y', e % P, Math.floor(e / P)), UInt(yBits)),
  );
  const slots = Array.from({ length: I }, (_, b) => b);
  const units = Math.ceil(P / R);
  for (let u = 0; u < units; u++) {
    const rows = Array.from({ length: R }, (_, j) => u * R + j).filter((r) => r < P);
    const pick = (values: Signal[], by: Signal | undefined) =>
      values.length === 1 || by === undefined ? values[0]! : select(by, values);
    const entry = pick(
      rows.map((r) => metaClose.slice((r + 1) * meta.bits - 1, r * meta.bits)),
      stepRow,
    );
    const scaleInputs = {
      dot: pick(
        rows.map((r) => sums[r]!.dot),
        stepRow,
      ),
      act: closeAct,
      bad: pick(
        rows.map((r) => sums[r]!.bad),
        stepRow,
      ),
      s: entry.slice(meta.scaleBits - 1, 0),
      ...(xScaleClose === undefined ? {} : { sa: xScaleClose }),
      ...(meta.zeroBits ? { z: entry.slice(meta.scaleBits + meta.zeroBits - 1, meta.scaleBits) } : {}),
      ...(groupExp === undefined ? {} : { exp: groupExp }),
    };
    const scaled =
      serialScale === undefined
        ? kernel(close.scale, `scale${u}`, scaleInputs, closeStep)
        : serialScaleSteps(close.scale, `scale${u}`, scaleInputs, closeStep, rows.length, stepRow);
    const product: Record<string, Signal> = {};
    for (const [port, value] of Object.entries(scaled.out)) {
      if (port === 'out_valid') continue;
      const held = m.register(`${port.replace('product_', `product${u}_`)}_c${sumAt}`, value.type);
      held.next(value, { when: scaled.valid });
      product[port] = held;
    }
    const summed = kernel(
      close.sum,
      `sum${u}`,
      {
        ...product,
        acc: pick(
          rows.map((r) =>
            I > 1
              ? select(
                  slotAt!(sumAt),
                  slots.map((b) => accs[b * P + r]!),
                )
              : accs[r]!,
          ),
          rowAt?.(sumAt),
        ),
        first: firstAt(sumAt),
      },
      validAt(sumAt),
    );
    const accNext = summed.out.acc_next!;
    rows.forEach((r, j) =>
      slots.forEach((b) =>
        accs[b * P + r]!.next(accNext, { when: inSlot(summed.valid.and(mine(writeAt, j)), writeAt, b) }),
      ),
    );
    const resultWrite = (r: number, j: number, value: Signal) =>
      slots.forEach((b) =>
        results[b * P + r]!.next(value, {
          when: inSlot(resultLoad.and(mine(resultAt, j)), resultAt, b),
        }),
      );
    if (close.convert === undefined || lat.convert === 0) {
      const y =
        close.convert === undefined ? accNext : m.instance(close.convert, `convert${u}`, { acc: accNext }).y!;
      rows.forEach((r, j) => resultWrite(r, j, y));
      continue;
    }
    // A block's final sums go on to the output conversion, one row per cycle.
    const finalSum = m.register(`final${u}_c${writeAt + 1}`, UInt(32));
    finalSum.next(accNext, { when: summed.valid.and(finalAt(writeAt)) });
    const converted = kernel(
      close.convert,
      `convert${u}`,
      { acc: finalSum },
      validAt(writeAt + 1).and(finalAt(writeAt + 1)),
    );
    rows.forEach((r, j) => resultWrite(r, j, converted.out.y!));
  }

  // Output stream: the finished block's rows, one per beat.
  const finalBlock = m.register('out_final_q', UInt(1), { reset: 0 });
  finalBlock.next(jobDoneAt(resultAt), { when: emit });
  const yBeat = outPending.and(yReady).named('y_beat');
  outLeft.next(mux(emit, rowsAt(resultAt), mux(yBeat, outLeft.sub(1, { width: outBits }), outLeft)));
  outIndex.next(
    mux(emit, m.constant(0, outIndex.type), mux(yBeat, outIndex.add(1, { width: outIndex.width }), outIndex)),
  );

  m.output('x_tready', xTake, 'x beat taken');
  m.output('w_tready', wTake, 'weight beat taken');
  m.output('s_tready', sTake, 'scale beat taken');
  const yData = (results.length === 1 ? results[0]! : select(outIndex, results)).named('y_element');
  m.output('y_tdata', yData, `${p.outFormat} element of y`);
  m.output('y_tvalid', outPending);
  m.output('y_tlast', finalBlock.and(outLastIndex), 'on the last element of y');
  m.output('busy', idle.not(), 'a job is running');
  m.output('done', done, 'one cycle at the end of a job (also a rejected one)');
  m.output('error', errorQ, 'the last job failed: see status (held until the next start)');
  m.output(
    'status',
    status,
    '0 ok, 1 bad K, 2 bad N, 3 x tlast misplaced, 4 w tlast misplaced, 5 s tlast misplaced',
  );
  return m.build();
}

/** The rows' group selectors (sv, dtype) from a scale beat. */
function selectorBits(metaWord: Signal, rows: number, meta: ReturnType<typeof metaLayout>): Signal {
  const parts: Signal[] = [];
  for (let r = rows - 1; r >= 0; r--) {
    const lo = r * meta.bits + meta.scaleBits + meta.zeroBits;
    parts.push(metaWord.slice(lo + meta.svBits - 1, lo));
  }
  return parts.length === 1 ? parts[0]! : cat(...parts);
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
