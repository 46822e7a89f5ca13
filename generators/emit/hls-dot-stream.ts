import { ModuleBuilder } from '../hdl/module.ts';
import type { Module } from '../hdl/ir.ts';
import type { Signal } from '../hdl/signal.ts';
import { SInt, UInt } from '../hdl/types.ts';
import { intTag } from '../naming.ts';
import type { HlsLoopDesign } from './hls-loop.ts';

/** An N-lane integer dot product over a stream of K vectors: the example of a loop-level HLS design. */
export interface DotStreamParams {
  /** Lanes per vector (N). */
  lanes: number;
  /** Vectors per dot product (K): one result per K vectors. */
  length: number;
  /** Bits per lane. */
  width: number;
  signed: boolean;
}

/** Bits of the exact sum of `count` products of two `width`-bit lanes. */
export function dotWidths(p: DotStreamParams): { lanesDot: number; acc: number } {
  const lanesDot = 2 * p.width + Math.ceil(Math.log2(p.lanes));
  return { lanesDot, acc: 2 * p.width + Math.ceil(Math.log2(p.lanes * p.length)) };
}

/**
 * The flat IR kernel: the dot product of two packed N-lane vectors (lane i in bits i*W .. i*W+W-1),
 * N multipliers and a balanced adder tree, exact. Its HLS function is called once per loop iteration.
 */
export function dotKernel(p: DotStreamParams): Module {
  const name = `dot_lanes_${intTag(p.width, p.signed)}_n${p.lanes}`;
  const m = new ModuleBuilder(name, { generator: 'hls_dot_stream', params: { ...p } });
  const packed = UInt(p.lanes * p.width);
  const a = m.input('a', packed, `${p.lanes} lanes of ${intTag(p.width, p.signed)}, lane 0 lowest`);
  const b = m.input('b', packed, `${p.lanes} lanes of ${intTag(p.width, p.signed)}, lane 0 lowest`);
  const lane = (v: Signal, i: number) => {
    const bits = v.slice((i + 1) * p.width - 1, i * p.width);
    return p.signed ? bits.asSigned() : bits;
  };
  let level = Array.from({ length: p.lanes }, (_, i) => lane(a, i).mul(lane(b, i)).named(`product${i}`));
  while (level.length > 1) {
    const next: Signal[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(level[i]!.add(level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!.resize(next[0]!.width));
    level = next;
  }
  const width = dotWidths(p).lanesDot;
  m.output('dot', level[0]!.resize(width), 'sum of the lane products');
  return m.build();
}

/**
 * The loop-level design: per call, K iterations of a pipelined loop (II=1) read one vector from each of
 * the streams a and b, call the kernel, and accumulate; the exact sum is written to the stream result.
 */
export function dotStreamDesign(p: DotStreamParams): HlsLoopDesign {
  const kernel = dotKernel(p);
  const widths = dotWidths(p);
  const type = (w: number) => (p.signed ? SInt(w) : UInt(w));
  const packed = UInt(p.lanes * p.width);
  const tag = intTag(p.width, p.signed);
  return {
    name: `dot_stream_${tag}_n${p.lanes}_k${p.length}`,
    origin: { generator: 'hls_dot_stream', params: { ...p } },
    timing: `loop-level, one dot product of ${p.length} vectors per call, loop II=1`,
    doc: [
      `The dot product of ${p.length} pairs of ${p.lanes}-lane ${tag} vectors read from the streams a and b,`,
      `written exactly (${widths.acc} bits) to the stream result: one result per call.`,
    ],
    args: [
      { kind: 'stream', name: 'a', direction: 'input', type: packed, doc: `${p.lanes} lanes of ${tag}` },
      { kind: 'stream', name: 'b', direction: 'input', type: packed, doc: `${p.lanes} lanes of ${tag}` },
      { kind: 'stream', name: 'result', direction: 'output', type: type(widths.acc), doc: 'the dot product' },
    ],
    bodyTemplate: 'hls/dot-stream.cpp.hbs',
    context: {
      length: p.length,
      kernel: kernel.name,
      packedType: `ap_uint<${packed.width}>`,
      lanesDotType: `${p.signed ? 'ap_int' : 'ap_uint'}<${widths.lanesDot}>`,
      accType: `${p.signed ? 'ap_int' : 'ap_uint'}<${widths.acc}>`,
    },
    kernels: [kernel],
  };
}
