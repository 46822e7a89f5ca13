import { describe, expect, it } from 'vitest';
import {
  BITMOD_FP3_CANDIDATES,
  RAZER_KERNEL_CANDIDATES,
  RAZER_OCP_CANDIDATES,
  ROUNDING_MODES,
  dequantizeCodebookGroup,
  quantizeCodebookGroup,
  quantizeDequantizeCodebookGroups,
  toNumber,
  type CodebookFormat,
} from '../../generators/formats/index.ts';
import { sample } from './data.ts';
import { accuracy } from './metrics.ts';
import { presetByName, type FormatsPreset } from './presets.ts';
import {
  CLIP_RATIOS,
  bitsPerElement,
  parseWeightFormat,
  parseWeightFormats,
  quantizeDequantize,
} from './quantize.ts';

const db = (ratio: number) => 10 * Math.log10(ratio);

describe('explore accuracy core', () => {
  it('int4, group 4, FP16 scale: a case computed by hand', () => {
    // amax 1, scale = fp16(1/7) = 1170/1024 · 2^-3 = 0.142822265625; values / scale = 7.0017, -3.5009,
    // 1.7504, 2.1005 round to 7, -4, 2, 2 (-3.5009 lies just past the tie).
    const s = 0.142822265625;
    const x = Float64Array.from([1, -0.5, 0.25, 0.3]);
    const xq = quantizeDequantize(parseWeightFormat('int4:g4'), x);
    expect(Array.from(xq)).toEqual([7 * s, -4 * s, 2 * s, 2 * s]);
    const errors = [1 - 7 * s, -0.5 + 4 * s, 0.25 - 2 * s, 0.3 - 2 * s];
    const noise = errors.reduce((a, e) => a + e * e, 0);
    const a = accuracy(x, xq);
    expect(a.mse).toBeCloseTo(noise / 4, 15);
    expect(a.maxError).toBeCloseTo(0.0712890625, 15);
    expect(a.sqnrDb).toBeCloseTo(db((1 + 0.25 + 0.0625 + 0.09) / noise), 10);
  });

  it.each([2, 3, 4, 8])('uniform full-range input: INT%i SQNR matches the uniform quantizer formula', (b) => {
    // One group over the whole tensor: step Δ = A / (2^(b-1) - 1), no clipping, so the error is uniform on
    // [-Δ/2, Δ/2]: SQNR = (A²/3) / (Δ²/12) = (2A/Δ)² = (2^b - 2)², i.e. about 6.02·b dB.
    const n = 1 << 16;
    const x = sample({ kind: 'uniform' }, n, 7);
    const a = accuracy(x, quantizeDequantize(parseWeightFormat(`int${b}:g${n}:fp32`), x));
    expect(Math.abs(a.sqnrDb - db((2 ** b - 2) ** 2))).toBeLessThan(0.1);
    if (b === 8) expect(Math.abs(a.sqnrDb - 6.02 * b)).toBeLessThan(0.1);
  });

  it('full-scale sine input: INT8 SQNR ≈ 6.02·b + 1.76 dB', () => {
    const b = 8;
    // Signal power A²/2 against Δ²/12 with Δ = A / (2^(b-1) - 1): SQNR = 6·(2^(b-1) - 1)², which is
    // 6.02·b + 1.76 dB for a quantizer of 2^b levels (the textbook figure is for a full-scale sine). The
    // uniform-noise model behind it is good to about 0.1 dB at 8 bits (0.4 dB at 4 bits, where the sine's
    // density piles up at the grid's end points).
    const n = 1 << 16;
    // Random phases: the samples follow the sine's amplitude law (arcsine), independent of the grid.
    const phases = sample({ kind: 'uniform' }, n, 9);
    const x = phases.map((u) => Math.sin(Math.PI * u));
    const a = accuracy(x, quantizeDequantize(parseWeightFormat(`int${b}:g${n}:fp32`), x));
    expect(Math.abs(a.sqnrDb - db(6 * (2 ** (b - 1) - 1) ** 2))).toBeLessThan(0.15);
    expect(Math.abs(a.sqnrDb - (6.02 * b + 1.76))).toBeLessThan(0.15);
  });

  it('NF4 beats INT4 in SQNR on Gaussian weights, absmax per group of 64', () => {
    const x = sample({ kind: 'gaussian' }, 1 << 15, 1);
    const [int4, nf4] = parseWeightFormats('int4,nf4', 64).map((w) => accuracy(x, quantizeDequantize(w, x)));
    expect(nf4!.sqnrDb).toBeGreaterThan(int4!.sqnrDb + 0.5);
  });

  it('block formats keep their own scale rules: MXFP4 scales are powers of two, NVFP4 elements E2M1 multiples', () => {
    const x = sample({ kind: 'gaussian' }, 32 * 8, 3);
    const mx = quantizeDequantize(parseWeightFormat('mxfp4'), x);
    for (let k = 0; k < 8; k++) {
      const block = x.subarray(32 * k, 32 * k + 32);
      const amax = Math.max(...Array.from(block, Math.abs));
      // OCP: X = 2^(floor(log2 amax) - 2), elements on the E2M1 grid times X.
      const scale = 2 ** (Math.floor(Math.log2(amax)) - 2);
      for (let i = 0; i < 32; i++) {
        const e = mx[32 * k + i]! / scale;
        expect([0, 0.5, 1, 1.5, 2, 3, 4, 6]).toContain(Math.abs(e));
      }
    }
    const nv = quantizeDequantize(parseWeightFormat('nvfp4'), x);
    const err = accuracy(x, nv);
    expect(err.sqnrDb).toBeGreaterThan(15);
  });

  it('KL is 0 for an exact quantization and grows as the grid coarsens', () => {
    const x = sample({ kind: 'gaussian' }, 1 << 14, 4);
    // Multiples of 1/16 below 8: MXINT8 holds them exactly (step X/64 with X <= 4).
    const grid = Float64Array.from(x, (v) => Math.round(v * 16) / 16);
    const onGrid = accuracy(grid, quantizeDequantize(parseWeightFormat('mxint8'), grid));
    expect(onGrid.sqnrDb).toBe(Infinity);
    expect(onGrid.kl).toBe(0);
    const exact = accuracy(x, x);
    expect(exact.kl).toBe(0);
    expect(exact.sqnrDb).toBe(Infinity);
    const kl = (f: string) => accuracy(x, quantizeDequantize(parseWeightFormat(f), x)).kl;
    expect(kl('int8:g64')).toBeLessThan(kl('int4:g64'));
    expect(kl('int4:g64')).toBeLessThan(kl('int2:g64'));
  });

  it.each([5, 6, 7])("int%i fills the INT ladder: two's complement, the uniform quantizer formula", (b) => {
    // (2^b - 2)² as for the presets above: int5 has max 15, so 20·log10(30) dB.
    const n = 1 << 14;
    const x = sample({ kind: 'uniform' }, n, 2);
    const a = accuracy(x, quantizeDequantize(parseWeightFormat(`int${b}:g${n}:fp32`), x));
    expect(Math.abs(a.sqnrDb - db((2 ** b - 2) ** 2))).toBeLessThan(0.1);
    expect(bitsPerElement(parseWeightFormat('int6:g64'))).toBe(6.25);
  });

  it('clip search: a group worked by hand picks the ratio of least squared error', () => {
    // int2 (-2..1, max 1), FP32 scale. Without clipping s = 1 and 0.45 rounds to 0 (squared error
    // 0.6075). Ratio r gives s = r, 1 saturates to r and 0.45 rounds to r for r >= 0.45: squared error
    // (1 - r)² + 3·(r - 0.45)², least on the grid at r = 0.6 (0.2275; 0.55 gives 0.2325, 0.65 0.2425).
    const x = Float64Array.from([1, 0.45, 0.45, 0.45]);
    const w = parseWeightFormat('int2:g4:fp32');
    expect(Array.from(quantizeDequantize(w, x))).toEqual([1, 0, 0, 0]);
    const r = Math.fround(0.6);
    expect(Array.from(quantizeDequantize(w, x, { clipRatios: CLIP_RATIOS }))).toEqual([r, r, r, r]);
    expect(() => quantizeDequantize(w, x, { clipRatios: [1.5] })).toThrow(/clip ratio 1\.5 is not allowed/);
  });

  it('clip search raises INT4 SQNR on Gaussian weights (the known optimum clips the tails)', () => {
    const x = sample({ kind: 'gaussian' }, 1 << 13, 5);
    const w = parseWeightFormat('int4:g128');
    const plain = accuracy(x, quantizeDequantize(w, x)).sqnrDb;
    const clipped = accuracy(x, quantizeDequantize(w, x, { clipRatios: CLIP_RATIOS })).sqnrDb;
    expect(clipped).toBeGreaterThan(plain + 0.3);
  });

  it('bits per element count the scales', () => {
    expect(bitsPerElement(parseWeightFormat('nvfp4'))).toBe(4.5);
    expect(bitsPerElement(parseWeightFormat('mxfp4'))).toBe(4.25);
    expect(bitsPerElement(parseWeightFormat('int4:g128'))).toBe(4.125);
    expect(bitsPerElement(parseWeightFormat('int4_asym:g128'))).toBe(4 + 20 / 128);
    expect(bitsPerElement(parseWeightFormat('e2m1fn:g32:e8m0fnu'))).toBe(4.25);
  });

  it('bad formats and group sizes are named with what is allowed', () => {
    expect(() => parseWeightFormat('int9')).toThrow(/unknown format 'int9'.*allowed: .*nf4/);
    expect(() => parseWeightFormat('mxfp4:g64')).toThrow(/group size 64 is not allowed for 'mxfp4'.*32/);
    expect(() => parseWeightFormat('nvfp4:g32')).toThrow(/group size 32 is not allowed for 'nvfp4'.*16/);
    expect(() => parseWeightFormat('uint4')).toThrow(/no negative values.*int4_asym/);
    expect(() => parseWeightFormat('nf4:g0')).toThrow(/group size 0 is not allowed/);
    expect(() => parseWeightFormat('nf4:g64:fp99')).toThrow(/unknown scale format 'fp99'/);
    expect(() => parseWeightFormats(' , ')).toThrow(/--formats/);
  });
});

