import { describe, expect, it } from 'vitest';
import { cellsFromStat, countResources } from './area-report.ts';

describe('countResources', () => {
  it('sorts iCE40 cells', () => {
    expect(
      countResources({ SB_LUT4: 10, SB_CARRY: 3, SB_DFFE: 2, SB_DFFSR: 1, SB_MAC16: 1, SB_RAM40_4K: 2 }),
    ).toEqual({
      luts: 10,
      ffs: 3,
      carries: 3,
      dsps: 1,
      rams: 2,
    });
  });

  it('sorts 7-series cells and ignores muxes and buffers', () => {
    const cells = {
      LUT1: 1,
      LUT6: 4,
      CARRY4: 2,
      FDRE: 5,
      FDSE: 1,
      DSP48E1: 2,
      RAMB18E1: 1,
      MUXF7: 3,
      BUFG: 1,
    };
    expect(countResources(cells)).toEqual({ luts: 5, ffs: 6, carries: 2, dsps: 2, rams: 1 });
  });

  it('counts generic flip-flops', () => {
    expect(countResources({ $_DFF_P_: 4, $_SDFFE_PP0P_: 2, $_AND_: 9 })).toMatchObject({ ffs: 6, luts: 0 });
  });
});

describe('cellsFromStat', () => {
  it('reads the design totals of stat -json, sorted by name', () => {
    const stat = JSON.stringify({ design: { num_cells: 3, num_cells_by_type: { SB_LUT4: 2, SB_CARRY: 1 } } });
    expect(Object.entries(cellsFromStat(stat))).toEqual([
      ['SB_CARRY', 1],
      ['SB_LUT4', 2],
    ]);
  });
});
