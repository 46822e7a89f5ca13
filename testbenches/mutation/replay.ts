// Expected outputs recomputed from a plan's own stimulus rows, a few rows at a time, so that a variant
// is found out at its first differing row instead of after the whole plan. Each replay reads the rows
// as the plan wrote them and calls the same golden model with the same spec the plan uses; the harness
// checks that the correct replay reproduces every expected row of the plan.
import { floatLayout, formatByName, type FloatFormat } from '../../generators/formats/index.ts';
import type { DequantParams } from '../../generators/dequant/dequant.ts';
import type { DotParams } from '../../generators/mac/dot.ts';
import type { FpMacParams } from '../../generators/mac/fp_mac.ts';
import type { IntMacParams } from '../../generators/mac/int_mac.ts';
import { MIXED_WEIGHTS, type MixedMacParams } from '../../generators/mac/mixed_mac.ts';
import type { FpMulParams } from '../../generators/mul/fp_mul.ts';
import type { LmulParams } from '../../generators/mul/lmul.ts';
import type { MultiFpMulParams } from '../../generators/mul/multi_fp_mul.ts';
import type { ReconfMulParams } from '../../generators/mul/reconf_mul.ts';
import { dequantGolden, type DequantInputs } from '../golden/dequant.ts';
import { dotGolden } from '../golden/dot.ts';
import { fpMulGolden } from '../golden/fp_mul.ts';
import { intMacGolden } from '../golden/int_mac.ts';
import { lmulGolden } from '../golden/lmul.ts';
import { mixedMacGolden } from '../golden/mixed_mac.ts';
import { reconfMulGolden } from '../golden/reconf_mul.ts';
import { dequantSpec, inputPorts } from '../plans/dequant.ts';
import { dotSpec } from '../plans/dot.ts';
import { fpMacExpected } from '../plans/fp_mac.ts';
import { fpMulSpec } from '../plans/fp_mul.ts';
import { lmulSpec } from '../plans/lmul.ts';
import { mixedMacSpec } from '../plans/mixed_mac.ts';
import { multiFpMulGolden } from '../plans/multi_fp_mul.ts';
import { reconfMulSpec } from '../plans/reconf_mul.ts';
import { pattern } from '../vectors/integers.ts';

/** The expected rows of a run of consecutive stimulus rows. */
export type Replay = (rows: readonly bigint[][]) => bigint[][];

/**
 * A generator's replay: `rows` when every row stands alone; `clearColumn` when a row with a 1 in that
 * column starts afresh (sequences of accumulations), so that a run may start only there.
 */
export interface Replayer {
  independent: 'rows' | { clearColumn: number };
  replay: (params: never) => Replay;
}

const n = Number;
const perRow =
  (f: (row: readonly bigint[]) => bigint[]): Replay =>
  (rows) =>
    rows.map(f);

export const REPLAYERS: Record<string, Replayer> = {
  fp_mul: {
    independent: 'rows',
    replay: (p: FpMulParams) => {
      const spec = fpMulSpec(p);
      return perRow(([a, b]) => {
        const r = fpMulGolden(spec, n(a), n(b));
        return p.flags ? [BigInt(r.code), BigInt(r.flags)] : [BigInt(r.code)];
      });
    },
  },
  lmul: {
    independent: 'rows',
    replay: (p: LmulParams) => {
      const spec = lmulSpec(p);
      return perRow(([a, b]) => [BigInt(lmulGolden(spec, n(a), n(b)))]);
    },
  },
  reconf_mul: {
    independent: 'rows',
    replay: (p: ReconfMulParams) => {
      const spec = reconfMulSpec(p);
      return perRow(([a, b, mode]) => [BigInt(reconfMulGolden(spec, n(mode), n(a), n(b)))]);
    },
  },
  multi_fp_mul: {
    independent: 'rows',
    replay: (p: MultiFpMulParams) => {
      const golden = multiFpMulGolden(p);
      return perRow(([a, b, fmt]) => [BigInt(golden(n(fmt), n(a), n(b)))]);
    },
  },
  dot: {
    independent: 'rows',
    replay: (p: DotParams) => {
      const spec = dotSpec(p);
      const lanes = (word: bigint, format: string) => {
        const w = BigInt(floatLayout(formatByName(format) as FloatFormat).bits);
        return Array.from({ length: p.lanes }, (_, i) => n(BigInt.asUintN(n(w), word >> (w * BigInt(i)))));
      };
      return perRow(([a, b]) => [BigInt(dotGolden(spec, lanes(a!, p.aFormat), lanes(b!, p.bFormat)))]);
    },
  },
  dequant: {
    independent: 'rows',
    replay: (p: DequantParams) => {
      const golden = dequantGolden(dequantSpec(p));
      const ports = inputPorts(p);
      return perRow((row) => {
        const inputs: DequantInputs = { word: 0n, scale: 0, tensorScale: 0, zero: 0, select: 0 };
        ports.forEach((port, i) => {
          if (port.name === 'q') inputs.word = row[i]!;
          else inputs[port.name as Exclude<keyof DequantInputs, 'word'>] = n(row[i]);
        });
        return [golden(inputs)];
      });
    },
  },
  int_mac: {
    independent: { clearColumn: 2 },
    replay: (p: IntMacParams) => (rows) => {
      const read = (bits: bigint, width: number, signed: boolean) =>
        signed ? BigInt.asIntN(width, bits) : bits;
      const steps = rows.map(([a, b, clear]) => ({
        a: read(a!, p.aWidth, p.aSigned),
        b: read(b!, p.bWidth, p.bSigned),
        clear: clear === 1n,
      }));
      return intMacGolden(p, steps).map((acc) => [pattern(acc, p.accWidth)]);
    },
  },
  fp_mac: {
    // Without an accumulator every row is one FMA; otherwise a clear starts the sums afresh.
    independent: { clearColumn: 2 },
    replay: (p: FpMacParams) => (rows) =>
      fpMacExpected(
        p,
        rows.map((r) =>
          p.accumulator === 'none'
            ? { a: n(r[0]), b: n(r[1]), clear: true, c: n(r[2]) }
            : { a: n(r[0]), b: n(r[1]), clear: r[2] === 1n, ...(r[4] === 1n ? { c: n(r[3]) } : {}) },
        ),
      ),
  },
  mixed_mac: {
    independent: { clearColumn: 2 },
    replay: (p: MixedMacParams) => {
      const spec = mixedMacSpec(p);
      const { zeroPoint, specialValues } = MIXED_WEIGHTS[p.weight];
      return (rows) =>
        mixedMacGolden(
          spec,
          rows.map((r) => ({
            w: n(r[0]),
            a: n(r[1]),
            clear: r[2] === 1n,
            s: n(r[3]),
            z: zeroPoint ? n(r[4]) : 0,
            sv: specialValues ? n(r[zeroPoint ? 5 : 4]) : 0,
          })),
        ).map((code) => [BigInt(code)]);
    },
  },
};