describe('synthetic data', () => {
  it.each([
    ['gaussian', { kind: 'gaussian' } as const, 1],
    ['laplace', { kind: 'laplace' } as const, 2],
    ['student-t ν=5', { kind: 'student-t', nu: 5 } as const, 5 / 3],
    ['uniform', { kind: 'uniform' } as const, 1 / 3],
  ])('%s has mean 0 and the variance of its law', (_, d, variance) => {
    const x = sample(d, 200_000, 11);
    const mean = x.reduce((a, v) => a + v, 0) / x.length;
    const v = x.reduce((a, y) => a + (y - mean) ** 2, 0) / x.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(v / variance - 1)).toBeLessThan(0.05);
  });

  it('is reproducible from its seed', () => {
    expect(sample({ kind: 'laplace' }, 10, 5)).toEqual(sample({ kind: 'laplace' }, 10, 5));
    expect(sample({ kind: 'laplace' }, 10, 5)).not.toEqual(sample({ kind: 'laplace' }, 10, 6));
  });
});

/** The straightforward path: quantizeCodebookGroup and dequantizeCodebookGroup, exact, group by group. */
function codebookReference(
  x: Float64Array,
  group: number,
  candidates: readonly CodebookFormat[],
  rounding: (typeof ROUNDING_MODES)[number] = 'rne',
): number[] {
  const out: number[] = [];
  for (let start = 0; start < x.length; start += group) {
    const values = Array.from(x.subarray(start, start + group));
    const q = quantizeCodebookGroup(values, candidates, { rounding });
    out.push(...dequantizeCodebookGroup(q, candidates).map(toNumber));
  }
  return out;
}

