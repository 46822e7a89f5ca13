import { describe, expect, it } from 'vitest';
import type { ExploreRow } from './explore.ts';
import { costColumn } from './report.ts';

const cost = { ip: 'x', lutsPerUnit: 10, dspsPerUnit: 0 };
const row = (extra: Partial<ExploreRow>): ExploreRow => ({
  format: 'f',
  kind: 'scalar',
  group: 128,
  bitsPerElement: 4,
  clipSearch: false,
  mse: 0,
  sqnrDb: 1,
  maxError: 0,
  kl: 0,
  seconds: 0,
  ...extra,
});

describe('the LUT plot cost column', () => {
  it('takes GEMV per MAC when as many formats have it as a MAC, else MAC, else the dequantizer', () => {
    expect(costColumn([row({ gemv: cost }), row({ mac: cost })])).toBe('gemv');
    expect(costColumn([row({ gemv: cost }), row({ mac: cost }), row({ mac: cost })])).toBe('mac');
    expect(costColumn([row({ dequant: cost }), row({})])).toBe('dequant');
    expect(costColumn([row({ dequant: cost }), row({ mac: cost })])).toBe('mac');
    expect(costColumn([row({})])).toBe('mac');
  });
});
