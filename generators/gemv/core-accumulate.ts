// The GEMV core's group sums (stage 2): each chunk's exact dot products, once out of the chunk kernel,
// are added into their group's sums per row; at the group's last chunk the sums and the group's
// metadata are handed to the close. What stage 2 needs of a chunk travels beside it through the chunk
// kernel's stages.
import type { Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { mux, type Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';
import type { CoreLayout } from './core-layout.ts';
import { gemvOrigin, type GemvParams } from './gemv.ts';
import { registerLine } from './register-line.ts';

export function coreAccumulate(p: GemvParams, L: CoreLayout): Module {
  const { P, R, lat, meta } = L;
  const { chunk, nibbles, groupDot, groupAct } = L.kernels;
  const aligned = L.shape.accumulation === 'aligned';
  const chunkPort = (name: string) => chunk.ports.find((q) => q.name === name)!.type;
  const m = new ModuleBuilder(`${L.name}_accumulate`, gemvOrigin(p), { sequential: true });
  const valid1 = m.input('valid', UInt(1), 'stage 1 holds a chunk');
  const act = m.input('act', chunkPort('act'), "the chunk's activation sum");
  const exp = aligned ? m.input('exp', chunkPort('exp'), "the chunk's block exponent") : undefined;
  const dots = Array.from({ length: P }, (_, r) => m.input(`dot${r}`, chunkPort(`dot${r}`)));
  const bads = Array.from({ length: P }, (_, r) => m.input(`bad${r}`, UInt(1)));
  const lastPass1 = m.input('last_pass', UInt(1));
  const firstPass1 = L.firstPass ? m.input('first_pass', UInt(1)) : undefined;
  const high1 = nibbles === undefined ? undefined : m.input('high', UInt(1));
  const firstGroup1 = m.input('first_group', UInt(1));
  const blockDone1 = m.input('block_done', UInt(1));
  const jobDone1 = m.input('job_done', UInt(1));
  const rows1 = m.input('rows', UInt(L.outBits));
  const meta1 = m.input('meta', UInt(P * meta.bits));
  const slot1 = L.I > 1 ? m.input('slot', UInt(L.slotBits)) : undefined;
  const setEnd1 = L.I > 1 ? m.input('set_end', UInt(1)) : undefined;
  const chunkXScale = L.xGroupScale ? m.input('chunk_x_scale', UInt(L.xScaleBits)) : undefined;

  // The chunk's valid bit and values through the kernel's stages (k1 … kL).
  const chunkLine = (name: string, value: Signal, reset?: number) =>
    registerLine(m, name, 'k', lat.chunk, value.type, reset);
  const alongChunk = (name: string, value: Signal) => chunkLine(name, value).feed(value)(lat.chunk);
  const chunkValids = chunkLine('chunk_valid', valid1, 0);
  const validK = chunkValids.feed(valid1)(lat.chunk);
  const lastChunkK = alongChunk('group_last', lastPass1);
  const firstChunkK = firstPass1 && alongChunk('group_first', firstPass1);
  const highK = high1 && alongChunk('high_pass', high1);
  /**
   * The group's sum so far with this chunk's value: q + value, or value alone on its first chunk; a high
   * pass's value weighs 16.
   */
  const groupSum = (q: Signal, value: Signal, name: string) => {
    const term = () =>
      highK === undefined
        ? value.resize(q.width)
        : mux(highK, value.resize(q.width).shl(4), value.resize(q.width)).named(`${name}_term`);
    return (
      firstChunkK === undefined
        ? term()
        : mux(firstChunkK, m.constant(0, q.type), q).add(term(), { width: q.width })
    ).named(name);
  };
  const firstGroupK = alongChunk('block_first_group', firstGroup1);
  const blockDoneK = alongChunk('block_done', blockDone1);
  const jobDoneK = alongChunk('job_done', jobDone1);
  const rowsK = alongChunk('rows', rows1);
  const metaK = alongChunk('meta', meta1);
  const slotK = slot1 && alongChunk('block_slot', slot1);
  const setEndK = setEnd1 && alongChunk('set_end', setEnd1);

  // Stage 2: group sums per row, and the group's metadata while it closes.
  const load2 = validK.named('chunk_load');
  const groupActQ = m.register('group_act_q', SInt(groupAct));
  const groupActNext = groupSum(groupActQ, act, 'group_act');
  groupActQ.next(groupActNext, { when: load2 });
  const closeLoad = load2.and(lastChunkK).named('close_load');
  // Aligned groups are one chunk: the block exponent is the chunk's.
  const groupExp = exp && m.register('group_exp_q', exp.type);
  if (groupExp !== undefined) groupExp.next(exp!, { when: load2 });
  const held = (name: string, value: Signal, reset?: number) => {
    const r = m.register(name, value.type, reset === undefined ? {} : { reset });
    r.next(value, { when: closeLoad });
    return r;
  };
  const blockDone2 = held('block_done_s2', blockDoneK, 0);
  const metaClose = held('meta_s2', metaK);
  // A group's activation scale is read from its first x beat, held while its later chunks arrive and
  // kept while the group closes.
  let xScaleClose: Signal | undefined;
  if (chunkXScale !== undefined) {
    const chunkScale = alongChunk('x_scale', chunkXScale);
    let groupScale = chunkScale;
    if (firstChunkK !== undefined) {
      const kept = m.register('group_x_scale_q', UInt(L.xScaleBits));
      kept.next(chunkScale, { when: load2.and(firstChunkK) });
      groupScale = mux(firstChunkK, chunkScale, kept).named('group_x_scale');
    }
    xScaleClose = held('x_scale_s2', groupScale);
  }
  const firstGroup2 = held('block_first_group_s2', firstGroupK);
  const jobDone2 = held('job_done_s2', jobDoneK);
  const rows2 = held('rows_s2', rowsK);
  const slot2 = slotK && held('block_slot_s2', slotK);
  const setEnd2 = setEndK && held('set_end_s2', setEndK);

  // With R > 1 rows per close unit, the group sums are copied as the group closes, so that the next
  // group's chunks can add into them while the close steps through its rows.
  for (let r = 0; r < P; r++) {
    const dotQ = m.register(`group_dot${r}_q`, SInt(groupDot));
    const dotNext = groupSum(dotQ, dots[r]!, `group_dot${r}`);
    dotQ.next(dotNext, { when: load2 });
    const badQ = m.register(`group_bad${r}_q`, UInt(1));
    const badNext = (firstChunkK === undefined ? bads[r]! : firstChunkK.not().and(badQ).or(bads[r]!)).named(
      `group_bad${r}`,
    );
    badQ.next(badNext, { when: load2 });
    m.output(`sum_dot${r}`, R === 1 ? dotQ : held(`close_dot${r}_q`, dotNext));
    m.output(`sum_bad${r}`, R === 1 ? badQ : held(`close_bad${r}_q`, badNext));
  }
  m.output('sum_act', R === 1 ? groupActQ : held('close_act_q', groupActNext));
  if (groupExp !== undefined) m.output('sum_exp', groupExp);
  m.output('close_load', closeLoad, "a group's last chunk is summed: its close starts");
  m.output('block_done_close', blockDone2, "the closing group is its block's last");
  m.output('meta_close', metaClose);
  if (xScaleClose !== undefined) m.output('x_scale_close', xScaleClose);
  m.output('first_group_close', firstGroup2);
  m.output('job_done_close', jobDone2);
  m.output('rows_close', rows2);
  if (slot2 !== undefined) m.output('slot_close', slot2);
  if (setEnd2 !== undefined) m.output('set_end_close', setEnd2);
  if (lat.chunk > 0)
    m.output(
      'busy',
      (chunkValids.registers as readonly Signal[]).reduce((any, v) => any.or(v)),
      'a chunk is in the kernel',
    );
  return m.build();
}
