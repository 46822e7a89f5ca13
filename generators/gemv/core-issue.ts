// The GEMV core's issue: walks the job's chunks (P rows × S elements each) over its blocks of rows,
// fires one when every stream it needs has a beat and the close and output can take it, checks the
// streams' framing, buffers x for the later blocks, and holds the fired chunk in stage 1.
import { unsignedBits } from '../arith/widths.ts';
import type { Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { cat, mux, type Signal } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';
import type { CoreLayout } from './core-layout.ts';
import { gemvOrigin, type GemvParams } from './gemv.ts';

export function coreIssue(p: GemvParams, L: CoreLayout): Module {
  const { P, S, I, ab, chunkBits, laneBits, rowBits, slotBits, outBits, groupChunks, T, lat, meta } = L;
  const { chunk, nibbles } = L.kernels;
  const weight = L.shape.weight;
  const m = new ModuleBuilder(`${L.name}_issue`, gemvOrigin(p), { sequential: true });
  const running = m.input('running', UInt(1), 'a job is running');
  const begin = m.input('start_taken', UInt(1), 'a start is taken');
  const accept = m.input('accept', UInt(1), 'a start is taken with K and N in range');
  const xBeat = m.input('x_beat', UInt(1), 'an x beat is taken into the job');
  const kLen = m.input('k_len', UInt(L.kBits));
  const nLen = m.input('n_len', UInt(L.nBits));
  const xData = m.input('x_tdata', UInt(L.xBeatBits));
  const xValid = m.input('x_tvalid', UInt(1));
  const xLast = m.input('x_tlast', UInt(1));
  const wData = m.input('w_tdata', UInt(P * S * weight.bits));
  const wValid = m.input('w_tvalid', UInt(1));
  const wLast = m.input('w_tlast', UInt(1));
  const sData = m.input('s_tdata', UInt(P * meta.bits));
  const sValid = m.input('s_tvalid', UInt(1));
  const sLast = m.input('s_tlast', UInt(1));
  const outFreeing = m.input('out_freeing', UInt(1), "the output buffer's last y beat leaves");
  const xScaleIn =
    L.shape.activationScale?.kind === 'token' ? m.input('x_scale', UInt(L.xScaleBits)) : undefined;

  // The job's last chunk index (chunks − 1), and flags kept beside the counters they test, so the
  // issue decides from registers, not from comparisons on its own path.
  const chunkEnd = m.register('chunk_end_q', UInt(chunkBits), { reset: 0 });
  const lastChunk = m.register('last_chunk_q', UInt(1), { reset: 0 });
  const lastBlock = m.register('last_block_q', UInt(1), { reset: 0 });
  const inLastGroup = m.register('in_last_group_q', UInt(1), { reset: 0 });
  const lastGroupFrom = m.register('last_group_from_q', UInt(chunkBits), { reset: 0 });
  const lastLanes = m.register('last_lanes_q', UInt(laneBits), { reset: 0 });
  const chunkIndex = m.register('chunk_q', UInt(chunkBits), { reset: 0 });
  // A group of one chunk has no position to count: every chunk is its group's first and last.
  const groupPos =
    groupChunks > 1
      ? m.register('group_pos_q', UInt(unsignedBits(groupChunks - 1)), { reset: 0 })
      : undefined;
  const firstBlock = m.register('first_block_q', UInt(1), { reset: 0 });
  const rowsLeft = m.register('rows_left_q', UInt(rowBits), { reset: 0 });
  // Interleaved blocks: the issue visits the set's blocks in turn (slot 0 … I − 1) at every chunk;
  // slot_rows_q holds the rows from the slot's block to the job's end.
  const slot = I > 1 ? m.register('block_slot_q', UInt(slotBits), { reset: 0 }) : undefined;
  const slotRows = I > 1 ? m.register('slot_rows_q', UInt(rowBits), { reset: 0 }) : undefined;
  // x beats taken so far: x runs ahead of w into the buffer, by up to the whole vector.
  const xCount = m.register('x_count_q', UInt(chunkBits), { reset: 0 });

  // Stage 1 holds an issued chunk. Nothing after the issue stalls: the issue waits instead, on
  // registered state only (below), so no stall signal fans out to the pipeline.
  const valid1 = m.register('chunk_valid_s1', UInt(1), { reset: 0 });
  const lastChunk1 = m.register('group_last_s1', UInt(1));
  // A mixed core's stage 1, declared here because the issue waits on it: the chunk of an int8 group
  // stays a second cycle, its high halves first, then its low ones (nibbles.ts).
  // A bit-serial core's stage 1 likewise keeps each chunk for its passes (planes, terms), one per cycle.
  const passes = L.passes;
  const split = !L.splitStage1
    ? undefined
    : (() => {
        const firstChunk = m.register('group_first_s1', UInt(1));
        const xWord = m.register('x_word_s1', UInt(L.xBeatBits));
        const bufferWord = m.register('x_buffer_s1', UInt(L.xBeatBits));
        const fromX = m.register('from_x_s1', UInt(1), { reset: 0 });
        const xChunk = mux(fromX, xWord, bufferWord).named('x_chunk');
        if (nibbles === undefined) {
          const pass = m.register('pass_s1', UInt(unsignedBits(passes - 1)), { reset: 0 });
          const high = valid1.and(pass.ne(passes - 1)).named('more_passes');
          pass.next(mux(high, pass.add(1, { width: pass.width }), m.constant(0, pass.type)));
          const second = pass.ne(0).named('later_pass');
          return { firstChunk, xWord, bufferWord, fromX, xChunk, second, high, pass };
        }
        const wideQ = m.register('group_wide_q', UInt(1));
        const wide = mux(firstChunk, xChunk.bit(S * ab), wideQ).named('group_wide');
        wideQ.next(wide, { when: valid1 });
        const second = m.register('second_pass_s1', UInt(1), { reset: 0 });
        const high = valid1.and(wide).and(second.not()).named('high_pass');
        second.next(high);
        return { firstChunk, xWord, bufferWord, fromX, xChunk, wide, second, high, pass: undefined };
      })();
  // Stage 1's registers keep the chunk through its high pass.
  const stage1 = split === undefined ? {} : { when: split.high.not() };
  // The group closes after its last chunk's last pass.
  const lastPass1 =
    split === undefined ? lastChunk1 : lastChunk1.and(split.high.not()).named('group_last_pass');

  // Issue: one chunk of P rows × S elements when every stream it needs has a beat.
  // The chunk moves on after the set's last block (its last slot, or the job's last block).
  const one = m.constant(1, UInt(1));
  const lastSlot =
    slot === undefined
      ? undefined
      : slot
          .eq(I - 1)
          .or(lastBlock)
          .named('last_slot');
  const groupFirst = groupPos === undefined ? one : groupPos.eq(0).named('group_first');
  const groupLast =
    groupPos === undefined
      ? one
      : groupPos
          .eq(groupChunks - 1)
          .or(lastChunk)
          .named('group_last');
  // In the first block a chunk's x word is in the buffer already, or arrives now (taken straight):
  // x_direct_q, set a cycle ahead (below).
  const xDirect = m.register('x_direct_q', UInt(1), { reset: 0 });
  const streamsReady = wValid
    .and(groupFirst.not().or(sValid))
    .and(xDirect.not().or(xValid))
    .named('streams_ready');
  // The issue rules, each from registers: a close unit is free for a group's last chunk (T cycles
  // since the last one); the output buffer is free for a set's first final visit (the previous set's
  // results have all left: claimed at that visit, freed by its last y beat); interleaved, the block's
  // previous visit was A cycles ago or more.
  const slotZero = slot === undefined ? one : slot.eq(0).named('slot_zero');
  const finalVisit = lastChunk.and(slotZero).named('final_visit');
  const outClaimed = m.register('out_claimed_q', UInt(1), { reset: 0 });
  let issueOk = finalVisit.and(outClaimed).not();
  const groupGap = T > 1 ? m.register('group_gap_q', UInt(unsignedBits(T - 1)), { reset: T - 1 }) : undefined;
  if (groupGap !== undefined) issueOk = issueOk.and(groupLast.not().or(groupGap.eq(T - 1)));
  // The visits of the last A − 2 cycles before the previous one; whether the slot at issue was visited
  // in the last A − 1 cycles is kept in recent_visit_q, set a cycle ahead (below).
  const visits =
    slot === undefined
      ? []
      : Array.from({ length: lat.sum - 1 }, (_, k) => ({
          fired: m.register(`visit_valid_h${k + 1}`, UInt(1), { reset: 0 }),
          slot: m.register(`visit_slot_h${k + 1}`, UInt(slotBits)),
        }));
  const recentVisit =
    slot !== undefined && lat.sum > 0 ? m.register('recent_visit_q', UInt(1), { reset: 0 }) : undefined;
  if (recentVisit !== undefined) issueOk = issueOk.and(recentVisit.not());
  const issuing = running.and(issueOk.named('issue_ok')).and(streamsReady);
  const fire = (split === undefined ? issuing : issuing.and(split.high.not())).named('fire');
  const lastIssue = lastChunk.and(lastBlock).named('last_issue');
  const lastGroup = lastBlock.and(inLastGroup).named('last_group');
  // An x beat is checked when it is taken, w and s beats when their chunk issues.
  const xLastExpected = xCount.eq(chunkEnd);
  const xError = xBeat.and(xLast.ne(xLastExpected)).named('x_error');
  const wBad = wLast.ne(lastIssue).named('w_bad');
  const sBad = groupFirst.and(sLast.ne(lastGroup));
  const streamError = xError.or(fire.and(wBad.or(sBad))).named('stream_error');

  const kMinus1 = kLen.sub(1, { width: L.kBits });
  const log2S = Math.log2(S);
  // The issue registers begin at every start taken, before the size checks: a rejected job's values
  // are never read (the job does not run), and the checks' carry chains stay off their enables, which
  // fan out to the whole issue. Each flag is set from k_len and n_len, and then from registers only.
  const kChunkEnd = kMinus1.shr(log2S).resize(chunkBits).named('k_chunk_end');
  chunkEnd.next(kChunkEnd, { when: begin });
  // A group of more chunks than any job has (maxK < group) is always the block's last.
  const fewerThanGroup = (chunk: Signal) =>
    groupChunks < 2 ** chunkBits ? chunk.lt(groupChunks) : m.constant(1, UInt(1));
  const kLastGroupFrom =
    groupChunks < 2 ** chunkBits
      ? mux(
          kChunkEnd.lt(groupChunks),
          m.constant(0, UInt(chunkBits)),
          kChunkEnd.sub(groupChunks, { width: chunkBits }),
        )
      : m.constant(0, UInt(chunkBits));
  lastGroupFrom.next(kLastGroupFrom, { when: begin });
  lastLanes.next(
    (log2S === 0 ? m.constant(0, UInt(laneBits)) : kMinus1.slice(log2S - 1, 0).resize(laneBits)).add(1, {
      width: laneBits,
    }),
    { when: begin },
  );
  const fireRound = lastSlot === undefined ? fire : fire.and(lastSlot).named('fire_round');
  const chunkMoves = begin.or(fireRound);
  const chunkNext = mux(
    lastChunk,
    m.constant(0, UInt(chunkBits)),
    chunkIndex.add(1, { width: chunkBits }),
  ).named('chunk_next');
  chunkIndex.next(mux(begin, m.constant(0, UInt(chunkBits)), chunkNext), { when: chunkMoves });
  const oneChunk = chunkEnd.eq(0);
  const nextIsLast = chunkIndex.add(1, { width: chunkBits }).eq(chunkEnd);
  lastChunk.next(mux(begin, kChunkEnd.eq(0), mux(lastChunk, oneChunk, nextIsLast)), { when: chunkMoves });
  // A group being opened is the block's last when it reaches the last chunk: the next group starts
  // at chunk_q + 1, which is in the last group from chunk_end_q − group chunks + 1 on.
  const oneGroup = fewerThanGroup(chunkEnd);
  inLastGroup.next(
    mux(begin, fewerThanGroup(kChunkEnd), mux(lastChunk, oneGroup, chunkIndex.ge(lastGroupFrom))),
    { when: begin.or(fireRound.and(groupLast)) },
  );
  groupPos?.next(
    mux(begin.or(groupLast), m.constant(0, groupPos.type), groupPos.add(1, { width: groupPos.width })),
    { when: begin.or(fireRound) },
  );
  firstBlock.next(begin.or(firstBlock.and(lastChunk.not())), { when: begin.or(fireRound) });
  const nextSetRows = rowsLeft.sub(I * P, { width: rowBits });
  const rowsMove = begin.or(fireRound.and(lastChunk));
  rowsLeft.next(mux(begin, nLen.resize(rowBits), nextSetRows), { when: rowsMove });
  const oneBlock = nLen.le(P);
  if (slot === undefined) lastBlock.next(mux(begin, oneBlock, nextSetRows.le(P)), { when: rowsMove });
  if (slot !== undefined && slotRows !== undefined && lastSlot !== undefined) {
    slot.next(mux(begin.or(lastSlot), m.constant(0, slot.type), slot.add(1, { width: slotBits })), {
      when: begin.or(fire),
    });
    const setStart = mux(lastChunk, nextSetRows, rowsLeft);
    const slotNextRows = slotRows.sub(P, { width: rowBits });
    slotRows.next(mux(begin, nLen.resize(rowBits), mux(lastSlot, setStart, slotNextRows)), {
      when: begin.or(fire),
    });
    lastBlock.next(mux(begin, oneBlock, mux(lastSlot, setStart.le(P), slotNextRows.le(P))), {
      when: begin.or(fire),
    });
  }
  xCount.next(mux(begin, m.constant(0, UInt(chunkBits)), xCount.add(1, { width: chunkBits })), {
    when: begin.or(xBeat),
  });
  outClaimed.next(
    mux(accept, m.constant(0, UInt(1)), outClaimed.or(fire.and(finalVisit)).and(outFreeing.not())),
  );
  groupGap?.next(
    mux(
      fire.and(groupLast),
      m.constant(0, groupGap.type),
      mux(groupGap.eq(T - 1), groupGap, groupGap.add(1, { width: groupGap.width })),
    ),
    // A mixed core's high pass delays its group's close by a cycle: the gap counts the cycles after it.
    // A bit-serial core's chunks all take the same passes, so its closes are as far apart as the issues
    // of its groups' last chunks: every cycle counts.
    nibbles === undefined ? {} : stage1,
  );
  visits.forEach((v, k) => {
    v.fired.next(k === 0 ? fire : visits[k - 1]!.fired);
    v.slot.next(k === 0 ? slot! : visits[k - 1]!.slot);
  });
  // The issue's decisions for the next cycle, made from registers, so that fire only selects among
  // them: fire fans out to every issue register, and its own path stays a few LUTs deep.
  const zero = m.constant(0, UInt(1));
  if (recentVisit !== undefined && slot !== undefined && lastSlot !== undefined) {
    // Visited among the registered visits (the last A − 2 cycles but one): the slot stays, moves on, or
    // goes back to 0. A visit now is recent for the next cycle when the slot stays (a set of one block).
    const visitedBefore = (to: Signal) =>
      visits.map((v) => v.fired.and(v.slot.eq(to))).reduce((any, v) => any.or(v), zero);
    const slotAfter = slot.add(1, { width: slotBits });
    const visitedSlotZero = visitedBefore(m.constant(0, slot.type)).named('visited_slot_zero');
    recentVisit.next(
      mux(
        fire,
        mux(lastSlot, slotZero.or(visitedSlotZero), visitedBefore(slotAfter)),
        mux(begin, visitedSlotZero, visitedBefore(slot)),
      ).named('recent_visit'),
    );
  }
  // x is level with the issue (x_count_q = chunk_q) in the next cycle: x takes a beat or not, the
  // chunk moves on or not.
  const xLevel = xCount.eq(chunkIndex);
  const xAheadByOne = xCount.eq(chunkIndex.add(1, { width: chunkBits }));
  const xBehindByOne = xCount.add(1, { width: chunkBits }).eq(chunkIndex);
  const xStays = firstBlock.and(slotZero).and(mux(xBeat, xBehindByOne, xLevel));
  const xRound = firstBlock.and(lastChunk.not()).and(mux(xBeat, xLevel, xAheadByOne));
  xDirect.next(
    mux(begin, one, mux(fireRound, xRound, lastSlot === undefined ? xStays : mux(fire, zero, xStays))).named(
      'x_direct_next',
    ),
  );

  // Activation buffer: every x beat is stored as it is taken; a chunk reads its word back, unless
  // its beat arrives in the cycle it issues (the lock-step path takes it straight from x_tdata).
  const depth = Math.max(2, Math.ceil(p.maxK / S));
  const addressBits = Math.ceil(Math.log2(depth));
  const buffer = m.memory('x_buffer', UInt(L.xBeatBits), depth);
  buffer.write(xCount.resize(addressBits).named('x_write_address'), xData, xBeat);
  const address = chunkIndex.resize(addressBits).named('x_address');
  const bufferWord = split?.bufferWord ?? m.register('x_buffer_s1', UInt(L.xBeatBits));
  bufferWord.next(buffer.read(address), stage1);
  const xWord = split?.xWord ?? m.register('x_word_s1', UInt(L.xBeatBits));
  xWord.next(xData, stage1);
  const fromX = split?.fromX ?? m.register('from_x_s1', UInt(1), { reset: 0 });
  fromX.next(xDirect, stage1);
  const wWord = m.register('w_word_s1', UInt(P * S * weight.bits));
  wWord.next(wData, stage1);
  const metaWord = m.register('meta_s1', UInt(P * meta.bits));
  // Loaded while the issue waits at a group's first chunk, so that the beat it fires with is in it
  // (later chunks of the group carry it on); fire, which fans out far, stays off its enable.
  metaWord.next(sData, { when: split === undefined ? groupFirst : groupFirst.and(split.high.not()) });
  const lanes1 = m.register('lanes_s1', UInt(laneBits));
  lanes1.next(mux(lastChunk, lastLanes, m.constant(S, UInt(laneBits))), stage1);
  // A group of one chunk has no sum to carry: its group sums are the chunk's (a mixed core's int8
  // group has two passes to add).
  const firstChunk1 =
    split?.firstChunk ?? (groupChunks === 1 ? undefined : m.register('group_first_s1', UInt(1)));
  firstChunk1?.next(groupFirst, stage1);
  lastChunk1.next(groupLast, stage1);
  const firstGroup1 = m.register('block_first_group_s1', UInt(1));
  firstGroup1.next(chunkIndex.zext(L.countBits).lt(groupChunks), stage1);
  // The erroneous beat never completes its block: no result of that block is emitted.
  const blockDone1 = m.register('block_done_s1', UInt(1));
  blockDone1.next(lastChunk.and(streamError.not()), stage1);
  const jobDone1 = m.register('job_done_s1', UInt(1));
  jobDone1.next(lastIssue, stage1);
  // The rows of the block (of the set, interleaved) that go to the output buffer.
  const rows1 = m.register('rows_s1', UInt(outBits));
  const setRowsLeft = I > 1 ? rowsLeft.le(I * P).named('last_set') : lastBlock;
  rows1.next(mux(setRowsLeft, rowsLeft.resize(outBits), m.constant(I * P, UInt(outBits))), stage1);
  const slot1 = slot === undefined ? undefined : m.register('block_slot_s1', UInt(slotBits));
  slot1?.next(slot!);
  const setEnd1 = lastSlot === undefined ? undefined : m.register('set_end_s1', UInt(1));
  setEnd1?.next(lastSlot!);
  valid1.next(fire, stage1);

  // The chunk kernel's inputs, from stage 1.
  const fields = chunk.ports.filter((q) => q.direction === 'input').map((q) => q.name);
  const xChunk = split?.xChunk ?? mux(fromX, xWord, bufferWord).named('x_chunk');
  const codes = L.xGroupScale ? xChunk.slice(S * ab - 1, 0) : xChunk;
  const chunkX =
    nibbles === undefined
      ? codes
      : m.instance(nibbles, 'nibbles', {
          x: xChunk.slice(S * ab - 1, 0),
          wide: split!.wide!,
          high: split!.high,
        }).y!;
  // A mixed core's group starts at its first chunk's first pass.
  const firstPass1 =
    split === undefined ? firstChunk1 : firstChunk1!.and(split.second.not()).named('group_first_pass');

  m.output('fire', fire);
  m.output('last_issue', lastIssue);
  m.output('group_first', groupFirst);
  m.output('x_error', xError);
  m.output('w_bad', wBad);
  m.output('stream_error', streamError);
  m.output('valid', valid1, 'stage 1 holds a chunk (or a pass of one)');
  m.output('x', chunkX, "the chunk kernel's activations");
  m.output('lanes', lanes1.resize(chunk.ports.find((q) => q.name === 'lanes')!.type.width));
  m.output('w', wWord);
  if (split?.pass !== undefined) m.output('pass', split.pass);
  if (weight.selector && fields.includes(weight.selector.field))
    m.output(weight.selector.field, selectorBits(metaWord, P, meta));
  m.output('last_pass', lastPass1, "the group's last chunk, on its last pass");
  if (firstPass1 !== undefined)
    m.output('first_pass', firstPass1, "the group's first chunk, on its first pass");
  if (nibbles !== undefined) m.output('high', split!.high, "an int8 group's high pass");
  m.output('first_group', firstGroup1, "the block's first group");
  m.output('block_done', blockDone1, "the block's last chunk");
  m.output('job_done', jobDone1, "the job's last chunk");
  m.output('rows', rows1, 'rows of the block (set) that go out');
  m.output('meta', metaWord, "the group's scale entries");
  if (slot1 !== undefined) m.output('slot', slot1);
  if (setEnd1 !== undefined) m.output('set_end', setEnd1, "the set's last block");
  if (L.xGroupScale) m.output('chunk_x_scale', xChunk.slice(L.xBeatBits - 1, S * ab + L.flagBits));
  if (xScaleIn !== undefined) {
    const taken = m.register('x_scale_q', UInt(L.xScaleBits));
    taken.next(xScaleIn, { when: begin });
    m.output('x_scale_taken', taken, 'x_scale as the job started');
  }
  return m.build();
}

/** The rows' group selectors (sv, dtype) from a scale beat. */
function selectorBits(metaWord: Signal, rows: number, meta: CoreLayout['meta']): Signal {
  const parts: Signal[] = [];
  for (let r = rows - 1; r >= 0; r--) {
    const lo = r * meta.bits + meta.scaleBits + meta.zeroBits;
    parts.push(metaWord.slice(lo + meta.svBits - 1, lo));
  }
  return parts.length === 1 ? parts[0]! : cat(...parts);
}
