// The plots and the index.html page of an explore run (docs/explore.md#plots).

import { renderTemplate } from '../../generators/emit/templates.ts';
import { BITSMITH_VERSION } from '../../generators/emit/version.ts';
import type { ExploreRow } from './explore.ts';
import { escapeXml, scatterSvg, type PlotPoint } from './plot.ts';

export const COST_PLOT = 'sqnr-vs-luts.svg';
export const BITS_PLOT = 'sqnr-vs-bits.svg';

/**
 * Which cost the LUT plot uses: the GEMV cores' per MAC when as many formats have it as a MAC's, else
 * the MAC's, else (no format has either) the dequantizer's per lane.
 */
export function costColumn(rows: readonly ExploreRow[]): 'gemv' | 'mac' | 'dequant' {
  const gemv = rows.filter((r) => r.gemv).length;
  const mac = rows.filter((r) => r.mac).length;
  if (gemv === 0 && mac === 0 && rows.some((r) => r.dequant)) return 'dequant';
  return gemv >= mac && gemv > 0 ? 'gemv' : 'mac';
}

const COLUMN_TEXT = {
  gemv: { axis: 'GEMV core LUTs per MAC', missing: 'GEMV core', title: 'LUTs per MAC' },
  mac: { axis: 'MAC LUTs', missing: 'MAC', title: 'LUTs per MAC' },
  dequant: { axis: 'dequantizer LUTs per lane', missing: 'dequantizer', title: 'dequantizer LUTs per lane' },
} as const;

function leftOut(rows: readonly ExploreRow[], why: string): string[] {
  return rows.length === 0 ? [] : [`not shown (${why}): ${rows.map((r) => r.format).join(', ')}`];
}

/** SQNR against LUTs per MAC and against bits per element; formats without a figure are named under the plot. */
export function explorePlots(
  rows: readonly ExploreRow[],
  context: { data: string; target: string },
): { cost: string; bits: string } {
  const finite = rows.filter((r) => Number.isFinite(r.sqnrDb));
  const exact = leftOut(
    rows.filter((r) => !Number.isFinite(r.sqnrDb)),
    'exact: SQNR is infinite',
  );
  const column = costColumn(rows);
  const text = COLUMN_TEXT[column];
  const costed = finite.filter((r) => r[column]);
  const cost = scatterSvg({
    title: `SQNR against ${text.title} (${context.data})`,
    xLabel: `${text.axis} on ${context.target} (log scale)`,
    yLabel: 'SQNR (dB)',
    logX: true,
    points: costed.map((r): PlotPoint => ({ label: r.format, x: r[column]!.lutsPerUnit, y: r.sqnrDb })),
    notes: [
      ...exact,
      ...leftOut(
        finite.filter((r) => !r[column]),
        `no ${text.missing} with recorded or synthesized area`,
      ),
    ],
  });
  const bits = scatterSvg({
    title: `SQNR against storage bits per element (${context.data})`,
    xLabel: 'bits per element, scales included',
    yLabel: 'SQNR (dB)',
    logX: false,
    points: finite.map((r): PlotPoint => ({ label: r.format, x: r.bitsPerElement, y: r.sqnrDb })),
    notes: exact,
  });
  return { cost, bits };
}

export interface Claim {
  claim: string;
  measured: string;
}

const TABLE_HEADER = [
  'format',
  'bits/element',
  'SQNR dB',
  'MSE',
  'max error',
  'KL',
  'dequant LUTs/lane',
  'MAC LUTs',
  'GEMV LUTs/MAC',
];

/**
 * A row's figures after its format name, as the tables show them (the console's and index.html's):
 * bits/element, SQNR, MSE, max error, KL and the three costs; `missing` stands for a cost not known.
 */
export function figureCells(r: ExploreRow, missing: string): string[] {
  const cell = (v: number | undefined) => (v === undefined ? missing : v.toFixed(1));
  return [
    String(r.bitsPerElement),
    Number.isFinite(r.sqnrDb) ? r.sqnrDb.toFixed(2) : 'inf',
    r.mse.toExponential(3),
    r.maxError.toPrecision(4),
    r.kl.toPrecision(3),
    cell(r.dequant?.lutsPerUnit),
    cell(r.mac?.lutsPerUnit),
    cell(r.gemv?.lutsPerUnit),
  ];
}

export function indexHtml(run: {
  name: string;
  data: string;
  elements: number;
  target: string;
  rows: readonly ExploreRow[];
  notes: readonly string[];
  claims: readonly Claim[];
}): string {
  return renderTemplate('explore/index.html.hbs', {
    name: escapeXml(run.name),
    data: escapeXml(run.data),
    elements: run.elements,
    target: run.target,
    version: BITSMITH_VERSION,
    claims: run.claims.map((c) => ({ claim: escapeXml(c.claim), measured: escapeXml(c.measured) })),
    plots: [
      { file: COST_PLOT, alt: 'SQNR against LUTs per MAC' },
      { file: BITS_PLOT, alt: 'SQNR against bits per element' },
    ],
    header: TABLE_HEADER,
    rows: run.rows.map((r) => [escapeXml(r.format), ...figureCells(r, '')]),
    notes: run.notes.map(escapeXml),
  });
}
