// Expected outputs recomputed from a plan's own stimulus rows, a few rows at a time, so that a variant
// is found out at its first differing row instead of after the whole plan. Each replay reads the rows
// as the plan wrote them and calls the same golden model with the same spec the plan uses; the harness
// checks that the correct replay reproduces every expected row of the plan.
import { floatLayout, formatBits, formatByName, type FloatFormat } from '../../generators/formats/index.ts';
import type { DequantParams } from '../../generators/dequant/dequant.ts';
import type { DotParams } from '../../generators/mac/dot.ts';
import type { MxDotParams } from '../../generators/mac/mx_dot.ts';
import type { FpMacParams } from '../../generators/mac/fp_mac.ts';
import type { IntMacParams } from '../../generators/mac/int_mac.ts';
import type { IntMulParams } from '../../generators/mul/int_mul.ts';
import { mixedWeightPorts, type MixedMacParams } from '../../generators/mac/mixed_mac.ts';
import type { FpMulParams } from '../../generators/mul/fp_mul.ts';
import type { LmulParams } from '../../generators/mul/lmul.ts';
import type { MultiFpMulParams } from '../../generators/mul/multi_fp_mul.ts';
import type { ReconfMulParams } from '../../generators/mul/reconf_mul.ts';
import { dequantGolden, type DequantInputs } from '../golden/dequant.ts';
import { dotGolden } from '../golden/dot.ts';
import { mxDotGeneralGolden, mxDotGolden, mxElement } from '../golden/mx_dot.ts';
import { fpMulGolden } from '../golden/fp_mul.ts';
import { intMacGolden } from '../golden/int_mac.ts';
import { intMulBits } from '../golden/int_mul.ts';
import { lmulGolden } from '../golden/lmul.ts';
import { mixedMacGolden } from '../golden/mixed_mac.ts';
import { reconfMulGolden } from '../golden/reconf_mul.ts';
import { dequantSpec, inputPorts } from '../plans/dequant.ts';
import { dotSpec } from '../plans/dot.ts';
import { mxDotSpec } from '../plans/mx_dot.ts';
import { fpMacExpected } from '../plans/fp_mac.ts';
import { fpMulSpec } from '../plans/fp_mul.ts';
import { lmulSpec } from '../plans/lmul.ts';
import { mixedMacSpec } from '../plans/mixed_mac.ts';
import { multiFpMulGolden } from '../plans/multi_fp_mul.ts';
import { reconfMulSpec } from '../plans/reconf_mul.ts';
import { pattern } from '../vectors/integers.ts';
import type { FpAddParams } from '../../generators/float/fp_add.ts';
import { codeBits, type FpConvertParams } from '../../generators/float/fp_convert.ts';
import { fpAddGolden } from '../golden/fp_add.ts';
import { fpConvertGolden } from '../golden/fp_convert.ts';
import { variantIs, variantPolicy } from '../golden/variant.ts';
import { fpAddSpec } from '../plans/fp_add.ts';
import { fpConvertSpec } from '../plans/fp_convert.ts';
import type { QuantizeParams } from '../../generators/quantize/quantize.ts';
import { quantizeExpected } from '../plans/quantize.ts';

/** The expected rows of a run of consecutive stimulus rows. */
export type Replay = (rows: readonly bigint[][]) => bigint[][];

/**
 * A generator's replay: `rows` when every row stands alone; `clearInput` when a row with a 1 in that
 * input's column starts afresh (sequences of accumulations), so that a run may start only there (a
 * unit without that input has rows that stand alone).
 */
export interface Replayer {
  independent: 'rows' | { clearInput: string };
  replay: (params: never) => Replay;
}

const n = Number;
const perRow =
  (f: (row: readonly bigint[]) => bigint[]): Replay =>
  (rows) =>
    rows.map(f);

/** The other input-subnormal rule, under the variant that swaps it. */
const inputSubnormals = (tag: string, rule: 'keep' | 'flush') =>
  variantIs(tag) ? (rule === 'keep' ? 'flush' : 'keep') : rule;

