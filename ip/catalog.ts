/**
 * The IP catalog: named, documented presets of generators. `bitsmith build` generates and verifies
 * every entry; `bitsmith gen <name>` one of them.
 */
export interface CatalogEntry {
  /** IP name: the folder under out/ and the name on the command line. */
  name: string;
  generator: string;
  params: Record<string, unknown>;
  description: string;
  /** Extra seeded random vectors run in Verilator only (issue: ≥ 1,000,000 for 16- and 32-bit float units). */
  verilatorRandom?: number;
  /** The devices whose Fmax the baselines record (default: iCE40 HX8K and ECP5-85 at speed 6 and 8). */
  fmaxDevices?: readonly ('ice40' | 'ecp5' | 'ecp5-8')[];
  /** The targets whose area the baselines record (default: ice40, ecp5 and xc7). */
  areaTargets?: readonly ('ice40' | 'ecp5' | 'xc7')[];
}

/**
 * The GEMV cores are larger than any iCE40: their Fmax is recorded for the whole core on the ECP5-85
 * at speed 6 (one place and route takes 10–25 minutes on a 2-core machine; `bitsmith synth <ip>
 * --target ecp5 --pnr` measures it, `npm run bench -- gemv` each kernel).
 */
const GEMV_FMAX_DEVICES = ['ecp5'] as const;

/**
 * The GEMV kernels' pipelines: the chunk's products in LUTs (shifts and adds: a DSP block between
 * fabric registers caps an ECP5 near 120 MHz) in 5 stages (the first takes the x word from the block RAM),
 * the scale product in 5 (the first takes the close unit's selected row), the row sum in 11 (its loop
 * spans 12 cycles, within a 128-element group's 16 chunks) and the conversion in 5.
 */
const GEMV_PIPELINE = {
  multipliers: 'luts',
  chunkLatency: 5,
  scaleLatency: 5,
  sumLatency: 11,
  convertLatency: 5,
} as const;
/**
 * The shape of the W4A16 and RaZeR cores: fp16 activations, groups of 128, 4 rows × 8 elements. A group
 * spans 16 chunks, so the row sum takes all 13 stages (its alignment shift and leading-zero count cut
 * in two; a 14-cycle loop). The chunk's sixth stage splits the fp16 activations' placing shifts.
 */
const GEMV_FP16_G128_P4S8 = {
  activation: 'fp16',
  group: 128,
  rows: 4,
  lanes: 8,
  outFormat: 'fp16',
  ...GEMV_PIPELINE,
  chunkLatency: 6,
  sumLatency: 13,
} as const;
/**
 * Cores whose groups are one chunk (MX, NVFP4) close a group per row every cycle: they interleave 16
 * blocks of rows, so that a row's next group comes 16 cycles later and the row sum's loop can take all
 * 15 stages (the last registers the sum, which goes to 16 blocks' registers). With shift-and-add
 * products (no DSP blocks) they have 2 rows: at 4 rows neither was placed and routed within 30 minutes
 * here, and the MXFP4 core took 69% of the ECP5-85's logic.
 */
const GEMV_PIPELINE_R1 = { ...GEMV_PIPELINE, rows: 2, interleave: 16, sumLatency: 15 } as const;

/**
 * The table-lookup and bit-serial GEMV cores (docs/lut-gemv.md, docs/bitserial-gemv.md): the W4A16
 * shape without multipliers, tables of g = 2
 * activations (at 4 rows the smallest of g = 1, 2, 4 and 4 mirrored, generators/mpgemm/README.md). The
 * chunk's fifth stage takes the x word from the block RAM; fp16 activations add the split placing
 * shift and a cut after the tables.
 */
const { multipliers: _shiftAdd, ...LUT_GEMV_FP16_P4S8_BASE } = GEMV_FP16_G128_P4S8;
const LUT_GEMV_FP16_P4S8 = { ...LUT_GEMV_FP16_P4S8_BASE, chunkLatency: 7, scaleLatency: 6 } as const;
/** The int8 shape (W4A8's): per-token fp16 activation scale, the chunk's fifth stage at the block RAM. */
const LUT_GEMV_INT8_P4S8_SHAPE = {
  ...LUT_GEMV_FP16_P4S8_BASE,
  activation: 'int8',
  activationScale: 'token',
  chunkLatency: 5,
} as const;
const LUT_GEMV_INT8_P4S8 = { ...LUT_GEMV_INT8_P4S8_SHAPE, g: 2 } as const;

