import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dotStreamDesign, dotWidths, type DotStreamParams } from '../../generators/emit/hls-dot-stream.ts';
import { emitHlsLoop } from '../../generators/emit/hls-loop.ts';
import { Random } from '../vectors/random.ts';
import { runHlsLoop, type StreamVectors } from './hls-stream.ts';

// A loop-level HLS design: an N-lane integer dot product over a stream of K vectors, whose loop body
// calls the flat HLS function of an IR kernel. The golden values are computed here, lane by lane.

/** `calls` dot products of `length` random vector pairs, and their exact sums. */
function dotVectors(p: DotStreamParams, calls: number, seed: number): StreamVectors {
  const rng = new Random(seed);
  const lane = (v: bigint, i: number) => {
    const bits = BigInt.asUintN(p.width, v >> BigInt(i * p.width));
    return p.signed ? BigInt.asIntN(p.width, bits) : bits;
  };
  const a: bigint[] = [];
  const b: bigint[] = [];
  const result: bigint[] = [];
  for (let c = 0; c < calls; c++) {
    let sum = 0n;
    for (let k = 0; k < p.length; k++) {
      // Every fourth vector pair holds extreme lanes, so that the exact width is needed.
      const extreme = k % 4 === 0;
      const va = extreme
        ? p.signed
          ? repeat(p, 1n << BigInt(p.width - 1))
          : repeat(p, -1n)
        : rng.bits(p.lanes * p.width);
      const vb = extreme
        ? p.signed
          ? repeat(p, 1n << BigInt(p.width - 1))
          : repeat(p, -1n)
        : rng.bits(p.lanes * p.width);
      a.push(va);
      b.push(vb);
      for (let i = 0; i < p.lanes; i++) sum += lane(va, i) * lane(vb, i);
    }
    result.push(BigInt.asUintN(dotWidths(p).acc, sum));
  }
  return { inputs: { a, b }, expected: { result }, calls };
}

function repeat(p: DotStreamParams, laneBits: bigint): bigint {
  let v = 0n;
  for (let i = 0; i < p.lanes; i++) v = (v << BigInt(p.width)) | BigInt.asUintN(p.width, laneBits);
  return v;
}

describe('loop-level HLS: a streaming dot product', () => {
  let workRoot = '';
  beforeAll(async () => {
    workRoot = await mkdtemp(join(tmpdir(), 'bitsmith-hls-loop-'));
  });
  afterAll(async () => {
    await rm(workRoot, { recursive: true, force: true });
  });

  it('frames the generator body: streams, axis pragmas, the kernel beside it', () => {
    const files = emitHlsLoop(dotStreamDesign({ lanes: 4, length: 16, width: 8, signed: true }));
    expect(files.map((f) => f.fileName)).toEqual([
      'bitsmith_ap.h',
      'bitsmith_stream.h',
      'dot_lanes_s8_n4.h',
      'dot_lanes_s8_n4.cpp',
      'dot_stream_s8_n4_k16.h',
      'dot_stream_s8_n4_k16.cpp',
    ]);
    const cpp = files[5]!.text;
    expect(cpp).toMatch(/^\/\/ timing: {5}loop-level, one dot product of 16 vectors per call, loop II=1$/m);
    expect(cpp).toContain('    hls::stream<ap_uint<32>>& a,     // input stream, 4 lanes of s8');
    expect(cpp).toContain('    hls::stream<ap_int<22>>& result  // output stream, signed, the dot product');
    expect(cpp).toContain('#pragma HLS INTERFACE mode=axis port=result');
    expect(cpp).toContain('#pragma HLS PIPELINE II=1');
    expect(cpp).toContain('dot_lanes_s8_n4(va, vb, lanes_dot);');
    expect(files[3]!.text).toContain('#pragma HLS INLINE');
  });

  const shapes: DotStreamParams[] = [
    { lanes: 4, length: 16, width: 8, signed: true },
    { lanes: 3, length: 5, width: 4, signed: false },
    { lanes: 8, length: 64, width: 16, signed: true },
  ];
  it.each(shapes)('$lanes lanes of $width bits (signed $signed), $length vectors per result', async (p) => {
    const vectors = dotVectors(p, 200, p.lanes);
    const result = await runHlsLoop(dotStreamDesign(p), vectors, {
      workDir: join(workRoot, `dot-${p.lanes}`),
    });
    expect(result.mismatches).toEqual([]);
    expect(result).toMatchObject({ simulator: 'hls', passed: 200, failed: 0, cycles: 200 });
  });

  it('reports a wrong result at its index, a missing one, and input left unread', async () => {
    const p = shapes[0]!;
    const design = dotStreamDesign(p);
    const vectors = dotVectors(p, 50, 2);
    const right = vectors.expected.result![17]!;
    vectors.expected.result![17] = right ^ 4n;
    const wrong = await runHlsLoop(design, vectors, { workDir: join(workRoot, 'dot-wrong') });
    expect(wrong).toMatchObject({ passed: 49, failed: 1 });
    expect(wrong.mismatches).toEqual([{ index: 17, port: 'result', expected: right ^ 4n, actual: right }]);

    // One call fewer: the last result is missing and the last vectors stay in the input streams.
    const short = await runHlsLoop(
      design,
      { ...dotVectors(p, 50, 2), calls: 49 },
      { workDir: join(workRoot, 'dot-wrong') },
    );
    expect(short).toMatchObject({ passed: 49, failed: 3 });
    expect(short.mismatches).toEqual([{ index: 49, port: 'out_valid', expected: 1n, actual: 0n }]);
  });
});
