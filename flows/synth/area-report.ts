// Sorts the cells of a tech-mapped netlist into LUTs, flip-flops, carry cells, DSPs and RAMs.

/** Cell types per resource; the names of iCE40, ECP5, Xilinx 7-series and Yosys' generic gate library. */
const RESOURCE_CELLS = {
  luts: /^(SB_LUT4|LUT[1-6]|\$lut)$/,
  ffs: /^(SB_DFF\w*|TRELLIS_FF|FD[RSCP]E(_1)?|\$_(DFF|SDFF|DFFSR|ALDFF)\w*)$/,
  carries: /^(SB_CARRY|CCU2C|CARRY4|CARRY8)$/,
  dsps: /^(SB_MAC16|MULT18X18D|ALU54B|DSP48\w*|DSP58\w*)$/,
  rams: /^(SB_RAM40_4K\w*|SB_SPRAM256KA|DP16KD|PDPW16KD|TRELLIS_DPR16X4|RAMB\w+|RAM(16|32|64|128|256)\w+|\$mem\w*)$/,
} as const;

export type ResourceCounts = Record<keyof typeof RESOURCE_CELLS, number>;

export function countResources(cells: Record<string, number>): ResourceCounts {
  const counts: ResourceCounts = { luts: 0, ffs: 0, carries: 0, dsps: 0, rams: 0 };
  for (const [cell, count] of Object.entries(cells)) {
    for (const resource of Object.keys(RESOURCE_CELLS) as (keyof ResourceCounts)[]) {
      if (RESOURCE_CELLS[resource].test(cell)) counts[resource] += count;
    }
  }
  return counts;
}

/** The cell counts of the whole design from the output of Yosys `stat -json`. */
export function cellsFromStat(statJson: string): Record<string, number> {
  const stat = JSON.parse(statJson) as { design?: { num_cells_by_type?: Record<string, number> } };
  const cells = stat.design?.num_cells_by_type;
  if (!cells) throw new Error('Yosys stat -json output has no design.num_cells_by_type');
  return Object.fromEntries(Object.entries(cells).sort(([a], [b]) => a.localeCompare(b)));
}
