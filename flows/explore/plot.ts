// SVG scatter plots of `bitsmith explore`: SQNR against a cost, with the Pareto front drawn and its
// points labelled in bold (docs/explore.md#plots).

import { renderTemplate } from '../../generators/emit/templates.ts';
import { paretoFront } from './pareto.ts';

export interface PlotPoint {
  label: string;
  /** The cost: lower is better. */
  x: number;
  /** The accuracy: higher is better. */
  y: number;
}

export interface PlotSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  /** A logarithmic cost axis, for costs that span decades (LUTs). */
  logX: boolean;
  points: PlotPoint[];
  /** Lines printed under the plot, e.g. which formats have no figure. */
  notes: string[];
}

const WIDTH = 760;
const PLOT_HEIGHT = 410;
const MARGIN = { left: 70, right: 30, top: 56 };

/** The plot's text goes into SVG and HTML as it is (templates do not escape). */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A note split at ', ' into lines of at most `width` characters, so it stays within the plot's width. */
export function wrapNote(text: string, width = 110): string[] {
  const lines: string[] = [];
  let line = '';
  for (const part of text.split(', ')) {
    const next = line === '' ? part : `${line}, ${part}`;
    if (next.length + 1 > width && line !== '') {
      lines.push(`${line},`);
      line = `  ${part}`;
    } else line = next;
  }
  return [...lines, line];
}

/** Tick values 1, 2, 5 × 10^k covering [lo, hi] with about `count` ticks. */
export function linearTicks(lo: number, hi: number, count = 6): number[] {
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** 1, 2, 5 × 10^k within [lo, hi]; every 1..9 × 10^k, then linear ticks, when the range is too narrow for 3. */
function logTicks(lo: number, hi: number): number[] {
  for (const steps of [
    [1, 2, 5],
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  ]) {
    const ticks: number[] = [];
    for (let d = Math.floor(Math.log10(lo)); d <= Math.ceil(Math.log10(hi)); d++)
      for (const k of steps) if (k * 10 ** d >= lo && k * 10 ** d <= hi) ticks.push(k * 10 ** d);
    if (ticks.length >= 3) return ticks;
  }
  return linearTicks(lo, hi, 4);
}

/** [lo, hi] widened by `pad` of the span on each side (or ±1 around a single value). */
function padded(values: number[], pad: number): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || Math.max(Math.abs(lo), 1);
  return [lo - pad * span, hi + pad * span];
}

/** The plot as SVG text; points with a non-finite coordinate must be left out by the caller. */
export function scatterSvg(spec: PlotSpec): string {
  const notes = spec.notes.flatMap((n) => wrapNote(n));
  const points = spec.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (points.length !== spec.points.length)
    throw new Error('scatterSvg: a point has a non-finite coordinate');
  const plotLeft = MARGIN.left;
  const plotRight = WIDTH - MARGIN.right;
  const plotTop = MARGIN.top;
  const plotBottom = PLOT_HEIGHT;
  const empty = points.length === 0;
  const [yLo, yHi] = empty
    ? [0, 1]
    : padded(
        points.map((p) => p.y),
        0.08,
      );
  let xOf: (v: number) => number;
  let xTicks: number[];
  if (spec.logX && !empty && points.every((p) => p.x > 0)) {
    const lo = Math.log10(Math.min(...points.map((p) => p.x))) - 0.1;
    const hi = Math.log10(Math.max(...points.map((p) => p.x))) + 0.1;
    xOf = (v) => plotLeft + ((Math.log10(v) - lo) / (hi - lo)) * (plotRight - plotLeft);
    xTicks = logTicks(10 ** lo, 10 ** hi);
  } else {
    const [lo, hi] = empty
      ? [0, 1]
      : padded(
          points.map((p) => p.x),
          0.08,
        );
    xOf = (v) => plotLeft + ((v - lo) / (hi - lo)) * (plotRight - plotLeft);
    xTicks = linearTicks(lo, hi);
  }
  const yOf = (v: number) => plotBottom - ((v - yLo) / (yHi - yLo)) * (plotBottom - plotTop);
  const front = new Set(paretoFront(points.map((p) => ({ cost: p.x, value: p.y }))));
  const frontPath = [...front]
    .map((i) => points[i]!)
    .sort((a, b) => a.x - b.x)
    .map((p) => `${xOf(p.x).toFixed(1)},${yOf(p.y).toFixed(1)}`)
    .join(' ');
  // Labels of points close together are moved apart vertically, the front's first.
  const placed: { x: number; y: number }[] = [];
  const order = points
    .map((p, i) => ({ p, i }))
    .sort((a, b) => Number(front.has(b.i)) - Number(front.has(a.i)));
  const labelled = order.map(({ p, i }) => {
    const px = xOf(p.x);
    const py = yOf(p.y);
    let ly = py - 8;
    while (placed.some((q) => Math.abs(q.x - px) < 110 && Math.abs(q.y - ly) < 13)) ly += 13;
    placed.push({ x: px, y: ly });
    const right = px > 0.6 * WIDTH;
    return {
      x: px.toFixed(1),
      y: py.toFixed(1),
      labelY: ly.toFixed(1),
      anchor: right ? 'end' : 'start',
      dx: right ? -8 : 8,
      label: escapeXml(p.label),
      color: front.has(i) ? '#c2410c' : '#1f5fa8',
      weight: front.has(i) ? 'bold' : 'normal',
    };
  });
  return renderTemplate('explore/plot.svg.hbs', {
    width: WIDTH,
    height: PLOT_HEIGHT + 60 + 14 * notes.length,
    left: plotLeft,
    right: plotRight,
    top: plotTop,
    bottom: plotBottom,
    xMid: (plotLeft + plotRight) / 2,
    yMid: (plotTop + plotBottom) / 2,
    title: escapeXml(spec.title),
    xLabel: escapeXml(spec.xLabel),
    yLabel: escapeXml(spec.yLabel),
    xTicks: xTicks.map((v) => ({ x: xOf(v).toFixed(1), label: String(v) })),
    yTicks: linearTicks(yLo, yHi).map((v) => ({ y: yOf(v).toFixed(1), label: String(v) })),
    front: frontPath,
    points: labelled,
    legendX: plotRight - 210,
    legendLineEnd: plotRight - 180,
    legendTextX: plotRight - 172,
    legendY: plotTop - 14,
    titleY: 22,
    notes: notes.map((text, k) => ({ y: plotBottom + 58 + 14 * k, text: escapeXml(text) })),
  });
}
