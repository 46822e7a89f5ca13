import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeAtomically } from './ippack/results.ts';
import { renderTemplate } from '../generators/emit/templates.ts';
import {
  exactMultiplier,
  lmulMultiplier,
  meanRelativeError,
  type RealMultiplier,
} from '../testbenches/accuracy.ts';
import { synthTarget } from './synth-ip.ts';
import type { SynthEngine, SynthTarget } from './synth/types.ts';
import { resolveTarget } from './target.ts';

export interface SweepPoint {
  label: string;
  kind: 'exact' | 'lmul';
  generator: string;
  params: Record<string, unknown>;
  module: string;
  luts: number;
  ffs: number;
  carries: number;
  dsps: number;
  /** Mean |approx − x·y| / |x·y| over standard-normal x, y. */
  meanRelativeError: number;
}

interface SweepUnit {
  label: string;
  kind: 'exact' | 'lmul';
  generator: string;
  params: Record<string, unknown>;
  model: () => RealMultiplier;
}

/** The units the L-Mul paper's precision/cost claim is about: exact FP8/FP16/BF16 multipliers and L-Mul m = 2..7. */
export function sweepUnits(): SweepUnit[] {
  const exact = ['e4m3fn', 'e5m2', 'fp16', 'bf16'].map((f): SweepUnit => ({
    label: `exact ${f}`,
    kind: 'exact',
    generator: 'fp_mul',
    params: { aFormat: f, bFormat: f, outFormat: f, overflow: 'saturate' },
    model: () => exactMultiplier(f),
  }));
  const lmuls = [2, 3, 4, 5, 6, 7].map((m): SweepUnit => ({
    label: `L-Mul m=${m}`,
    kind: 'lmul',
    generator: 'lmul',
    params: { format: 'bf16', m },
    model: () => lmulMultiplier('bf16', m),
  }));
  return [...exact, ...lmuls];
}

export interface SweepOptions {
  outDir: string;
  samples: number;
  seed: number;
  target: SynthTarget;
  engine: SynthEngine;
  onUnit?: (label: string, index: number, total: number) => void;
}

/** Synthesize every sweep unit and measure its error; write sweep.csv and sweep.svg into <outDir>/sweep/. */
export async function runSweep(
  options: SweepOptions,
): Promise<{ points: SweepPoint[]; csv: string; svg: string }> {
  const units = sweepUnits();
  const points: SweepPoint[] = [];
  for (const [i, unit] of units.entries()) {
    options.onUnit?.(unit.label, i, units.length);
    const target = resolveTarget(unit.generator, unit.params);
    const area = await synthTarget(target, {
      outDir: join(options.outDir, 'sweep', 'units'),
      target: options.target,
      engine: options.engine,
    });
    points.push({
      label: unit.label,
      kind: unit.kind,
      generator: unit.generator,
      params: target.params,
      module: target.module.name,
      luts: area.luts,
      ffs: area.ffs,
      carries: area.carries,
      dsps: area.dsps,
      meanRelativeError: meanRelativeError(unit.model(), options.samples, options.seed),
    });
  }
  const dir = resolve(options.outDir, 'sweep');
  mkdirSync(dir, { recursive: true });
  const csvPath = join(dir, 'sweep.csv');
  const svgPath = join(dir, 'sweep.svg');
  writeAtomically(csvPath, toCsv(points, options));
  writeAtomically(svgPath, plot(points, options));
  return { points, csv: csvPath, svg: svgPath };
}

function toCsv(points: SweepPoint[], o: SweepOptions): string {
  const header = 'label,kind,generator,module,target,luts,ffs,carries,dsps,mean_relative_error,samples,seed';
  const rows = points.map((p) =>
    [
      p.label,
      p.kind,
      p.generator,
      p.module,
      o.target,
      p.luts,
      p.ffs,
      p.carries,
      p.dsps,
      p.meanRelativeError.toFixed(6),
      o.samples,
      o.seed,
    ].join(','),
  );
  return [header, ...rows].join('\n') + '\n';
}

/** A scatter plot of LUTs against mean relative error, both on logarithmic axes (errors span 0.01% to 20%). */
function plot(points: SweepPoint[], o: SweepOptions): string {
  const width = 760;
  const height = 480;
  const margin = { left: 70, right: 30, top: 40, bottom: 60 };
  const decades = (values: number[]) => [
    Math.floor(Math.log10(Math.min(...values))),
    Math.ceil(Math.log10(Math.max(...values))),
  ];
  const [xLo, xHi] = decades(points.map((p) => Math.max(p.luts, 1)));
  const [yLo, yHi] = decades(points.map((p) => Math.max(100 * p.meanRelativeError, 1e-3)));
  const scale = (v: number, lo: number, hi: number) => (Math.log10(v) - lo) / Math.max(hi! - lo!, 1);
  const x = (luts: number) =>
    margin.left + scale(Math.max(luts, 1), xLo!, xHi!) * (width - margin.left - margin.right);
  const y = (percent: number) =>
    height -
    margin.bottom -
    scale(Math.max(percent, 1e-3), yLo!, yHi!) * (height - margin.top - margin.bottom);
  const ticks = (lo: number, hi: number) => {
    const out: number[] = [];
    for (let d = lo; d <= hi; d++)
      for (const k of [1, 2, 5]) if (k * 10 ** d <= 10 ** hi) out.push(k * 10 ** d);
    return out;
  };
  const xTicks = ticks(xLo!, xHi!).map((v) => ({ x: x(v).toFixed(1), label: String(v) }));
  const yTicks = ticks(yLo!, yHi!).map((v) => ({
    y: y(v).toFixed(1),
    label: `${Number(v.toPrecision(2))}%`,
  }));
  // Labels of points that sit close together are moved apart vertically.
  const placed: { x: number; y: number }[] = [];
  const labelled = [...points]
    .sort((a, b) => b.meanRelativeError - a.meanRelativeError)
    .map((p) => {
      const px = x(p.luts);
      const py = y(100 * p.meanRelativeError);
      let ly = py - 6;
      while (placed.some((q) => Math.abs(q.x - px) < 120 && Math.abs(q.y - ly) < 14)) ly += 14;
      placed.push({ x: px, y: ly });
      return {
        x: px.toFixed(1),
        y: py.toFixed(1),
        labelY: ly.toFixed(1),
        // Points near the right edge carry their label on their left.
        anchor: px > 0.6 * width ? 'end' : 'start',
        dx: px > 0.6 * width ? -8 : 8,
        label: `${p.label} (${p.luts} LUTs, ${(100 * p.meanRelativeError).toFixed(2)}%)`,
        color: p.kind === 'exact' ? '#1f5fa8' : '#c2410c',
      };
    });
  return renderTemplate('sweep/plot.svg.hbs', {
    width,
    height,
    left: margin.left,
    right: width - margin.right,
    top: margin.top,
    bottom: height - margin.bottom,
    xMid: (margin.left + width - margin.right) / 2,
    yMid: (margin.top + height - margin.bottom) / 2,
    title: `Multiplier cost and accuracy (${o.target}, ${o.samples.toLocaleString('en-US')} normal samples)`,
    xTicks,
    yTicks,
    points: labelled,
  });
}