export const CATALOG: readonly CatalogEntry[] = [
  {
    name: 'mul_int8_s',
    generator: 'int_mul',
    params: { aWidth: 8, bWidth: 8, aSigned: true, bSigned: true, latency: 1 },
    description: 'INT8×INT8 signed multiplier, 16-bit product, registered output',
  },
  {
    name: 'mul_int4_u_comb',
    generator: 'int_mul',
    params: { aWidth: 4, bWidth: 4, aSigned: false, bSigned: false, latency: 0 },
    description: 'UINT4×UINT4 combinational multiplier, 8-bit product',
  },
  {
    name: 'mac_int4_s_acc16',
    generator: 'int_mac',
    params: {
      aWidth: 4,
      bWidth: 4,
      aSigned: true,
      bSigned: true,
      accWidth: 16,
      overflow: 'wrap',
      latency: 2,
    },
    description: 'INT4×INT4 signed multiply-accumulate into a 16-bit accumulator, product registered',
  },
  {
    name: 'mac_int4_u_acc16',
    generator: 'int_mac',
    params: {
      aWidth: 4,
      bWidth: 4,
      aSigned: false,
      bSigned: false,
      accWidth: 16,
      overflow: 'wrap',
      latency: 2,
    },
    description: 'UINT4×UINT4 multiply-accumulate into a 16-bit accumulator, product registered',
  },
  {
    name: 'mac_int8_s_acc32',
    generator: 'int_mac',
    params: {
      aWidth: 8,
      bWidth: 8,
      aSigned: true,
      bSigned: true,
      accWidth: 32,
      overflow: 'wrap',
      latency: 2,
    },
    description: 'INT8×INT8 signed multiply-accumulate into a 32-bit accumulator, product registered',
  },
  {
    name: 'mac_int8_u_acc32',
    generator: 'int_mac',
    params: {
      aWidth: 8,
      bWidth: 8,
      aSigned: false,
      bSigned: false,
      accWidth: 32,
      overflow: 'wrap',
      latency: 2,
    },
    description: 'UINT8×UINT8 multiply-accumulate into a 32-bit accumulator, product registered',
  },
  {
    name: 'mac_int8_s_acc20_sat_rdy',
    generator: 'int_mac',
    params: {
      aWidth: 8,
      bWidth: 8,
      aSigned: true,
      bSigned: true,
      accWidth: 20,
      overflow: 'saturate',
      latency: 3,
      ready: true,
    },
    description:
      'INT8×INT8 signed MAC, 20-bit saturating accumulator (exact for 16 products), valid/ready, latency 3',
  },
  {
    name: 'fp_mul_e4m3fn',
    generator: 'fp_mul',
    params: { aFormat: 'e4m3fn', bFormat: 'e4m3fn', outFormat: 'e4m3fn', flags: true, latency: 3 },
    description: 'OCP FP8 E4M3 multiplier, subnormals kept, RNE, saturating, IEEE flags',
  },
  {
    name: 'fp_mul_e5m2',
    generator: 'fp_mul',
    params: { aFormat: 'e5m2', bFormat: 'e5m2', outFormat: 'e5m2', flags: true, latency: 3 },
    description: 'OCP FP8 E5M2 multiplier, subnormals kept, RNE, saturating, IEEE flags',
  },
  {
    name: 'fp_mul_e4m3fn_fp32',
    generator: 'fp_mul',
    params: { aFormat: 'e4m3fn', bFormat: 'e4m3fn', outFormat: 'fp32', latency: 2 },
    description: 'E4M3 × E4M3 → FP32, the exact product (no rounding occurs)',
  },
  {
    name: 'fp_mul_fp16',
    generator: 'fp_mul',
    params: { aFormat: 'fp16', bFormat: 'fp16', outFormat: 'fp16', flags: true, latency: 6 },
    description: 'IEEE binary16 multiplier with flags, checked against TestFloat f16_mul',
    verilatorRandom: 1_000_000,
  },
  {
    name: 'fp_mul_bf16',
    generator: 'fp_mul',
    params: { aFormat: 'bf16', bFormat: 'bf16', outFormat: 'bf16', flags: true, latency: 6 },
    description: 'bfloat16 multiplier with subnormals and IEEE flags',
    verilatorRandom: 1_000_000,
  },
  {
    name: 'fp_mul_fp32',
    generator: 'fp_mul',
    params: { aFormat: 'fp32', bFormat: 'fp32', outFormat: 'fp32', flags: true, latency: 8 },
    description: 'IEEE binary32 multiplier with flags, checked against TestFloat f32_mul',
    verilatorRandom: 1_000_000,
  },
  {
    name: 'lmul_bf16_m3',
    generator: 'lmul',
    params: { format: 'bf16', m: 3, latency: 1 },
    description: 'L-Mul on BF16 with operands rounded to 3 mantissa bits: one integer adder',
    verilatorRandom: 1_000_000,
  },
  {
    name: 'lmul_bf16_m4',
    generator: 'lmul',
    params: { format: 'bf16', m: 4, latency: 1 },
    description:
      'L-Mul on BF16 with operands rounded to 4 mantissa bits (comparable to FP8 E4M3, docs/lmul.md#error-statistics)',
    verilatorRandom: 1_000_000,
  },
  {
    name: 'lmul_fp16',
    generator: 'lmul',
    params: { format: 'fp16', latency: 1 },
    description: 'L-Mul on FP16 with the full 10-bit mantissa',
    verilatorRandom: 1_000_000,
  },
  {
    name: 'lmul_e4m3fn',
    generator: 'lmul',
    params: { format: 'e4m3fn', latency: 1 },
    description: 'L-Mul on OCP FP8 E4M3 (docs/lmul.md#policy: FTZ, saturate)',
  },
  {
    name: 'reconf_mul_bf16',
    generator: 'reconf_mul',
    params: { format: 'bf16', widths: [7, 4, 3], kinds: ['exact', 'lmul'], latency: 8 },
    description:
      'BF16 multiplier whose mantissa width (7, 4 or 3) and exact or L-Mul product are chosen per operation',
    verilatorRandom: 1_000_000,
  },
  {
    name: 'fp8_mul_multi',
    generator: 'multi_fp_mul',
    params: { formats: ['e4m3fn', 'e5m2'], latency: 3 },
    description: 'One FP8 multiplier datapath for E4M3 and E5M2, selected per operation',
  },
  {
    name: 'mac_e4m3fn_fp32',
    generator: 'fp_mac',
    params: {
      aFormat: 'e4m3fn',
      bFormat: 'e4m3fn',
      accumulator: 'kulisch',
      k: 4096,
      accFormat: 'fp32',
      latency: 11,
    },
    description:
      'E4M3 × E4M3 products summed exactly (up to 4,096 of them: a 49-bit long accumulator in 16-bit carry-save segments) and rounded once to FP32 when read, II = 1',
  },
  {
    name: 'mac_e4m3fn_kulisch32',
    generator: 'fp_mac',
    params: {
      aFormat: 'e4m3fn',
      bFormat: 'e4m3fn',
      accumulator: 'kulisch',
      k: 32,
      accFormat: 'fp32',
      latency: 8,
    },
    description:
      'E4M3 products summed exactly in a 42-bit Kulisch accumulator (k = 32, 16-bit carry-save segments), rounded to FP32 when read',
  },
  {
    name: 'mac_e2m1_kulisch32',
    generator: 'fp_mac',
    params: {
      aFormat: 'e2m1fn',
      bFormat: 'e2m1fn',
      accumulator: 'kulisch',
      k: 32,
      accFormat: 'fp32',
      latency: 6,
    },
    description:
      'FP4 (E2M1) products summed exactly in a 14-bit Kulisch accumulator (k = 32), rounded to FP32 when read',
  },
  {
    name: 'mac_lmul_bf16_fp32',
    generator: 'fp_mac',
    params: {
      aFormat: 'bf16',
      bFormat: 'bf16',
      product: 'lmul',
      accumulator: 'kulisch',
      k: 32,
      accFormat: 'fp32',
      latency: 17,
    },
    description:
      'L-Mul BF16 products (one adder each) summed exactly (up to 32 of them: a 267-bit long accumulator in 16-bit carry-save segments) and rounded once to FP32 when read, II = 1',
  },
  {
    name: 'fma_fp16',
    generator: 'fp_mac',
    params: {
      aFormat: 'fp16',
      bFormat: 'fp16',
      accFormat: 'fp16',
      accumulator: 'none',
      flags: true,
      latency: 15,
    },
    description:
      'FP16 fused multiply-add round(a·b + c) with flags, fully pipelined, checked against TestFloat f16_mulAdd',
  },
  {
    name: 'fma_fp32',
    generator: 'fp_mac',
    params: {
      aFormat: 'fp32',
      bFormat: 'fp32',
      accFormat: 'fp32',
      accumulator: 'none',
      flags: true,
      latency: 16,
    },
    description:
      'FP32 fused multiply-add round(a·b + c) with flags, fully pipelined, checked against TestFloat f32_mulAdd',
  },
  {
    name: 'dot8_e4m3fn_fp32',
    generator: 'dot',
    params: { aFormat: 'e4m3fn', bFormat: 'e4m3fn', lanes: 8, sum: 'exact', outFormat: 'fp32', latency: 9 },
    description: '8-lane E4M3 dot product, summed exactly and rounded once to FP32',
    verilatorRandom: 100_000,
  },
  {
    name: 'dot32_e4m3fn_fp32',
    generator: 'dot',
    params: { aFormat: 'e4m3fn', bFormat: 'e4m3fn', lanes: 32, sum: 'exact', outFormat: 'fp32', latency: 11 },
    description: '32-lane E4M3 dot product (an OCP MX block), summed exactly and rounded once to FP32',
    verilatorRandom: 100_000,
  },
  {
    name: 'mx_dot_nvfp4_bf16',
    generator: 'mx_dot',
    params: { aFormat: 'nvfp4', bFormat: 'nvfp4', outFormat: 'bf16', latency: 8 },
    description:
      'NVFP4 × NVFP4 block dot product: 16 E2M1 pairs summed exactly, times both E4M3 block scales, rounded once to BF16',
    verilatorRandom: 100_000,
  },
  {
    name: 'mx_dot_nvfp4_fp32_acc',
    generator: 'mx_dot',
    params: { aFormat: 'nvfp4', bFormat: 'nvfp4', outFormat: 'fp32', accumulate: 'exact', latency: 15 },
    description:
      'NVFP4 DotGeneral: each pair of 16-element NVFP4 blocks summed exactly and multiplied by both E4M3 scales, every pair since clear held exactly in a 64-bit accumulator, rounded once to FP32 each cycle',
  },
  {
    name: 'mac_w4a16_g128',
    generator: 'mixed_mac',
    params: {
      weight: 'uint4',
      activation: 'fp16',
      group: 128,
      scale: 'fp16',
      outFormat: 'fp32',
      latency: 24,
    },
    description:
      'W4A16 MAC: asymmetric INT4 weights (AWQ zero point) × FP16 activations, exact group sums, FP16 group scale, FP32 accumulation',
  },
  {
    name: 'mac_sf4_fp16_g128',
    generator: 'mixed_mac',
    params: { weight: 'sf4', activation: 'fp16', group: 128, scale: 'fp16', outFormat: 'fp32', latency: 28 },
    description:
      'SF4 (Student Float, ν = 5: the llm-datatypes float32 constants) weights × FP16 activations: the exact value of each code looked up and multiplied, exact group sums, FP16 group scale, FP32 accumulation',
  },
  {
    name: 'mac_fp4_range_fp16_g128',
    generator: 'mixed_mac',
    params: {
      weight: 'fp4_range',
      activation: 'fp16',
      group: 128,
      scale: 'fp16',
      outFormat: 'fp32',
      latency: 27,
    },
    description:
      'E2M1 weights with a supernormal: the −0 code holds +8 (FP4 super-range), × FP16 activations, exact group sums, FP16 group scale, FP32 accumulation',
  },
  {
    name: 'mac_bitmod_fp16_g128',
    generator: 'mixed_mac',
    params: {
      weight: 'bitmod',
      activation: 'fp16',
      group: 128,
      scale: 'fp16',
      outFormat: 'fp32',
      latency: 26,
    },
    description:
      'BitMoD mixed FP4 weights: a 2-bit dtype per group picks er_pos, er_neg, ea_pos or ea_neg (the value of the −0 code), × FP16 activations, exact group sums, FP16 group scale, FP32 accumulation',
  },
  {
    name: 'mac_apot4_fp16_g128',
    generator: 'mixed_mac',
    params: {
      weight: 'apot4',
      activation: 'fp16',
      group: 128,
      scale: 'fp16',
      outFormat: 'fp32',
      latency: 28,
    },
    description:
      'APoT4 (additive powers of two, the llm-datatypes float32 list) weights × FP16 activations, exact group sums, FP16 group scale, FP32 accumulation',
  },
  {
    name: 'mac_int6_fp16_g128',
    generator: 'mixed_mac',
    params: { weight: 'int6', activation: 'fp16', group: 128, scale: 'fp16', outFormat: 'fp32', latency: 27 },
    description: 'INT6 weights × FP16 activations, exact group sums, FP16 group scale, FP32 accumulation',
  },
  {
    name: 'mac_e3m2_fp16_g128',
    generator: 'mixed_mac',
    params: {
      weight: 'e3m2fn',
      activation: 'fp16',
      group: 128,
      scale: 'fp16',
      outFormat: 'fp32',
      latency: 27,
    },
    description:
      'FP6 E3M2 weights (OCP, no Inf or NaN) × FP16 activations, exact group sums, FP16 group scale, FP32 accumulation',
  },
  {
    name: 'dequant_int4_awq_fp16x8',
    generator: 'dequant',
    params: {
      format: 'uint4',
      zeroPoint: 'uint4',
      packing: 'awq',
      groupSize: 128,
      lanes: 8,
      scale: 'fp16',
      outFormat: 'fp16',
      latency: 8,
    },
    description:
      'W4A16 dequantizer (AWQ): uint4 codes in AutoAWQ interleaved order, group 128 with FP16 scale and uint4 zero point, (q − z)·s → FP16, 8 lanes',
    verilatorRandom: 80_000,
  },
  {
    name: 'dequant_int4_gptq_fp16x8',
    generator: 'dequant',
    params: {
      format: 'uint4',
      zeroPoint: 'uint4',
      packing: 'sequential',
      groupSize: 128,
      lanes: 8,
      scale: 'fp16',
      outFormat: 'fp16',
      latency: 8,
    },
    description:
      'W4A16 dequantizer (GPTQ): uint4 codes in sequential order, group 128 with FP16 scale and uint4 zero point, (q − z)·s → FP16, 8 lanes',
    verilatorRandom: 80_000,
  },
  {
    name: 'dequant_mxfp4_bf16x32',
    generator: 'dequant',
    params: { format: 'mxfp4', lanes: 32, outFormat: 'bf16', latency: 2 },
    description:
      'OCP MXFP4 block dequantizer: 32 E2M1 codes × their E8M0 scale → BF16, one block per cycle (exponent add only)',
    verilatorRandom: 80_000,
  },
  {
    name: 'quantize_mxfp4_bf16',
    generator: 'quantize',
    params: { format: 'mxfp4', inFormat: 'bf16', latency: 4 },
    description:
      'OCP MXFP4 activation quantizer: 32 BF16 values → E8M0 scale + 32 E2M1 codes per cycle (OCP Algorithm 1, RNE, clamping)',
  },
  {
    name: 'quantize_mxfp8_e4m3_fp32',
    generator: 'quantize',
    params: { format: 'mxfp8_e4m3', inFormat: 'fp32', latency: 3 },
    description:
      'OCP MXFP8 (E4M3) activation quantizer: 32 FP32 values → E8M0 scale + 32 E4M3 codes per cycle, subnormal inputs kept',
  },
  {
    name: 'dequant_nvfp4_fp16x16',
    generator: 'dequant',
    params: { format: 'nvfp4', tensorScale: true, lanes: 16, outFormat: 'fp16', latency: 10, ready: true },
    description:
      'NVFP4 block dequantizer: 16 E2M1 codes × E4M3 block scale × FP32 tensor scale → FP16 (one rounding), valid/ready',
    verilatorRandom: 80_000,
  },
  {
    name: 'dequant_razer_fp4_fp16x8',
    generator: 'dequant',
    params: {
      format: 'razer_kernel',
      groupSize: 128,
      lanes: 8,
      scale: 'fp16',
      outFormat: 'fp16',
      latency: 7,
    },
    description:
      "RaZeR FP4 (v1 GEMV kernel layout): 8 codes, the group's 2-bit special-value index (±5, ±8) and FP16 scale → FP16",
    verilatorRandom: 80_000,
  },
  {
    name: 'dequant_nf4_fp16x8',
    generator: 'dequant',
    params: { format: 'nf4', groupSize: 64, lanes: 8, scale: 'fp16', outFormat: 'fp16', latency: 9 },
    description: 'NF4 (QLoRA float32 code table) × FP16 block scale → FP16, one rounding, 8 lanes',
    verilatorRandom: 80_000,
  },
  {
    name: 'dequant_e4m3fn_bf16x4',
    generator: 'dequant',
    params: { format: 'e4m3fn', lanes: 4, scale: 'bf16', outFormat: 'bf16', latency: 8 },
    description: 'FP8 E4M3 weights × BF16 group scale → BF16, 4 lanes',
    verilatorRandom: 80_000,
  },
  {
    name: 'dequant_mxint8_fp32x4',
    generator: 'dequant',
    params: { format: 'mxint8', lanes: 4, outFormat: 'fp32', latency: 7 },
    description:
      'OCP MXINT8 dequantizer: int8·2^-6 codes × E8M0 scale → FP32 (exact unless subnormal), 4 lanes',
    verilatorRandom: 80_000,
  },
  {
    name: 'gemv_w4a16_g128_p4s8',
    generator: 'gemv',
    fmaxDevices: GEMV_FMAX_DEVICES,
    // The zero point's term z·Σ a takes a sixth stage in the scale product.
    params: { weight: 'uint4', ...GEMV_FP16_G128_P4S8, scaleLatency: 6 },
    description:
      'W4A16 GEMV: asymmetric INT4 weights (uint4 zero point, FP16 scale per 128) × FP16 x, 4 rows × 8 elements per cycle, K and N up to 4096',
  },
  {
    name: 'gemv_w4a8_g128_p4s8',
    generator: 'gemv',
    fmaxDevices: GEMV_FMAX_DEVICES,
    params: {
      weight: 'uint4',
      ...GEMV_FP16_G128_P4S8,
      activation: 'int8',
      activationScale: 'token',
      scaleLatency: 6,
    },
    description:
      'W4A8 GEMV: asymmetric INT4 weights (uint4 zero point, FP16 scale per 128) × INT8 x with an FP16 per-token scale, both scales applied exactly once per group, 4 rows × 8 elements per cycle, K and N up to 4096',
  },
  {
    name: 'gemv_razer_fp16_p4s8',
    generator: 'gemv',
    fmaxDevices: GEMV_FMAX_DEVICES,
    // Weights of up to 5 magnitude bits (the special values ±8 are 16 units of ½): a seventh chunk
    // stage inside the shift-and-add products.
    params: { weight: 'razer', ...GEMV_FP16_G128_P4S8, chunkLatency: 7 },
    description:
      'RaZeR FP4 GEMV: E2M1 with per-group special value (±5, ±8) and FP16 scale × FP16 x, 4 rows × 8 elements per cycle',
  },
  {
    name: 'gemv_mxfp4_bf16_p1s32',
    generator: 'gemv',
    fmaxDevices: GEMV_FMAX_DEVICES,
    // The block's largest exponent, the alignment of its 32 activations and the adder trees (cut twice)
    // take the chunk's 15 stages.
    params: {
      weight: 'mxfp4',
      activation: 'bf16',
      lanes: 32,
      outFormat: 'bf16',
      ...GEMV_PIPELINE_R1,
      // One row: at 2 rows (33,400 cells, 40% of the device) placement stretched paths to 88–94 MHz.
      rows: 1,
      chunkLatency: 15,
      scaleLatency: 6,
    },
    description:
      'MXFP4 GEMV: E2M1 with an E8M0 scale per 32 × BF16 x (each block aligned on its largest exponent, 24 bits), 1 row × 32 elements per cycle, 16 blocks of rows interleaved',
  },
  {
    name: 'gemv_nvfp4_fp16_p2s16',
    generator: 'gemv',
    fmaxDevices: GEMV_FMAX_DEVICES,
    // The fp16 activations' placing shifts split as in the W4A16 core.
    params: {
      weight: 'nvfp4',
      activation: 'fp16',
      lanes: 16,
      outFormat: 'fp16',
      ...GEMV_PIPELINE_R1,
      chunkLatency: 6,
    },
    description:
      'NVFP4 GEMV: E2M1 with an E4M3 scale per 16 × FP16 x, 2 rows × 16 elements per cycle, 16 blocks of rows interleaved (the FP32 tensor scale is left to the consumer)',
  },
  {
    name: 'lut_gemv_w1a8_g128_p4s8',
    generator: 'lut_gemv',
    fmaxDevices: GEMV_FMAX_DEVICES,
    params: { wBits: 1, weightCoding: 'odd', ...LUT_GEMV_INT8_P4S8 },
    description:
      'W1A8 table-lookup GEMV (T-MAC): ±1 weights (FP16 scale per 128) × INT8 x with an FP16 per-token scale, tables of 2 activations, no multiplier in the datapath, 4 rows × 8 elements per cycle',
  },
  {
    name: 'lut_gemv_w2a8_g128_p4s8',
    generator: 'lut_gemv',
    fmaxDevices: GEMV_FMAX_DEVICES,
    params: { wBits: 2, weightCoding: 'uint', ...LUT_GEMV_INT8_P4S8, scaleLatency: 6 },
    description:
      'W2A8 table-lookup GEMV (T-MAC): asymmetric INT2 weights (uint2 zero point, FP16 scale per 128) × INT8 x with an FP16 per-token scale, tables of 2 activations, 4 rows × 8 elements per cycle',
  },
  {
    name: 'lut_gemv_w4a8_g128_p4s8',
    generator: 'lut_gemv',
    fmaxDevices: GEMV_FMAX_DEVICES,
    // Four planes: a seventh chunk stage after the tables (the fifth and sixth hold no logic here).
    params: { wBits: 4, weightCoding: 'uint', ...LUT_GEMV_INT8_P4S8, scaleLatency: 6, chunkLatency: 7 },
    description:
      'W4A8 table-lookup GEMV (T-MAC): asymmetric INT4 weights (uint4 zero point, FP16 scale per 128) × INT8 x with an FP16 per-token scale, four bit planes into tables of 2 activations, 4 rows × 8 elements per cycle',
  },
  {
    name: 'lut_gemv_w2a16_g128_p4s8',
    generator: 'lut_gemv',
    fmaxDevices: GEMV_FMAX_DEVICES,
    params: { wBits: 2, weightCoding: 'uint', g: 2, ...LUT_GEMV_FP16_P4S8 },
    description:
      'W2A16 table-lookup GEMV (T-MAC): asymmetric INT2 weights (uint2 zero point, FP16 scale per 128) × FP16 x (exact tables), tables of 2 activations, 4 rows × 8 elements per cycle',
  },
  {
    name: 'lut_gemv_w2a16_t8_g128_p4s8',
    generator: 'lut_gemv',
    fmaxDevices: GEMV_FMAX_DEVICES,
    // An eighth chunk stage between the tables' rounding and the lookups.
    params: {
      wBits: 2,
      weightCoding: 'uint',
      g: 2,
      tableFormat: 'int8',
      ...LUT_GEMV_FP16_P4S8,
      chunkLatency: 8,
    },
    description:
      'W2A16 table-lookup GEMV with int8 tables (T-MAC quantized tables): as lut_gemv_w2a16_g128_p4s8, each entry rounded to ±127 units of a power-of-two scale per chunk, 8-bit lookups',
  },
  {
    name: 'bitserial_gemv_bitmod_fp16_p4s8',
    generator: 'bitserial_gemv',
    fmaxDevices: GEMV_FMAX_DEVICES,
    // A seventh chunk stage between each weight's decoded term and its shifted activation.
    params: { weight: 'bitmod', ...LUT_GEMV_FP16_P4S8_BASE, chunkLatency: 7 },
    description:
      'W4A16 bit-serial GEMV (BitMoD): mixed FP4 weights (2-bit dtype and FP16 scale per 128) × FP16 x, one set bit of every weight per cycle (2 cycles per chunk), 4 rows × 8 elements',
  },
  {
    name: 'bitserial_gemv_int8_a8_p4s8',
    generator: 'bitserial_gemv',
    fmaxDevices: GEMV_FMAX_DEVICES,
    // A seventh chunk stage between each weight's Booth digit and its shifted activation.
    params: { weight: 'int8', ...LUT_GEMV_INT8_P4S8_SHAPE, chunkLatency: 7 },
    description:
      'W8A8 bit-serial GEMV (BitMoD): INT8 weights (FP16 scale per 128) × INT8 x with an FP16 per-token scale, one radix-4 Booth digit of every weight per cycle (4 cycles per chunk), 4 rows × 8 elements',
  },
  {
    name: 'fp_add_fp16',
    generator: 'fp_add',
    // Near and far paths, ordered by magnitude: 6 stages (the single path took 12), docs/fp_add.md#near-far-path.
    params: {
      aFormat: 'fp16',
      bFormat: 'fp16',
      outFormat: 'fp16',
      flags: true,
      operandOrder: 'magnitude',
      path: 'near-far',
      latency: 6,
    },
    description: 'IEEE binary16 adder with flags, checked against TestFloat f16_add',
    verilatorRandom: 1_000_000,
  },
  {
    name: 'fp_add_bf16',
    generator: 'fp_add',
    params: {
      aFormat: 'bf16',
      bFormat: 'bf16',
      outFormat: 'bf16',
      flags: true,
      operandOrder: 'magnitude',
      path: 'near-far',
      latency: 6,
    },
    description: 'bfloat16 adder with subnormals and IEEE flags, checked against the format library',
    verilatorRandom: 1_000_000,
  },
  {
    name: 'fp_add_fp32',
    generator: 'fp_add',
    // Near and far paths, ordered by magnitude: 7 stages, fewer than FloPoCo's FPAdd needs for 82 MHz
    // on the iCE40 (8).
    params: {
      aFormat: 'fp32',
      bFormat: 'fp32',
      outFormat: 'fp32',
      flags: true,
      operandOrder: 'magnitude',
      path: 'near-far',
      latency: 7,
    },
    description: 'IEEE binary32 adder with flags, checked against TestFloat f32_add',
    verilatorRandom: 1_000_000,
  },
  {
    name: 'cvt_fp32_e4m3fn_x8',
    generator: 'fp_convert',
    params: { inFormat: 'fp32', outFormat: 'e4m3fn', overflow: 'saturate', lanes: 8, latency: 3 },
    description:
      'FP32 → OCP FP8 E4M3 cast, 8 lanes, RNE, saturate-to-finite (satfinite), checked against ml_dtypes',
    verilatorRandom: 1_000_000,
  },
  {
    name: 'cvt_bf16_fp16_x8',
    generator: 'fp_convert',
    params: { inFormat: 'bf16', outFormat: 'fp16', lanes: 8, latency: 4 },
    description: 'BF16 → FP16 cast, 8 lanes, RNE, IEEE overflow to ±Inf, every code in every lane',
  },
  {
    name: 'cvt_int8_fp16_x8',
    generator: 'fp_convert',
    params: { inFormat: 'int', inWidth: 8, outFormat: 'fp16', lanes: 8, latency: 3 },
    description: 'INT8 → FP16 (exact), 8 lanes, every code in every lane',
  },
];

export function catalogEntry(name: string): CatalogEntry | undefined {
  return CATALOG.find((e) => e.name === name);
}
