// Every policy of every generator is stated in docs/, the project's own account of its arithmetic: for
// each parameter that decides what a unit computes (rounding, overflow, subnormals, NaN rules, zero
// points, accumulation …), one entry of a page that covers the generator — a table row (read with its
// table's header) or a paragraph — names the parameter with every allowed value and its default.
// Every parameter of every generator is classified below, so that a new one fails until it is either
// documented as a policy or listed as a size, format, port or structure.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { paramDocs, type ParamDoc } from './param-doc.ts';
import { GENERATORS } from './registry.ts';

/** Parameters that decide the value a unit computes. */
const POLICY = [
  'rounding',
  'overflow',
  'outputSubnormals',
  'tininess',
  'nan',
  'inputSubnormals',
  'nanToInt',
  'stochasticBits',
  'scaleRounding',
  'operandRounding',
  'variant',
  'kinds',
  'product',
  'accumulator',
  'partialSums',
  'sum',
  'inner',
  'accumulation',
  'accumulate',
  'alignBits',
  'zeroPoint',
  'order',
  'specialValues',
  // lut_gemv: exact or quantized table entries
  'tableFormat',
];

/** Parameters of formats, sizes, ports, pipelining or structure: the same values, other hardware. */
const NOT_POLICY = [
  // formats and widths of operands and results
  ...['aFormat', 'bFormat', 'outFormat', 'accFormat', 'format', 'formats', 'inFormat', 'weight'],
  ...['activation', 'scale', 'aWidth', 'bWidth', 'aSigned', 'bSigned', 'inWidth', 'outWidth', 'accWidth'],
  ...['m', 'widths', 'tensorScale', 'operation'],
  // sizes: accumulator windows, groups, lanes, rows, job bounds
  ...['k', 'msb', 'lsb', 'segment', 'group', 'groupSize', 'lanes', 'wordBits', 'rows', 'maxK', 'maxN'],
  ...['blockSize', 'maxBlocks', 'activationScaleFormat'],
  // where a scale enters: one per token on a port, or one per group on the x beats
  'activationScale',
  // ports, packing, pipelining and structure
  ...[
    'flags',
    'addendInput',
    'packing',
    'ready',
    'latency',
    'fmax',
    'target',
    'placement',
    'chunkLatency',
    'scaleLatency',
    'sumLatency',
  ],
  ...['convertLatency', 'closeUnits', 'interleave', 'multiplier', 'multipliers', 'architecture'],
  'operandOrder',
  'path',
  // lut_gemv: the weights' width and coding (their format), and its tables (the same sums, other hardware)
  ...['wBits', 'weightCoding', 'g', 'mirror', 'serial'],
  // bitserial_gemv: the scale product all at once or one bit per cycle (the same exact product)
  'scaleProduct',
];

/** The pages of docs/ that state each generator's arithmetic. */
const PAGES: Record<string, string[]> = {
  int_mul: ['integers.md'],
  int_mac: ['integers.md'],
  fp_mul: ['ieee-and-fp8.md'],
  lmul: ['lmul.md', 'ieee-and-fp8.md'],
  reconf_mul: ['lmul.md', 'ieee-and-fp8.md'],
  multi_fp_mul: ['ieee-and-fp8.md'],
  fp_mac: ['fp_mac.md', 'kulisch.md', 'lmul.md', 'ieee-and-fp8.md'],
  fp_add: ['fp_add.md', 'ieee-and-fp8.md'],
  fp_convert: ['fp_convert.md', 'ieee-and-fp8.md'],
  dot: ['kulisch.md', 'ieee-and-fp8.md'],
  mx_dot: ['mx-nvfp4.md', 'kulisch.md', 'ieee-and-fp8.md'],
  mixed_mac: ['w4a16.md', 'razer.md', 'ieee-and-fp8.md'],
  dequant: ['w4a16.md', 'razer.md', 'mx-nvfp4.md', 'ieee-and-fp8.md'],
  quantize: ['mx-nvfp4.md'],
  gemv: ['w4a16.md', 'razer.md', 'mx-nvfp4.md', 'ieee-and-fp8.md'],
  lut_gemv: ['lut-gemv.md', 'w4a16.md', 'ieee-and-fp8.md'],
  bitserial_gemv: ['bitserial-gemv.md', 'w4a16.md', 'razer.md', 'ieee-and-fp8.md'],
};