/**
 * Values that hit the codec's decisions exactly: every codebook value and midpoint of the candidates
 * times the scale the group's absmax gives (exact ties between codebook values), ±0, Gaussian values,
 * an all-zero group, a group whose scale underflows FP16 and one whose scale saturates.
 */
function hardValues(candidates: readonly CodebookFormat[], group: number, seed: number): Float64Array {
  const points = new Set<number>();
  for (const c of candidates) {
    const v = [...new Set(c.values.filter((x): x is number => x !== null))].sort((a, b) => a - b);
    v.forEach((x, i) => {
      points.add(x);
      if (i > 0) points.add((x + v[i - 1]!) / 2);
    });
  }
  const grid = [...points];
  const amaxes = [...new Set(candidates.map((c) => Math.max(...c.values.map((v) => Math.abs(v ?? 0)))))];
  const u = sample({ kind: 'uniform' }, 4096, seed);
  const gauss = sample({ kind: 'gaussian' }, 4096, seed);
  const out: number[] = [];
  let r = 0;
  const next = () => (u[r++ % u.length]! + 1) / 2;
  for (let g = 0; g < 40; g++) {
    // A power-of-two or FP16 scale, and an absmax that makes it the scale of some candidates.
    const s = g % 3 === 0 ? 2 ** Math.floor(next() * 8 - 4) : 1 + Math.floor(next() * 1024) / 1024;
    const amax = amaxes[g % amaxes.length]! * s;
    out.push(next() < 0.5 ? amax : -amax);
    for (let i = 1; i < group; i++) {
      const kind = next();
      const sign = next() < 0.5 ? -1 : 1;
      if (kind < 0.6) out.push(sign * grid[Math.floor(next() * grid.length)]! * s);
      else if (kind < 0.7) out.push(sign < 0 ? -0 : 0);
      else out.push(gauss[r % gauss.length]! * s * 2);
    }
  }
  out.push(...new Array<number>(group).fill(0));
  out.push(...Array.from({ length: group }, (_, i) => (i % 2 ? -1e-12 : 3e-13)));
  out.push(...Array.from({ length: group }, (_, i) => (i - group / 2) * 1e6));
  out.push(...Array.from(gauss.subarray(0, group + 5))); // a short last group
  return Float64Array.from(out);
}

