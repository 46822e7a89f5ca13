// Where each lane's code sits in the packed word (SPEC.md §7.2). Sequential (GPTQ, RaZeR's GEMV
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