/**
 * A page's entries: each block between blank lines, except that a table's entries are its rows, each
 * with the header row; a table whose header names a parameter (one row per value) is one entry too.
 */
function entries(page: string): string[] {
  const text = readFileSync(new URL(`../docs/${page}`, import.meta.url), 'utf8');
  return text.split(/\n\s*\n/).flatMap((block) => {
    const [header, , ...rows] = block.split('\n');
    if (!header!.startsWith('|')) return [block];
    return [...rows.map((row) => `${header}\n${row}`), ...(header!.includes('`') ? [block] : [])];
  });
}

/** Whether a `code span` of the text holds the word (parameter names and values are written as code). */
function inCode(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\`[^\`\\n]*(?<![\\w-])${escaped}(?![\\w-])[^\`\\n]*\``).test(text);
}

/** What an entry stating this parameter lacks: its name, allowed values or default ([] when none). */
function lacks(entry: string, d: ParamDoc): string[] {
  if (!inCode(entry, d.name)) return [d.name];
  const missing: string[] = [];
  const choices = d.type.includes('choice') ? (d.allowed ?? '').split(/[,;] /) : [];
  for (const value of choices) if (!inCode(entry, value)) missing.push(`value ${value}`);
  // An integer range: both bounds, as numbers.
  const range = /^(-?\d+)\.\.(-?\d+)$/.exec(d.allowed ?? '');
  for (const bound of range?.slice(1) ?? [])
    if (!new RegExp(`(?<![\\w.])${bound}(?![\\w.])`).test(entry)) missing.push(`bound ${bound}`);
  if (!/default/i.test(entry)) missing.push('the word "default"');
  if (typeof d.default === 'string' && !inCode(entry, d.default)) missing.push(`default ${d.default}`);
  if (typeof d.default === 'number' && !new RegExp(`(?<![\\w.])${d.default}(?![\\w.])`).test(entry))
    missing.push(`default ${d.default}`);
  return missing;
}

describe('every policy of every generator is stated in docs/', () => {
  it('classifies every parameter of every generator, and names the pages of each', () => {
    const known = new Set([...POLICY, ...NOT_POLICY]);
    const unclassified = GENERATORS.flatMap((g) =>
      paramDocs(g)
        .filter((d) => !known.has(d.name))
        .map((d) => `${g.name}.${d.name}`),
    );
    expect(unclassified).toEqual([]);
    expect(GENERATORS.map((g) => g.name).filter((name) => PAGES[name] === undefined)).toEqual([]);
    expect(POLICY.filter((name) => NOT_POLICY.includes(name))).toEqual([]);
  });

  for (const g of GENERATORS) {
    it(`${g.name}: each policy parameter with its values and default in one entry of ${(PAGES[g.name] ?? []).join(', ')}`, () => {
      const pageEntries = (PAGES[g.name] ?? []).flatMap(entries);
      const missing = paramDocs(g)
        .filter((d) => POLICY.includes(d.name))
        .flatMap((d) => {
          const found = pageEntries.map((entry) => lacks(entry, d)).filter((l) => l[0] !== d.name);
          if (found.some((l) => l.length === 0)) return [];
          // The entry that names the parameter and comes closest, for the message.
          const best = found.sort((a, b) => a.length - b.length)[0];
          return [`${d.name}: ${best === undefined ? 'not named' : `lacks ${best.join(', ')}`}`];
        });
      expect(missing).toEqual([]);
    });
  }
});
