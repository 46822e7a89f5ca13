// The GEMV core as loop-level HLS C++: one job per call, a pipelined loop over chunks (II = 1) inside
// a loop over blocks of rows, calling the same chunk and group-close kernels as the RTL (their flat HLS
// functions), so the C-simulation is bit-exact with the RTL and the golden model.
import { activationBits, activationScaleBits } from './activation.ts';
import { floatLayout } from '../formats/index.ts';
import { floatFormat } from '../float-params.ts';
import { cppType } from '../emit/hls.ts';
import type { HlsLoopDesign } from '../emit/hls-loop.ts';
import type { Module } from '../hdl/ir.ts';
import { MAX_WIDTH, UInt } from '../hdl/types.ts';
import { chunkPasses, gemvOrigin, gemvParts, gemvShape, metaLayout, type GemvParams } from './gemv.ts';
import { GEMV_STATUS } from './status.ts';

export function gemvHlsDesign(p: GemvParams): HlsLoopDesign {
  const { weight, group, activationScale } = gemvShape(p);
  const { top, chunkCall: chunk, close, nibbles } = gemvParts(p);
  const meta = metaLayout(p);
  const P = p.rows;
  const S = p.lanes;
  // Integer activations' scale: above k_len and n_len in the job word (per token), or above the codes
  // of each group's first x beat (per group).
  const codeBits = S * activationBits(p.activation);
  // A mixed core's int8 flag of the group sits above the codes, below a group scale.
  const flagBits = nibbles === undefined ? 0 : 1;
  const scaleBits = activationScale === undefined ? 0 : activationScaleBits(activationScale);
  const tokenScale = activationScale?.kind === 'token';
  const groupScale = activationScale?.kind === 'group';
  const xBits = codeBits + flagBits + (groupScale ? scaleBits : 0);
  const wBits = P * S * weight.bits;
  const sBits = P * meta.bits;
  const yBits = floatLayout(floatFormat(p.outFormat)).bits;
  const kBits = port(top, 'k_len').width;
  const nBits = port(top, 'n_len').width;
  const type = (m: Module, name: string) => cppType(port(m, name));
  const rows = Array.from({ length: P }, (_, r) => r);
  // The rows' group selectors (RaZeR's sv, BitMoD's dtype), gathered from the scale entries.
  const selectorBits = meta.svBits * P;
  const svExpression = rows
    .map((r) => {
      const lo = r * meta.bits + meta.scaleBits + meta.zeroBits;
      return `(ap_uint<${selectorBits}>(meta.range(${lo + meta.svBits - 1}, ${lo})) << ${meta.svBits * r})`;
    })
    .join(' | ');
  const selector = weight.selector?.field ?? 'sv';
  // Kernel calls pass one expression per port, in port order.
  const call = (m: Module, value: (port: string) => string) =>
    `${m.name}(${m.ports.map((q) => value(q.name)).join(', ')})`;
  const chunkArg: Record<string, string> = {
    x:
      nibbles !== undefined
        ? 'x_pass'
        : groupScale
          ? `${type(chunk, 'x')}(x_word.range(${codeBits - 1}, 0))`
          : 'x_word',
    lanes: 'lanes',
    w: 'w_word',
    [selector]: `ap_uint<${selectorBits}>(${svExpression})`,
    exp: 'chunk_exp',
    act: 'chunk_act',
    ...(chunkPasses(p) > 1 ? { pass: `${type(chunk, 'pass')}(pass)` } : {}),
  };
  const chunkCall = call(chunk, (name) => chunkArg[name] ?? `chunk_${name}`);
  const nibblesArg: Record<string, string> = {
    x: `${type(nibbles ?? chunk, 'x')}(x_word.range(${codeBits - 1}, 0))`,
    wide: 'ap_uint<1>(group_wide)',
    high: 'high',
    y: 'x_pass',
  };
  const closeCalls = rows.map((r) => {
    const base = r * meta.bits;
    const arg: Record<string, string> = {
      dot: `group_dot[${r}]`,
      act: 'group_act',
      bad: `ap_uint<1>(group_bad[${r}])`,
      s: `${type(close, 's')}(meta.range(${base + meta.scaleBits - 1}, ${base}))`,
      z: `ap_uint<${meta.zeroBits}>(meta.range(${base + meta.scaleBits + meta.zeroBits - 1}, ${base + meta.scaleBits}))`,
      acc: `acc[slot][${r}]`,
      first: 'first',
      exp: 'group_exp',
      sa: 'x_scale',
      acc_next: `acc_next${r}`,
      y: `y${r}`,
    };
    return { row: r, call: call(close, (name) => arg[name]!) };
  });
  const expPort = chunk.ports.find((q) => q.name === 'exp');
  const stream = (name: string, direction: 'input' | 'output', width: number, doc: string) => {
    if (width > MAX_WIDTH)
      throw new Error(
        `the HLS stream '${name}' would carry {tlast, data} in ${width} bits; an ap_uint holds at most ${MAX_WIDTH}: use fewer rows or lanes for HLS`,
      );
    return { kind: 'stream', name, direction, type: UInt(width), doc } as const;
  };
  return {
    name: top.name,
    origin: gemvOrigin(p),
    timing:
      'loop-level: one job per call; the chunk loop is pipelined at II=1 (P rows × S elements per iteration)',
    doc: [
      `y = W·x with ${p.weight} weights, ${p.activation} activations, ${gemvShape(p).accumulation} per group of ${group}, fp32 across`,
      `groups, ${p.outFormat} out. Streams carry {tlast, tdata}: tlast is the bit above the data. A job's`,
      'K and N come from `job` ({n_len, k_len}); its {error, status} goes to `status` (as the RTL ports).',
    ],
    args: [
      tokenScale
        ? stream('job', 'input', kBits + nBits + scaleBits, '{x_scale, n_len, k_len}')
        : stream('job', 'input', kBits + nBits, '{n_len, k_len}'),
      stream(
        'x',
        'input',
        xBits + 1,
        `{tlast, ${groupScale ? 'group scale, ' : ''}${flagBits ? 'int8 flag, ' : ''}${S} activations}`,
      ),
      stream('w', 'input', wBits + 1, `{tlast, ${P}×${S} weight codes}`),
      stream('s', 'input', sBits + 1, `{tlast, ${P} scale entries}`),
      stream('y', 'output', yBits + 1, `{tlast, ${p.outFormat}}`),
      stream('status', 'output', 4, '{error, status}'),
    ],
    bodyTemplate: 'hls/gemv.cpp.hbs',
    kernels: nibbles === undefined ? [chunk, close] : [nibbles, chunk, close],
    context: {
      jobType: `ap_uint<${kBits + nBits + (tokenScale ? scaleBits : 0)}>`,
      scaleType: `ap_uint<${scaleBits}>`,
      tokenScale: tokenScale ? { lsb: kBits + nBits, msb: kBits + nBits + scaleBits - 1 } : undefined,
      groupScale: groupScale ? { lsb: codeBits + flagBits, msb: xBits - 1 } : undefined,
      nibbles:
        nibbles === undefined
          ? undefined
          : {
              flagBit: codeBits,
              xType: type(nibbles, 'y'),
              call: call(nibbles, (name) => nibblesArg[name]!),
            },
      // A bit-serial core's chunk takes its passes in turn (weight bit planes, terms; the chunk weighs each).
      passes: chunkPasses(p) > 1 ? chunkPasses(p) : undefined,
      // The accumulation's first term, and its weight: a mixed core's high pass counts 16.
      chunkFirst: nibbles === undefined && chunkPasses(p) === 1 ? 'group_first' : 'chunk_first',
      passWeight: nibbles === undefined ? '' : ' << (high ? 4 : 0)',
      kMsb: kBits - 1,
      nMsb: kBits + nBits - 1,
      kBits,
      maxK: p.maxK,
      maxN: p.maxN,
      statusType: 'ap_uint<4>',
      badK: 8 | GEMV_STATUS.badK,
      badN: 8 | GEMV_STATUS.badN,
      xLast: GEMV_STATUS.xLast,
      wLast: GEMV_STATUS.wLast,
      sLast: GEMV_STATUS.sLast,
      xType: `ap_uint<${xBits}>`,
      xBeatType: `ap_uint<${xBits + 1}>`,
      xMsb: xBits - 1,
      xBits,
      wType: `ap_uint<${wBits}>`,
      wBeatType: `ap_uint<${wBits + 1}>`,
      wMsb: wBits - 1,
      wBits,
      sBeatType: `ap_uint<${sBits + 1}>`,
      sMsb: sBits - 1,
      sBits,
      metaType: `ap_uint<${sBits}>`,
      yBeatType: `ap_uint<${yBits + 1}>`,
      yType: `ap_uint<${yBits}>`,
      yBits,
      depth: Math.max(2, Math.ceil(p.maxK / S)),
      log2Lanes: Math.log2(S),
      laneMask: S - 1,
      lanes: S,
      laneType: type(chunk, 'lanes'),
      rows: P,
      interleave: p.interleave,
      setRows: p.interleave * P,
      rowList: rows,
      groupChunks: group / S,
      accType: 'ap_uint<32>',
      dotType: type(close, 'dot'),
      actType: type(close, 'act'),
      dotOutType: type(chunk, 'dot0'),
      actOutType: type(chunk, 'act'),
      chunkCall,
      expType: expPort === undefined ? undefined : cppType(expPort.type),
      closeCalls,
    },
  };
}

function port(m: Module, name: string) {
  const found = m.ports.find((q) => q.name === name);
  if (found === undefined) throw new Error(`${m.name} has no port ${name}`);
  return found.type;
}
