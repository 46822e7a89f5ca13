import { describe, expect, it } from 'vitest';
import { handshakeTrace } from './waveform.ts';

/** The results the sink takes (out_valid && out_ready), in order. */
function taken(trace: ReturnType<typeof handshakeTrace>): number[] {
  return trace.delivered.filter((d, t) => trace.outValid[t] && trace.outReady[t] && d >= 0);
}

describe("the README waveform's handshake model", () => {
  for (const skid of [false, true])
    it(`${skid ? 'skid buffer' : 'stall'}: every vector taken once and every result delivered once, in order`, () => {
      const trace = handshakeTrace(3, true, 4, skid);
      const accepted = trace.offered.filter((v, t) => v >= 0 && trace.inReady[t]);
      expect(accepted).toEqual([0, 1, 2, 3]);
      expect(taken(trace)).toEqual([0, 1, 2, 3]);
    });

  it('a stall freezes the pipeline in the stalled cycle; a skid buffer in the cycle after it', () => {
    const stall = handshakeTrace(3, true, 4, false);
    const skid = handshakeTrace(3, true, 4, true);
    const stalledAt = stall.outReady.indexOf(false);
    expect(skid.outReady.indexOf(false)).toBe(stalledAt);
    expect(stall.inReady.indexOf(false)).toBe(stalledAt);
    expect(skid.inReady.indexOf(false)).toBe(stalledAt + 1);
    // The waiting result stays on the outputs until taken.
    expect(skid.delivered[stalledAt + 1]).toBe(skid.delivered[stalledAt]);
    expect(skid.inReady.filter((r) => !r)).toHaveLength(1);
  });
});
