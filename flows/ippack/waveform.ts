import wavedrom, { type WaveJson } from 'wavedrom';
import skins from 'wavedrom/skins/default.js';
import { isControlPort, type Module, type Timing } from '../../generators/hdl/ir.ts';

/**
 * The handshake timing diagram of a module as WaveJSON: a short scenario (a few vectors, one input
 * bubble and, with backpressure, one stalled cycle) played through a model of the interface that
 * bitsmith's testbenches check: a vector accepted at edge t comes out at edge t + latency, counting
 * only cycles that advance (a cycle with out_valid && !out_ready freezes every stage).
 */
export function handshakeWave(module: Module): WaveJson | undefined {
  const inputs = module.ports.filter((p) => p.direction === 'input' && !isControlPort(p.name));
  const outputs = module.ports.filter((p) => p.direction === 'output' && !isControlPort(p.name));
  const timing = module.timing;
  if (timing.kind === 'comb') return combWave(inputs, outputs);
  // Streams have a wave per stream and job: the generator README shows them.
  if (timing.kind === 'sequential') return undefined;
  return pipelinedWave(timing, inputs, outputs);
}

type Lane = { name: string; wave: string; data?: string[] };

function combWave(inputs: readonly { name: string }[], outputs: readonly { name: string }[]): WaveJson {
  const vectors = 4;
  const lane = (name: string): Lane => ({
    name,
    wave: `x${'='.repeat(vectors)}x`,
    data: Array.from({ length: vectors }, (_, i) => `#${i}`),
  });
  return {
    signal: [...inputs.map((p) => lane(p.name)), {}, ...outputs.map((p) => lane(p.name))],
    head: { text: 'combinational: results follow the inputs' },
    config: { hscale: 2 },
  };
}

/** Cycle-by-cycle values of the handshake signals for the scenario. */
export interface HandshakeTrace {
  inValid: boolean[];
  inReady: boolean[];
  outValid: boolean[];
  outReady: boolean[];
  /** Index of the vector offered on the inputs each cycle (-1: none). */
  offered: number[];
  /** Index of the result on the outputs each cycle (-1: none). */
  delivered: number[];
}

/**
 * Plays the scenario: vectors 0..3 offered from cycle 1 with a bubble after the second; with
 * backpressure, out_ready is low in the cycle when the second result is first valid.
 */
export function handshakeTrace(latency: number, ready: boolean, vectors = 4, skid = false): HandshakeTrace {
  const cycles = latency + vectors + 5;
  const trace: HandshakeTrace = {
    inValid: [],
    inReady: [],
    outValid: [],
    outReady: [],
    offered: [],
    delivered: [],
  };
  // stages[k]: the vector held after k+1 advancing edges (-1: empty); the output is the last stage.
  const stages: number[] = Array.from({ length: latency }, () => -1);
  let next = 0;
  let stalled = false;
  // With a skid buffer: the registered advance, and the result waiting in the buffer (-1: empty).
  let advanceQ = true;
  let waiting = -1;
  for (let t = 0; t < cycles; t++) {
    const bubble = t === 0 || t === 3;
    const offering = !bubble && next < vectors;
    const out = waiting >= 0 ? waiting : stages[latency - 1]!;
    const outValid = out >= 0;
    // Stall once, on the first cycle the second result is out.
    const outReady = !(ready && outValid && out === 1 && !stalled);
    if (!outReady) stalled = true;
    const stall = outValid && !outReady;
    const advance = skid ? advanceQ : !stall;
    if (skid) {
      // The buffer takes the result the sink leaves while the pipeline moves, and gives it up when taken.
      if (advance && stall) waiting = stages[latency - 1]!;
      else if (!stall) waiting = -1;
      advanceQ = !stall;
    }
    trace.inValid.push(offering);
    trace.inReady.push(advance);
    trace.outValid.push(outValid);
    trace.outReady.push(outReady);
    trace.offered.push(offering ? next : -1);
    trace.delivered.push(out);
    if (advance) {
      for (let k = latency - 1; k > 0; k--) stages[k] = stages[k - 1]!;
      stages[0] = offering ? next : -1;
      if (offering) next++;
    }
  }
  return trace;
}

function pipelinedWave(
  timing: Extract<Timing, { kind: 'pipelined' }>,
  inputs: readonly { name: string }[],
  outputs: readonly { name: string }[],
): WaveJson {
  const trace = handshakeTrace(timing.latency, timing.ready, 4, timing.skid === true);
  const bit = (name: string, values: boolean[]): Lane => ({ name, wave: bitWave(values) });
  const data = (name: string, indices: number[]): Lane => dataWave(name, indices);
  const control = timing.ready
    ? [bit('in_valid', trace.inValid), bit('in_ready', trace.inReady)]
    : [bit('in_valid', trace.inValid)];
  const outControl = timing.ready
    ? [bit('out_valid', trace.outValid), bit('out_ready', trace.outReady)]
    : [bit('out_valid', trace.outValid)];
  const l = timing.latency;
  return {
    signal: [
      { name: 'clk', wave: `p${'.'.repeat(trace.inValid.length - 1)}` },
      {},
      ...control,
      ...inputs.map((p) => data(p.name, trace.offered)),
      {},
      ...outControl,
      ...outputs.map((p) => data(p.name, trace.delivered)),
    ],
    head: { text: `latency ${l}${timing.ready ? ', valid/ready' : ', valid only'}`, tick: 0 },
    foot: { text: 'data labels: vector number' },
    config: { hscale: 1 },
  };
}

function bitWave(values: boolean[]): string {
  return values.map((v, i) => (i > 0 && values[i - 1] === v ? '.' : v ? '1' : '0')).join('');
}

function dataWave(name: string, indices: number[]): Lane {
  // Labels are vector numbers: the port name is on the lane already, and short labels fit a cycle.
  const data: string[] = [];
  const wave = indices
    .map((v, i) => {
      if (i > 0 && indices[i - 1] === v) return '.';
      if (v < 0) return 'x';
      data.push(`#${v}`);
      return '=';
    })
    .join('');
  return { name, wave, data };
}

/** The diagram as an SVG document, rendered by the wavedrom package (same input, same bytes). */
export function renderWaveSvg(source: WaveJson): string {
  const tree = wavedrom.renderAny(0, source, skins);
  return wavedrom.onml.stringify(tree) + '\n';
}
