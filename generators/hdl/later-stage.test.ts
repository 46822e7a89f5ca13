import { describe, expect, it } from 'vitest';
import { runUntimedVectors, untimedModule } from '../emit/hls-untimed.ts';
import { runVectors } from './evaluate.ts';
import { ModuleBuilder } from './module.ts';
import { UInt } from './types.ts';

/**
 * A register read in stage 0 and loaded, with `fromLaterStage`, in stage 2: `seen` is what a vector
 * finds in it on entry, the last odd x among the vectors that had passed stage 2 by then.
 */
function lastOdd() {
  const m = new ModuleBuilder('last_odd', { generator: 'test', params: {} });
  const x = m.input('x', UInt(8));
  const last = m.register('last_q', UInt(8), { reset: 0 });
  const seen = last.named('seen');
  m.stage();
  m.stage();
  last.next(x, { when: x.bit(0), fromLaterStage: true });
  m.output('seen', seen);
  return m.build();
}

describe('a register loaded in a later stage than it is read in', () => {
  it('loads when the vector that made its value passes that stage, whatever the first stage holds', () => {
    // Vector 0 (x = 1) reaches stage 2 in cycle 2, an idle cycle at the input: it loads all the same,
    // so vectors 2… (entering from cycle 3 on) see 1. Loaded with stage 0's valid, it would stay 0.
    const stimulus = [1, 2, 4, 6, 8, 10].map((x) => [BigInt(x)]);
    const out = runVectors(lastOdd(), stimulus, { idle: (cycle) => cycle === 2 });
    expect(out.map((row) => Number(row[0]))).toEqual([0, 0, 1, 1, 1, 1]);
  });

  it('is state in the untimed (HLS) view: each call sees what the previous calls loaded', () => {
    const untimed = untimedModule(lastOdd());
    expect(untimed.registers.map((r) => r.name)).toEqual(['last_q']);
    const out = runUntimedVectors(
      untimed,
      [1, 2, 5, 6].map((x) => [BigInt(x)]),
    );
    expect(out.map((row) => Number(row[0]))).toEqual([0, 1, 1, 5]);
  });
});