export const REPLAYERS: Record<string, Replayer> = {
  // fp_add and fp_convert: their golden models take the policy and the input rule from the spec, so the
  // replay applies the variant to the spec (every row is recomputed, TestFloat's and ml_dtypes' too).
  fp_add: {
    independent: 'rows',
    replay: (p: FpAddParams) => {
      const base = fpAddSpec(p);
      const spec = {
        ...base,
        policy: variantPolicy(base.policy),
        inputSubnormals: inputSubnormals('fp_add.input-subnormals', base.inputSubnormals),
      };
      const swapped = variantIs('fp_add.operation-swapped');
      return perRow(([a, b, sub]) => {
        const subtract = p.operation === 'input' ? sub === 1n : p.operation === 'subtract';
        const r = fpAddGolden(spec, n(a), n(b), subtract !== swapped);
        return p.flags ? [BigInt(r.code), BigInt(r.flags)] : [BigInt(r.code)];
      });
    },
  },
  fp_convert: {
    independent: 'rows',
    replay: (p: FpConvertParams) => {
      const base = fpConvertSpec(p);
      const spec = {
        ...base,
        policy: variantPolicy(base.policy),
        inputSubnormals: inputSubnormals('fp_convert.input-subnormals', base.inputSubnormals),
      };
      const inBits = BigInt(codeBits(p.inFormat, p.inWidth));
      const outBits = BigInt(codeBits(p.outFormat, p.outWidth));
      // Stochastic rounding: each lane's random bits, from the second column.
      const R = BigInt(p.stochasticBits ?? 0);
      return perRow(([word, rand]) => {
        let [y, flags] = [0n, 0n];
        for (let j = 0; j < p.lanes; j++) {
          const code = (word! >> (inBits * BigInt(j))) & ((1n << inBits) - 1n);
          const random = R === 0n ? undefined : (rand! >> (R * BigInt(j))) & ((1n << R) - 1n);
          const r = fpConvertGolden(spec, code, random);
          y |= r.code << (outBits * BigInt(j));
          flags |= BigInt(r.flags) << BigInt(5 * j);
        }
        return p.flags ? [y, flags] : [y];
      });
    },
  },
  // quantize: the golden model reads its variants itself (testbenches/golden/quantize.ts).
  quantize: {
    independent: 'rows',
    replay: (p: QuantizeParams) => perRow(([x, tensorScale]) => quantizeExpected(p, x!, tensorScale)),
  },
  int_mul: {
    independent: 'rows',
    replay: (p: IntMulParams) => perRow(([a, b]) => [intMulBits(p, a!, b!)]),
  },
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
  mx_dot: {
    // One Dot per row; a DotGeneral's clear starts its sum afresh.
    independent: { clearInput: 'clear' },
    replay: (p: MxDotParams) => {
      const spec = mxDotSpec(p);
      const lanes = (word: bigint, format: string) => {
        const element = mxElement(format);
        const w = BigInt(formatBits(element));
        const count = format === 'nvfp4' ? 16 : 32;
        return Array.from({ length: count }, (_, i) => n(BigInt.asUintN(n(w), word >> (w * BigInt(i)))));
      };
      if (p.accumulate === 'exact')
        return (rows) =>
          mxDotGeneralGolden(
            spec,
            rows.map(([a, sa, b, sb, clear]) => ({
              a: lanes(a!, p.aFormat),
              sa: n(sa),
              b: lanes(b!, p.bFormat),
              sb: n(sb),
              clear: clear === 1n,
            })),
          ).map((y) => [BigInt(y)]);
      return perRow(([a, sa, b, sb]) => [
        BigInt(mxDotGolden(spec, lanes(a!, p.aFormat), n(sa), lanes(b!, p.bFormat), n(sb))),
      ]);
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
    independent: { clearInput: 'clear' },
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
    independent: { clearInput: 'clear' },
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
    independent: { clearInput: 'clear' },
    replay: (p: MixedMacParams) => {
      const spec = mixedMacSpec(p);
      const { zeroPoint, selector } = mixedWeightPorts(p.weight);
      return (rows) =>
        mixedMacGolden(
          spec,
          rows.map((r) => ({
            w: n(r[0]),
            a: n(r[1]),
            clear: r[2] === 1n,
            s: n(r[3]),
            z: zeroPoint ? n(r[4]) : 0,
            sv: selector ? n(r[zeroPoint ? 5 : 4]) : 0,
          })),
        ).map((code) => [BigInt(code)]);
    },
  },
};
