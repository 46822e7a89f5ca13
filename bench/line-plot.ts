// SVG line plots side by side, one line per series, for benchmarks whose figures follow a parameter
// (the scatter plots of `bitsmith explore` draw a Pareto front, which a series does not have).
import { escapeXml, linearTicks } from '../flows/explore/plot.ts';

export interface LineSeries {
  label: string;
  /** Points in order of x; a missing figure is left out, so the line joins the points either side. */
  points: { x: number; y: number }[];
}

export interface LinePanel {
  title: string;
  series: LineSeries[];
}

export interface LinePlot {
  title: string;
  xLabel: string;
  yLabel: string;
  panels: LinePanel[];
}

const PANEL_WIDTH = 420;
const PANEL_HEIGHT = 300;
const MARGIN = { left: 64, right: 20, top: 64, bottom: 48 };
const COLORS = ['#1f5fa8', '#c2410c', '#15803d', '#7c3aed', '#b91c1c', '#0e7490', '#a16207'];

/** The panels in one row, sharing the y axis's range so that they compare at a glance. */
export function lineSvg(plot: LinePlot): string {
  const labels = [...new Set(plot.panels.flatMap((p) => p.series.map((s) => s.label)))];
  const colorOf = (label: string) => COLORS[labels.indexOf(label) % COLORS.length]!;
  const all = plot.panels.flatMap((p) => p.series.flatMap((s) => s.points));
  const xs = all.map((q) => q.x);
  const ys = all.map((q) => q.y);
  const [xLo, xHi] = xs.length === 0 ? [0, 1] : [Math.min(...xs), Math.max(...xs, Math.min(...xs) + 1)];
  const yHi = ys.length === 0 ? 1 : Math.max(...ys) * 1.08 || 1;
  const legendHeight = 16 * labels.length;
  const width = MARGIN.left + plot.panels.length * (PANEL_WIDTH + MARGIN.right);
  const height = MARGIN.top + PANEL_HEIGHT + MARGIN.bottom + legendHeight + 8;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `  <rect width="${width}" height="${height}" fill="white"/>`,
    `  <text x="${MARGIN.left}" y="22" font-size="14" font-weight="bold">${escapeXml(plot.title)}</text>`,
  ];
  plot.panels.forEach((panel, i) => {
    const left = MARGIN.left + i * (PANEL_WIDTH + MARGIN.right);
    const right = left + PANEL_WIDTH - MARGIN.right;
    const top = MARGIN.top;
    const bottom = top + PANEL_HEIGHT;
    const xOf = (v: number) => left + 10 + ((v - xLo) / (xHi - xLo)) * (right - left - 20);
    const yOf = (v: number) => bottom - (v / yHi) * (bottom - top);
    parts.push(`  <text x="${left}" y="${top - 12}" font-weight="bold">${escapeXml(panel.title)}</text>`);
    for (const v of linearTicks(0, yHi, 5))
      parts.push(
        `  <line x1="${left}" y1="${yOf(v).toFixed(1)}" x2="${right}" y2="${yOf(v).toFixed(1)}" stroke="#e5e7eb"/>`,
        `  <text x="${left - 6}" y="${yOf(v).toFixed(1)}" dy="4" text-anchor="end">${v}</text>`,
      );
    for (let v = Math.ceil(xLo); v <= xHi; v++)
      parts.push(`  <text x="${xOf(v).toFixed(1)}" y="${bottom + 16}" text-anchor="middle">${v}</text>`);
    parts.push(
      `  <line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="black"/>`,
      `  <line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="black"/>`,
      `  <text x="${(left + right) / 2}" y="${bottom + 36}" text-anchor="middle">${escapeXml(plot.xLabel)}</text>`,
    );
    if (i === 0)
      parts.push(
        `  <text transform="translate(16 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(plot.yLabel)}</text>`,
      );
    for (const series of panel.series) {
      const color = colorOf(series.label);
      const at = series.points.map((q) => `${xOf(q.x).toFixed(1)},${yOf(q.y).toFixed(1)}`);
      parts.push(`  <polyline points="${at.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
      for (const q of at) {
        const [cx, cy] = q.split(',');
        parts.push(`  <circle cx="${cx}" cy="${cy}" r="3.5" fill="${color}"/>`);
      }
    }
  });
  labels.forEach((label, k) => {
    const y = MARGIN.top + PANEL_HEIGHT + MARGIN.bottom + 12 + 16 * k;
    parts.push(
      `  <line x1="${MARGIN.left}" y1="${y - 4}" x2="${MARGIN.left + 24}" y2="${y - 4}" stroke="${colorOf(label)}" stroke-width="2"/>`,
      `  <text x="${MARGIN.left + 30}" y="${y}">${escapeXml(label)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
