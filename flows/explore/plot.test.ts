import { describe, expect, it } from 'vitest';
import { scatterSvg, wrapNote } from './plot.ts';

const svg = scatterSvg({
  title: 'SQNR <test>',
  xLabel: 'LUTs',
  yLabel: 'SQNR (dB)',
  logX: true,
  points: [
    { label: 'cheap', x: 100, y: 10 },
    { label: 'dominated', x: 200, y: 9 },
    { label: 'best', x: 400, y: 20 },
    { label: 'a&b', x: 300, y: 15 },
  ],
  notes: ['not shown: x'],
});

describe('explore scatter plot', () => {
  it('draws the Pareto front through its points in cost order, their labels bold', () => {
    const circles = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => `${m[1]},${m[2]}`);
    expect(circles).toHaveLength(4);
    const front = /<polyline points="([^"]*)"/.exec(svg)![1]!.split(' ');
    expect(front).toHaveLength(3);
    // Each vertex is a point's circle; x grows along the line.
    for (const v of front) expect(circles).toContain(v);
    const xs = front.map((v) => Number(v.split(',')[0]));
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(svg).toMatch(/font-weight="bold">cheap</);
    expect(svg).toMatch(/font-weight="bold">best</);
    expect(svg).toMatch(/font-weight="normal">dominated</);
  });

  it('escapes text and puts the notes under the plot', () => {
    expect(svg).toContain('SQNR &lt;test&gt;');
    expect(svg).toContain('>a&amp;b<');
    expect(svg).toContain('>not shown: x<');
    expect(svg).not.toMatch(/NaN|undefined/);
  });

  it('refuses non-finite points and wraps long notes at commas', () => {
    expect(() =>
      scatterSvg({
        title: 't',
        xLabel: 'x',
        yLabel: 'y',
        logX: false,
        points: [{ label: 'p', x: 1, y: Infinity }],
        notes: [],
      }),
    ).toThrow(/non-finite/);
    const lines = wrapNote(Array.from({ length: 30 }, (_, i) => `format${i}:g128`).join(', '), 60);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
    expect(lines.join(' ').replace(/,\s+/g, ', ')).toContain('format29:g128');
  });
});
