// The numbers a GEMV core's blocks agree on (widths, stage counts, close timing), worked out once from
// its parameters, and what each block needs of its kernels.
import { unsignedBits } from '../arith/widths.ts';
import type { Module } from '../hdl/ir.ts';
import { activationBits, activationScaleBits, MIXED_ACTIVATION } from './activation.ts';
import { serialScaleCycles } from './close.ts';
import {
  chunkPasses,
  closeSteps,
  gemvKernels,
  gemvModuleName,
  gemvShape,
  metaLayout,
  type GemvParams,
} from './gemv.ts';

export type CoreLayout = ReturnType<typeof coreLayout>;

export function coreLayout(p: GemvParams) {
  const shape = gemvShape(p);
  const { group, activationScale } = shape;
  const kernels = gemvKernels(p);
  const P = p.rows;
  const S = p.lanes;
  const I = p.interleave;
  const ab = activationBits(p.activation);
  const mixed = p.activation === MIXED_ACTIVATION;
  // Per-group activation scales ride on the x beat above its codes (and into the buffer with them); a
  // mixed core's x beat holds its group's int8 flag above the codes (read on the group's first beat).
  const xScaleBits = activationScale === undefined ? 0 : activationScaleBits(activationScale);
  const xGroupScale = activationScale?.kind === 'group';
  const flagBits = mixed ? 1 : 0;
  const groupChunks = group / S;
  const chunkBits = unsignedBits(Math.ceil(p.maxK / S));
  // Each kernel's stages as built (the parameters ask for them; the kernels say what they hold).
  const stages = (kernel: Module | undefined) =>
    kernel?.timing.kind === 'pipelined' ? kernel.timing.latency : 0;
  // A serial scale product's cycles count as its stages: its out_valid comes that much later.
  const serialScale = p.serialScale
    ? serialScaleCycles({ scale: shape.scale, activationScale: activationScale?.format })
    : undefined;
  const lat = {
    chunk: stages(kernels.chunk),
    scale: serialScale ?? stages(kernels.scale),
    sum: stages(kernels.sum),
    convert: stages(kernels.convert),
  };
  // Close units serve R rows in turn, one close step per row. A row's sum comes back to the sum kernel
  // A = sumLatency + 1 cycles after it entered, so a unit starts a group's close at most every
  // T = max(R, A) cycles (steps R … T − 1 issue nothing); a group's last chunk issues T cycles after
  // the one before at the soonest. Interleaved blocks (R = 1) close a group every cycle; a block's
  // visits are A cycles apart at the soonest instead. A serial scale product takes a start only once
  // its product is out: every serialScale cycles.
  const R = closeSteps(p);
  const T = I > 1 ? 1 : Math.max(R, lat.sum + 1, serialScale ?? 0);
  // After stage 2 the close runs on without stalls, a step through the cycles of the close pipeline:
  // the scale product (scaleLatency + 1 cycles), the row sum (sumLatency), and for a block's last
  // group the output conversion (a register and convertLatency) into the output buffer. An
  // unpipelined conversion converts the new sum in its own cycle (no register before it).
  const sumAt = lat.scale + 1;
  const writeAt = sumAt + lat.sum;
  const resultAt = writeAt + (p.outFormat === 'fp32' || lat.convert === 0 ? 0 : 1 + lat.convert);
  const convert = kernels.convert;
  // Stage 1 keeps a chunk for several cycles: an int8 group's two nibble passes, or a bit-serial core's
  // passes. Then, and with groups of several chunks, a chunk may or may not open its group.
  const passes = chunkPasses(p);
  const splitStage1 = kernels.nibbles !== undefined || passes !== 1;
  return {
    name: gemvModuleName(p),
    shape,
    kernels,
    meta: metaLayout(p),
    P,
    S,
    I,
    ab,
    mixed,
    xScaleBits,
    xGroupScale,
    flagBits,
    xBeatBits: S * ab + flagBits + (xGroupScale ? xScaleBits : 0),
    groupChunks,
    kBits: unsignedBits(p.maxK) + 1,
    nBits: unsignedBits(p.maxN) + 1,
    chunkBits,
    laneBits: unsignedBits(S),
    rowBits: unsignedBits(p.maxN),
    countBits: Math.max(chunkBits, unsignedBits(groupChunks)) + 1,
    slotBits: unsignedBits(I - 1),
    // The output buffer holds a set's results: I blocks of P rows.
    outBits: unsignedBits(I * P),
    passes,
    splitStage1,
    firstPass: splitStage1 || groupChunks > 1,
    serialScale,
    lat,
    R,
    T,
    units: Math.ceil(P / R),
    sumAt,
    writeAt,
    resultAt,
    yBits: convert === undefined ? 32 : convert.ports.find((q) => q.name === 'y')!.type.width,
  };
}
