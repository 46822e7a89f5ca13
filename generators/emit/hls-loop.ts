import { moduleHierarchy, type Module } from '../hdl/ir.ts';
import type { HdlType } from '../hdl/types.ts';
import {
  cppType,
  emitHlsModuleFiles,
  HLS_STREAM_HEADER,
  HLS_TYPES_HEADER,
  hlsStreamHeader,
  hlsTypesHeader,
  type HlsFile,
} from './hls.ts';
import { renderTemplate } from './templates.ts';
import { BITSMITH_VERSION } from './version.ts';

/** A stream argument of a loop-level function: `hls::stream<ap_uint<W>>&`, an AXI4-Stream port. */
export interface HlsStreamArg {
  kind: 'stream';
  name: string;
  direction: 'input' | 'output';
  /** The type of one element. */
  type: HdlType;
  doc?: string;
}

/** A scalar input of a loop-level function, passed by value (a register set before the call). */
export interface HlsScalarArg {
  kind: 'scalar';
  name: string;
  type: HdlType;
  doc?: string;
}

export type HlsLoopArg = HlsStreamArg | HlsScalarArg;

/**
 * A loop-level HLS description that a generator supplies in addition to (or instead of) the flat IR
 * function: the natural form of streaming cores such as GEMV, a pipelined loop nest over hls::stream
 * arguments. The generator owns the loop nest (a Handlebars template of the function body); bitsmith
 * owns everything around it, so every loop-level design gets the same frame:
 * - the file header, includes of bitsmith_ap.h, bitsmith_stream.h and the kernels' headers;
 * - the signature from `args` (streams by reference, scalars by value) and the interface pragmas
 *   (axis for streams, ap_none for scalars, ap_ctrl_hs for the block);
 * - the kernels: combinational IR modules the body calls as functions (their flat HLS functions,
 *   bit-exact with their Verilog), emitted beside the loop with `#pragma HLS INLINE`.
 * C-simulation (testbenches/sim/hls-stream.ts) feeds the input streams from vector files, calls the
 * function, and compares what the output streams hold with the expected elements.
 */
export interface HlsLoopDesign {
  /** Function name, and the name of its .h and .cpp files. */
  name: string;
  /** Generator and parameters, for the file header. */
  origin: Module['origin'];
  /** What one call does, for the header's timing line (e.g. 'loop-level, II=1, one dot product per call'). */
  timing: string;
  /** What the function computes, one line per entry, written above it. */
  doc: string[];
  /** Arguments in call order. */
  args: HlsLoopArg[];
  /** The template (under templates/) of the function body: C++ statements, loops and their pragmas. */
  bodyTemplate: string;
  /**
   * Values for the body template. The emitter adds `args` (each with `cppType`, the element's C++ type)
   * and `kernels` (the function name of each kernel, by module name).
   */
  context?: Record<string, unknown>;
  /** Combinational IR modules that the body calls. */
  kernels?: Module[];
}

/**
 * The files of a loop-level design: bitsmith_ap.h, bitsmith_stream.h, every kernel's .h/.cpp
 * (each module once), then `<name>.h` and `<name>.cpp`.
 */
export function emitHlsLoop(design: HlsLoopDesign): HlsFile[] {
  const kernels = design.kernels ?? [];
  for (const k of kernels) {
    if (k.timing.kind !== 'comb')
      throw new Error(
        `loop-level design '${design.name}': kernel '${k.name}' is pipelined; only combinational modules can be called in a loop body`,
      );
  }
  const modules = new Map<string, Module>();
  for (const k of kernels) for (const m of moduleHierarchy(k)) modules.set(m.name, m);
  const args = design.args.map((a) => ({
    ...a,
    cppType: cppType(a.type),
    direction: a.kind === 'stream' ? a.direction : 'input',
  }));
  const header = loopHeader(design);
  const signature = signatureLines(design, args);
  const body = renderTemplate(design.bodyTemplate, {
    ...design.context,
    args,
    kernels: Object.fromEntries(kernels.map((k) => [k.name, k.name])),
  })
    .trimEnd()
    .split('\n');
  const pragmas = [
    '#ifdef __SYNTHESIS__',
    '#pragma HLS INTERFACE mode=ap_ctrl_hs port=return',
    ...args.map(
      (a) => `#pragma HLS INTERFACE mode=${a.kind === 'stream' ? 'axis' : 'ap_none'} port=${a.name}`,
    ),
    '#endif',
  ];
  const doc = design.doc.map((line) => `// ${line}`);
  const guard = `BITSMITH_HLS_${design.name.toUpperCase()}_H`;
  const h = [
    ...header,
    `#ifndef ${guard}`,
    `#define ${guard}`,
    '',
    `#include "${HLS_TYPES_HEADER}"`,
    `#include "${HLS_STREAM_HEADER}"`,
    '',
    ...doc,
    ...signature.map((line, i) => (i === signature.length - 1 ? `${line};` : line)),
    '',
    `#endif  // ${guard}`,
    '',
  ].join('\n');
  const cpp = [
    ...header,
    `#include "${design.name}.h"`,
    ...[...modules.keys()].map((name) => `#include "${name}.h"`),
    '',
    ...doc,
    ...signature.map((line, i) => (i === signature.length - 1 ? `${line} {` : line)),
    ...[...pragmas, '', ...body].map((line) => (line === '' ? '' : `    ${line}`)),
    '}',
    '',
  ].join('\n');
  return [
    hlsTypesHeader(),
    hlsStreamHeader(),
    ...[...modules.values()].flatMap((m) => emitHlsModuleFiles(m, 'inline')),
    { fileName: `${design.name}.h`, text: h },
    { fileName: `${design.name}.cpp`, text: cpp },
  ];
}

function loopHeader(design: HlsLoopDesign): string[] {
  const params = Object.entries(design.origin.params)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
  return [
    `Generated by bitsmith ${BITSMITH_VERSION}. Do not edit: regenerate with the same parameters.`,
    `function:   ${design.name}`,
    `generator:  ${design.origin.generator}`,
    `parameters: ${params === '' ? '(none)' : params}`,
    `timing:     ${design.timing}`,
  ].map((line) => `// ${line}`);
}

function signatureLines(design: HlsLoopDesign, args: (HlsLoopArg & { cppType: string })[]): string[] {
  const params = args.map((a) =>
    a.kind === 'stream' ? `hls::stream<${a.cppType}>& ${a.name}` : `${a.cppType} ${a.name}`,
  );
  const width = Math.max(...params.map((p) => p.length)) + 1;
  return [
    `void ${design.name}(`,
    ...params.map((text, i) => {
      const a = args[i]!;
      const what = a.kind === 'stream' ? `${a.direction} stream` : 'in';
      const note = [what, a.type.signed ? 'signed' : '', a.doc ?? ''].filter((s) => s !== '').join(', ');
      return `    ${`${text}${i < params.length - 1 ? ',' : ''}`.padEnd(width)} // ${note}`;
    }),
    ')',
  ];
}
