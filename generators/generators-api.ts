// `import … from 'bitsmith/generators'`: every generator bitsmith has, the contract a new one
// implements, and the parameter checks they share (errors that name the parameter and what is allowed).
export { GENERATORS, generatorByName } from './registry.ts';
export {
  ParameterError,
  parseParams,
  objectShape,
  intParam,
  choiceParam,
  boolParam,
  type Generator,
} from './generator.ts';
export {
  defineGenerator,
  type GeneratorParams,
  type LatencyParam,
  type ParamCheck,
  type PipelinedTop,
} from './define.ts';
