// The library's main entry, `import … from 'bitsmith'`: the DSL and IR (build modules with
// ModuleBuilder and Signal operators, evaluate them exactly), and the Verilog and HLS C++ emitters.
// Number formats are in 'bitsmith/formats', the generators and their parameter checks in 'bitsmith/generators'.
export * from './hdl/index.ts';
export { emitVerilog, emitModule, type VerilogFile } from './emit/verilog.ts';
export {
  emitHls,
  hlsFunction,
  cppType,
  type HlsFile,
  type HlsFunction,
  type HlsArgument,
} from './emit/hls.ts';
export { emitHlsLoop, type HlsLoopDesign, type HlsLoopArg } from './emit/hls-loop.ts';
export { BITSMITH_VERSION } from './emit/version.ts';
