import type { Node } from '../hdl/ir.ts';

/**
 * How one operation maps to an FPGA's fabric, for the delay model (docs/timing.md):
 * - `wire`: slices, extensions, concatenations, inversions: no delay;
 * - `lut`: bitwise logic, bit i from bit i of each operand, `inputs` per bit: a cone of such operations
 *   maps to a tree of K-input LUTs (`select`: a mux, whose first operand steers every bit);
 * - `reduce`: the output depends on all `bits` bits of each operand (equality, a reduction): a LUT tree
 *   with `bits` leaves per operand;
 * - `shift`: a barrel shifter, `levels` mux levels deep, whose amount steers every bit;
 * - `carry`: a carry chain `bits` long (add, subtract, magnitude comparison): its low bits are ready
 *   early, so chained adders overlap; `chains` chain entries for multi-row structures;
 * - `dsp`: a hard multiplier, with `carry` bits of adders when the operands span several blocks;
 * - `const`: a constant.
 */
export type Mapped =
  | { op: 'wire'; lo?: number; hi?: number }
  | { op: 'lut'; select?: true }
  | { op: 'reduce'; bits: number }
  | { op: 'shift'; levels: number }
  | { op: 'carry'; bits: number; chains: number; compare: boolean }
  | { op: 'dsp'; carry: number }
  | { op: 'const' };

/** How a target maps logic: its LUT size, and which multiplies Yosys gives to DSP blocks. */
export interface Mapping {
  lutInputs: number;
  /** Multiplies with both operands at least this wide go to DSP blocks; undefined: LUTs only. */
  dspMinWidth?: number;
  /** The widest operand one DSP block takes. */
  dspMaxWidth?: number;
  /**
   * Additions and comparisons this wide or narrower are not given a carry chain: Yosys's carry
   * mapping declines them (arith_map.v: ECP5 up to 4 bits, iCE40 and Xilinx up to 2) and ABC maps
   * them to LUTs.
   */
  lutCarryMaxWidth: number;
}

/** LUT levels of a function of `inputs` bits on K-input LUTs (fractional: the tree's mean depth). */
export function lutLevels(inputs: number, map: Mapping): number {
  return inputs <= 1 ? 0 : Math.log2(inputs) / Math.log2(map.lutInputs);
}

/** How a node maps, from its kind and widths; `constantArg` marks constant operands (narrower logic). */
export function mapNode(
  node: Node,
  argWidths: readonly number[],
  constantArg: readonly boolean[],
  map: Mapping,
): Mapped {
  const operand = argWidths[0] ?? node.type.width;
  switch (node.kind) {
    case 'and':
    case 'or':
    case 'xor':
      return constantArg.some((c) => c) ? { op: 'wire' } : { op: 'lut' };
    case 'mux':
      return constantArg[0] ? { op: 'wire' } : { op: 'lut', select: true };
    case 'eq':
    case 'ne':
    case 'andr':
    case 'orr':
    case 'xorr':
      return { op: 'reduce', bits: operand };
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      return operand <= map.lutCarryMaxWidth
        ? { op: 'reduce', bits: operand }
        : { op: 'carry', bits: operand, chains: 1, compare: true };
    case 'add':
    case 'sub':
      return node.type.width <= map.lutCarryMaxWidth
        ? { op: 'reduce', bits: node.type.width }
        : { op: 'carry', bits: node.type.width, chains: 1, compare: false };
    case 'shl':
    case 'shr':
    case 'sra': {
      if (node.args.length < 2 || constantArg[1]) return { op: 'wire' };
      // A barrel shifter: a 2:1 mux level per bit of the amount that moves a bit within the word.
      const stages = Math.min(argWidths[1]!, Math.ceil(Math.log2(Math.max(2, operand))));
      return { op: 'shift', levels: stages * lutLevels(3, map) };
    }
    case 'mul': {
      const [a, b] = [argWidths[0]!, argWidths[1]!];
      const narrow = Math.min(a, b);
      if (!constantArg.some((c) => c) && map.dspMinWidth !== undefined && narrow >= map.dspMinWidth) {
        const blocks = Math.ceil(a / map.dspMaxWidth!) * Math.ceil(b / map.dspMaxWidth!);
        return { op: 'dsp', carry: blocks === 1 ? 0 : a + b };
      }
      // An array of rows, each added on a carry chain: the rows' ripples overlap, their entries add up.
      return { op: 'carry', bits: a + b, chains: narrow, compare: false };
    }
    case 'slice':
      return { op: 'wire', lo: node.lo!, hi: node.hi! };
    case 'const':
      return { op: 'const' };
    case 'not':
    case 'concat':
    case 'zext':
    case 'sext':
    case 'cast':
    case 'input':
    case 'reg':
    case 'instout':
    case 'memrd': // priced at the register it loads (timing-graph.ts): a block RAM's output is late
      return { op: 'wire' };
  }
}
