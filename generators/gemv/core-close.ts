// The GEMV core's group close: U close units, each serving R rows one after another, a close at most
// every T cycles (T ≤ chunks per group keeps up with the chunks). Each step enters the close pipeline:
// the scale product, then the row's fp32 sum (the loop: the row's sum is read as it enters the sum
// kernel and written as it leaves), then for a block's last group the output conversion, whose
// results go to the output buffer.
import { unsignedBits } from '../arith/widths.ts';
import type { Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { cat, mux, select, type Signal } from '../hdl/signal.ts';
import { SInt, UInt, type HdlType } from '../hdl/types.ts';
import type { CoreLayout } from './core-layout.ts';
import { gemvOrigin, type GemvParams } from './gemv.ts';
import { registerLine } from './register-line.ts';

export function coreClose(p: GemvParams, L: CoreLayout): Module {
  const { P, I, R, T, lat, meta, sumAt, writeAt, resultAt, serialScale, slotBits } = L;
  const { chunk, groupDot, groupAct, ...close } = L.kernels;
  const m = new ModuleBuilder(`${L.name}_close`, gemvOrigin(p), { sequential: true });
  const closeLoad = m.input('close_load', UInt(1), "a group's sums are ready: its close starts");
  const closeLastOfBlock = m.input('block_done', UInt(1), "the group is its block's last");
  const metaClose = m.input('meta', UInt(P * meta.bits), "the group's scale entries");
  const xScaleClose = L.shape.activationScale ? m.input('x_scale', UInt(L.xScaleBits)) : undefined;
  const firstGroup2 = m.input('first_group', UInt(1), "the group is its block's first");
  const jobDone2 = m.input('job_done', UInt(1));
  const rows2 = m.input('rows', UInt(L.outBits));
  const slot2 = I > 1 ? m.input('slot', UInt(slotBits)) : undefined;
  const setEnd2 = I > 1 ? m.input('set_end', UInt(1)) : undefined;
  const sums = Array.from({ length: P }, (_, r) => ({
    dot: m.input(`dot${r}`, SInt(groupDot)),
    bad: m.input(`bad${r}`, UInt(1)),
  }));
  const closeAct = m.input('act', SInt(groupAct));
  // Aligned groups carry their block exponent.
  const groupExp =
    L.shape.accumulation === 'aligned'
      ? m.input('exp', chunk.ports.find((q) => q.name === 'exp')!.type)
      : undefined;

  const closing = m.register('closing_s2', UInt(1), { reset: 0 });
  const step = T > 1 ? m.register('close_step_q', UInt(unsignedBits(T - 1)), { reset: 0 }) : undefined;
  const one = m.constant(1, UInt(1));
  const lastStep = step === undefined ? one : step.eq(T - 1).named('close_last_step');
  const rowStep = step === undefined || T === R ? one : step.lt(R).named('close_row_step');
  const stepRow = R > 1 ? step!.resize(unsignedBits(R - 1)).named('close_row') : undefined;
  const closeLine = (name: string, type: HdlType, reset?: number) =>
    registerLine(m, name, 'c', resultAt, type, reset);
  const closeValids = closeLine('close_valid', UInt(1), 0);
  const closeFinals = closeLine('close_final', UInt(1), 0);
  const closeSlots = I > 1 ? closeLine('close_slot', UInt(slotBits)) : undefined;

  const closeStep = closing.and(rowStep).named('close_step');
  closing.next(closeLoad.or(closing.and(lastStep.not())));
  step?.next(mux(lastStep, m.constant(0, step.type), step.add(1, { width: step.width })), {
    when: closing,
  });

  // What the later close cycles need of the step (tap k: k cycles after it entered): whether it is
  // valid, its block's last group, its row, the row's first group, the block's rows and end.
  const validAt = closeValids.feed(closeStep);
  const finalAt = closeFinals.feed(closeLastOfBlock);
  const tapped = (name: string, value: Signal) => closeLine(name, value.type).feed(value);
  const rowAt = stepRow === undefined ? undefined : tapped('close_row', stepRow);
  const firstAt = tapped('close_first', firstGroup2);
  const rowsAt = tapped('close_rows', rows2);
  const jobDoneAt = tapped('close_job_done', jobDone2);
  const slotAt = slot2 === undefined ? undefined : closeSlots!.feed(slot2);
  const setEndAt = setEnd2 === undefined ? undefined : tapped('close_set_end', setEnd2);
  const mine = (k: number, j: number) => (rowAt === undefined ? one : rowAt(k).eq(j));
  // `when` in the slot's entries only (interleaved).
  const inSlot = (when: Signal, k: number, b: number) =>
    slotAt === undefined ? when : when.and(slotAt(k).eq(b));
  const resultLoad = validAt(resultAt).and(finalAt(resultAt)).named('result_load');
  // A set's results go out after its last block's.
  const emit = (setEndAt === undefined ? resultLoad : resultLoad.and(setEndAt(resultAt)))
    .and(mine(resultAt, R - 1))
    .named('emit');

  // A close kernel's outputs, and `valid` delayed by its latency (its out_valid when pipelined).
  const kernel = (module: Module, name: string, inputs: Record<string, Signal>, valid: Signal) => {
    if (module.timing.kind === 'comb') return { out: m.instance(module, name, inputs), valid };
    const out = m.instance(module, name, { ...inputs, in_valid: valid });
    return { out, valid: out.out_valid! };
  };

  // A serial scale product for each row a unit serves: each starts at its row's step and gives its
  // product serialScale cycles later, in the steps' order, so that the unit's products come one a cycle
  // as a pipelined kernel's do.
  const serialScaleSteps = (
    module: Module,
    name: string,
    inputs: Record<string, Signal>,
    start: Signal,
    count: number,
    row: Signal | undefined,
  ) => {
    const engines = Array.from({ length: count }, (_, j) =>
      m.instance(module, count === 1 ? name : `${name}_row${j}`, {
        ...inputs,
        start: count === 1 ? start : start.and(row!.eq(j)).named(`${name}_row${j}_start`),
      }),
    );
    const out: Record<string, Signal> = {};
    for (const port of Object.keys(engines[0]!).filter((q) => q !== 'done'))
      out[port] = engines
        .slice(1)
        .reduce((value, engine) => mux(engine.done!, engine[port]!, value), engines[0]![port]!);
    return { out, valid: engines.map((e) => e.done!).reduce((a, b) => a.or(b)) };
  };

  // The row sums. Row r of slot b is entry b·P + r (interleaved: a row sum and a result per block in
  // flight); each entry of the output buffer is loaded from its row's unit.
  const slotted = (name: string, r: number, b: number) => (I > 1 ? `${name}${r}_b${b}_q` : `${name}${r}_q`);
  const accs = Array.from({ length: I * P }, (_, e) =>
    m.register(slotted('acc', e % P, Math.floor(e / P)), UInt(32)),
  );
  const resultLoads: Signal[] = new Array(I * P);
  const slots = Array.from({ length: I }, (_, b) => b);
  for (let u = 0; u < L.units; u++) {
    const rows = Array.from({ length: R }, (_, j) => u * R + j).filter((r) => r < P);
    const pick = (values: Signal[], by: Signal | undefined) =>
      values.length === 1 || by === undefined ? values[0]! : select(by, values);
    const entry = pick(
      rows.map((r) => metaClose.slice((r + 1) * meta.bits - 1, r * meta.bits)),
      stepRow,
    );
    const scaleInputs = {
      dot: pick(
        rows.map((r) => sums[r]!.dot),
        stepRow,
      ),
      act: closeAct,
      bad: pick(
        rows.map((r) => sums[r]!.bad),
        stepRow,
      ),
      s: entry.slice(meta.scaleBits - 1, 0),
      ...(xScaleClose === undefined ? {} : { sa: xScaleClose }),
      ...(meta.zeroBits ? { z: entry.slice(meta.scaleBits + meta.zeroBits - 1, meta.scaleBits) } : {}),
      ...(groupExp === undefined ? {} : { exp: groupExp }),
    };
    const scaled =
      serialScale === undefined
        ? kernel(close.scale, `scale${u}`, scaleInputs, closeStep)
        : serialScaleSteps(close.scale, `scale${u}`, scaleInputs, closeStep, rows.length, stepRow);
    const product: Record<string, Signal> = {};
    for (const [port, value] of Object.entries(scaled.out)) {
      if (port === 'out_valid') continue;
      const held = m.register(`${port.replace('product_', `product${u}_`)}_c${sumAt}`, value.type);
      held.next(value, { when: scaled.valid });
      product[port] = held;
    }
    const summed = kernel(
      close.sum,
      `sum${u}`,
      {
        ...product,
        acc: pick(
          rows.map((r) =>
            I > 1
              ? select(
                  slotAt!(sumAt),
                  slots.map((b) => accs[b * P + r]!),
                )
              : accs[r]!,
          ),
          rowAt?.(sumAt),
        ),
        first: firstAt(sumAt),
      },
      validAt(sumAt),
    );
    const accNext = summed.out.acc_next!;
    rows.forEach((r, j) =>
      slots.forEach((b) =>
        accs[b * P + r]!.next(accNext, { when: inSlot(summed.valid.and(mine(writeAt, j)), writeAt, b) }),
      ),
    );
    rows.forEach((r, j) =>
      slots.forEach((b) => (resultLoads[b * P + r] = inSlot(resultLoad.and(mine(resultAt, j)), resultAt, b))),
    );
    let y: Signal;
    if (close.convert === undefined || lat.convert === 0) {
      y =
        close.convert === undefined ? accNext : m.instance(close.convert, `convert${u}`, { acc: accNext }).y!;
    } else {
      // A block's final sums go on to the output conversion, one row per cycle.
      const finalSum = m.register(`final${u}_c${writeAt + 1}`, UInt(32));
      finalSum.next(accNext, { when: summed.valid.and(finalAt(writeAt)) });
      y = kernel(
        close.convert,
        `convert${u}`,
        { acc: finalSum },
        validAt(writeAt + 1).and(finalAt(writeAt + 1)),
      ).out.y!;
    }
    m.output(`result${u}`, y, `unit ${u}'s result, loaded into its row's entry of the output buffer`);
  }
  m.output(
    'entry_load',
    resultLoads.length === 1 ? resultLoads[0]! : cat(...[...resultLoads].reverse()),
    'load entry e (row e mod P of block e / P) of the output buffer',
  );
  m.output('emit', emit, "a set's results are all in the output buffer: they go out");
  m.output('emit_rows', rowsAt(resultAt), 'how many');
  m.output('emit_last', jobDoneAt(resultAt), "they are the job's last");
  m.output(
    'busy',
    ([closing, ...closeValids.registers] as Signal[]).reduce((any, v) => any.or(v)),
    'a group is closing',
  );
  return m.build();
}
