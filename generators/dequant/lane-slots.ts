// Where each lane's code sits in the packed word (docs/w4a16.md#packing). Sequential (GPTQ, RaZeR's GEMV
// kernel, MX and NVFP4 storage): lane j is slot j, slot j at bits [s·j + s−1 : s·j]. AWQ: within each
// 32-bit word of eight 4-bit slots, logical element j is in slot AWQ_REVERSE_ORDER[j] (0x75316420 holds
// 0..7).

import { AWQ_REVERSE_ORDER } from '../formats/index.ts';

export const PACKINGS = ['sequential', 'awq'] as const;
export type Packing = (typeof PACKINGS)[number];

/** The slot that holds logical lane j, for every lane. */
export function laneSlots(lanes: number, packing: Packing): number[] {
  return Array.from({ length: lanes }, (_, j) =>
    packing === 'sequential' ? j : 8 * Math.floor(j / 8) + AWQ_REVERSE_ORDER[j % 8]!,
  );
}

/**
 * Lanes are built in groups of consecutive slots, at most 16 groups per word, so that the word's split
 * and the output's join at the top level stay short. Returns the group size; lane j of a group sits
 * in the group's slot `slots[j] mod size` (AWQ interleaves within groups of 8).
 */
export function laneGroupSize(slots: readonly number[]): number {
  const sequential = slots.every((slot, j) => slot === j);
  if (!sequential) return 8;
  return [1, 2, 4, 8].find((k) => slots.length % k === 0 && slots.length / k <= 16) ?? 8;
}
