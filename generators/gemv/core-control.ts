// The GEMV core's job controller: takes a start, checks K and N, runs the job until the issue has sent
// its last chunk (or a stream broke its framing), and finishes once every stream has ended and the
// pipeline is empty. It owns the stream handshakes' ready signals and the job's status.
import type { Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import { mux } from '../hdl/signal.ts';
import { UInt } from '../hdl/types.ts';
import type { CoreLayout } from './core-layout.ts';
import { gemvOrigin, type GemvParams } from './gemv.ts';
import { GEMV_STATUS } from './status.ts';

export function coreControl(p: GemvParams, L: CoreLayout): Module {
  const m = new ModuleBuilder(`${L.name}_control`, gemvOrigin(p), { sequential: true });
  const start = m.input('start', UInt(1), 'begin a job (taken while busy is low)');
  const kLen = m.input('k_len', UInt(L.kBits));
  const nLen = m.input('n_len', UInt(L.nBits));
  const xValid = m.input('x_tvalid', UInt(1));
  const xLast = m.input('x_tlast', UInt(1));
  const wValid = m.input('w_tvalid', UInt(1));
  const wLast = m.input('w_tlast', UInt(1));
  const sValid = m.input('s_tvalid', UInt(1));
  const sLast = m.input('s_tlast', UInt(1));
  const fire = m.input('fire', UInt(1), 'the issue sends a chunk');
  const lastIssue = m.input('last_issue', UInt(1), "the chunk at the issue is the job's last");
  const groupFirst = m.input(
    'group_first',
    UInt(1),
    'the chunk at the issue opens its group (takes an s beat)',
  );
  const xError = m.input('x_error', UInt(1), "an x beat's tlast is misplaced");
  const wBad = m.input('w_bad', UInt(1), 'the w beat at the issue has a misplaced tlast');
  const streamError = m.input('stream_error', UInt(1), 'a beat taken now breaks the framing');
  const pipelineEmpty = m.input('pipeline_empty', UInt(1), 'no chunk, close or y beat is in flight');

  const fsm = m.fsm('state', ['idle', 'run', 'finish'] as const);
  const idle = fsm.is('idle');
  const running = fsm.is('run');
  const finishing = fsm.is('finish');
  const xEnded = m.register('x_ended_q', UInt(1), { reset: 1 });
  const wEnded = m.register('w_ended_q', UInt(1), { reset: 1 });
  const sEnded = m.register('s_ended_q', UInt(1), { reset: 1 });
  const errorQ = m.register('error_q', UInt(1), { reset: 0 });
  const status = m.register('status_q', UInt(3), { reset: GEMV_STATUS.ok });
  const done = m.register('done_q', UInt(1), { reset: 0 });

  // An x beat is taken whenever the job still needs x, w and s beats when their chunk issues; after an
  // error every stream is discarded up to its tlast.
  const xBeat = running.and(xValid).and(xEnded.not()).named('x_beat');
  const draining = finishing.and(errorQ).named('draining');
  const xTake = running.or(draining).and(xEnded.not()).named('x_take');
  const wTake = fire.or(draining.and(wEnded.not())).named('w_take');
  const sTake = fire.and(groupFirst).or(draining.and(sEnded.not())).named('s_take');

  const badK = kLen.eq(0).or(kLen.gt(p.maxK)).named('bad_k');
  const badN = nLen.eq(0).or(nLen.gt(p.maxN)).named('bad_n');
  const begin = idle.and(start).named('start_taken');
  const accept = begin.and(badK.not()).and(badN.not()).named('accept');
  const reject = begin.and(badK.or(badN)).named('reject');
  // The job is done in the cycle its last y beat leaves.
  const streamsEnded = xEnded.and(wEnded).and(sEnded);
  const finished = finishing.and(pipelineEmpty).and(streamsEnded).named('finished');

  m.when(accept, () => fsm.goto('run'))
    .elsewhen(fire.and(lastIssue).or(streamError), () => fsm.goto('finish'))
    .elsewhen(finished, () => fsm.goto('idle'));
  xEnded.next(accept.not().and(xEnded.or(xTake.and(xValid).and(xLast))));
  wEnded.next(accept.not().and(wEnded.or(wTake.and(wValid).and(wLast))));
  sEnded.next(accept.not().and(sEnded.or(sTake.and(sValid).and(sLast))));
  errorQ.next(reject.or(begin.not().and(errorQ.or(streamError))));
  const code = (c: number) => m.constant(c, UInt(3));
  status.next(
    mux(
      begin,
      mux(badK, code(GEMV_STATUS.badK), mux(badN, code(GEMV_STATUS.badN), code(GEMV_STATUS.ok))),
      // Faults found in the same cycle: x before w before s.
      mux(xError, code(GEMV_STATUS.xLast), mux(wBad, code(GEMV_STATUS.wLast), code(GEMV_STATUS.sLast))),
    ),
    { when: begin.or(streamError) },
  );
  done.next(reject.or(finished));

  m.output('running', running);
  m.output('start_taken', begin, 'a start is taken (the issue loads its counters, checked or not)');
  m.output('accept', accept, 'a start is taken with K and N in range');
  m.output('x_beat', xBeat, 'an x beat is taken into the job');
  m.output('x_tready', xTake);
  m.output('w_tready', wTake);
  m.output('s_tready', sTake);
  m.output('busy', idle.not());
  m.output('done', done);
  m.output('error', errorQ);
  m.output('status', status);
  return m.build();
}
