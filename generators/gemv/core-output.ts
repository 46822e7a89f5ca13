// The GEMV core's output buffer: a set's results, held in the output format until they leave on y,
// one row per beat.
import type { Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { mux, select } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';
import type { CoreLayout } from './core-layout.ts';
import { gemvOrigin, type GemvParams } from './gemv.ts';

export function coreOutput(p: GemvParams, L: CoreLayout): Module {
  const { P, I, R, outBits, yBits } = L;
  const m = new ModuleBuilder(`${L.name}_out_buffer`, gemvOrigin(p), { sequential: true });
  const yReady = m.input('y_tready', UInt(1));
  const emit = m.input('emit', UInt(1), "the set's results are in: send them");
  const emitRows = m.input('emit_rows', UInt(outBits), 'how many');
  const emitLast = m.input('emit_last', UInt(1), "they are the job's last");
  const results = Array.from({ length: L.units }, (_, u) => m.input(`result${u}`, UInt(yBits)));
  const resultLoad = m.input('entry_load', UInt(I * P), "load entry e from its row's unit");

  // Row r of block b is entry b·P + r, served by close unit ⌊r / R⌋.
  const entries = Array.from({ length: I * P }, (_, e) => {
    const r = e % P;
    const y = m.register(I > 1 ? `y${r}_b${Math.floor(e / P)}_q` : `y${r}_q`, UInt(yBits));
    y.next(results[Math.floor(r / R)]!, { when: I * P === 1 ? resultLoad : resultLoad.bit(e) });
    return y;
  });

  // The beats still to go, counted down, so that the last beat is known without a subtraction.
  const outIndex = m.register('out_index_q', UInt(outBits), { reset: 0 });
  const outLeft = m.register('out_left_q', UInt(outBits), { reset: 0 });
  const finalBlock = m.register('out_final_q', UInt(1), { reset: 0 });
  const outPending = outLeft.ne(0).named('out_pending');
  const outLastIndex = outLeft.eq(1).named('out_last_index');
  const outFreeing = outPending.and(yReady).and(outLastIndex).named('out_freeing');
  finalBlock.next(emitLast, { when: emit });
  const yBeat = outPending.and(yReady).named('y_beat');
  outLeft.next(mux(emit, emitRows, mux(yBeat, outLeft.sub(1, { width: outBits }), outLeft)));
  outIndex.next(
    mux(emit, m.constant(0, outIndex.type), mux(yBeat, outIndex.add(1, { width: outIndex.width }), outIndex)),
  );

  const yData = (entries.length === 1 ? entries[0]! : select(outIndex, entries)).named('y_element');
  m.output('y_tdata', yData, `${p.outFormat} element of y`);
  m.output('y_tvalid', outPending);
  m.output('y_tlast', finalBlock.and(outLastIndex), 'on the last element of y');
  m.output('out_freeing', outFreeing, 'the last beat of the buffer leaves');
  m.output('holding', outPending.and(outFreeing.not()), 'results are still to leave after this cycle');
  return m.build();
}