describe('per-group codebook choice: the fast path gives the exact path values', () => {
  const preset = presetByName('w4-formats') as FormatsPreset;
  const selectors = parseWeightFormats(preset.formats, preset.group).flatMap((w) =>
    w.kind === 'select' ? [w] : [],
  );
  const sets: [string, readonly CodebookFormat[]][] = [
    ['razer kernel layout', RAZER_KERNEL_CANDIDATES],
    ['bitmod_fp3', BITMOD_FP3_CANDIDATES],
    ...selectors.map((w): [string, readonly CodebookFormat[]] => [w.name, w.candidates]),
  ];

  it('covers both selectors of the preset', () => {
    expect(selectors.map((w) => w.name)).toEqual(['razer:g128', 'bitmod_fp4:g128']);
  });

  it.each(selectors.map((w) => [w.name, w] as const))(
    '%s (w4-formats): Gaussian weights and exact ties',
    (_, w) => {
      for (const x of [sample({ kind: 'gaussian' }, 4096, 7), hardValues(w.candidates, w.group, 8)])
        expect(Array.from(quantizeDequantize(w, x))).toEqual(codebookReference(x, w.group, w.candidates));
    },
  );

  it.each(sets)('%s, every rounding mode, groups of 4 and 16', (_, candidates) => {
    for (const group of [4, 16]) {
      const x = hardValues(candidates, group, group);
      for (const rounding of ROUNDING_MODES)
        expect(Array.from(quantizeDequantizeCodebookGroups(x, group, candidates, { rounding }))).toEqual(
          codebookReference(x, group, candidates, rounding),
        );
    }
  });

  it('an error difference below double precision is decided by the exact sums', () => {
    // RaZeR SV +5 against SV -5, scale 1: 5 and -5 each cost 1 in the candidate without them (ties go
    // to 4), and -4.5 - 2^-50 costs (0.5 ± 2^-50)². SV -5 wins by 2^-49, which a double sum reaching
    // 20 loses; the exact sums keep it.
    const candidates = [RAZER_OCP_CANDIDATES[0]!, RAZER_OCP_CANDIDATES[2]!];
    const x = Float64Array.from([
      6,
      ...new Array<number>(20).fill(5),
      -4.5 - 2 ** -50,
      ...new Array<number>(20).fill(-5),
    ]);
    const fast = Array.from(quantizeDequantizeCodebookGroups(x, x.length, candidates));
    expect(fast[21]).toBe(-5);
    expect(fast).toEqual(codebookReference(x, x.length, candidates));
  });
});
