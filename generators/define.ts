import { z } from 'zod';
import type { HlsLoopDesign } from './emit/hls-loop.ts';
import { intParam, readyParam, type Generator } from './generator.ts';
import type { Module } from './hdl/ir.ts';
import { ModuleBuilder } from './hdl/module.ts';
import { placedTag, timingTag } from './naming.ts';
import { DEFAULT_TIMING_TARGET, fmaxParams, type FmaxRequest } from './timing/choose-latency.ts';
import { placeStages } from './timing/place-stages.ts';

/** How many stage cuts a pipelined generator allows, its default, and where each one cuts. */
export interface LatencyParam {
  /** The most stage cuts there are; a `check` may lower it for some parameter sets. */
  max: number;
  default: number;
  /** The `latency` line of `bitsmith params`: what the stages cut, in order of use. */
  description: string;
}

/** The parameters every pipelined generator has, after its own: `latency` and `ready`. */
function pipelineShape(latency: LatencyParam) {
  return {
    latency: intParam(0, latency.max).default(latency.default).describe(latency.description),
    ready: readyParam(),
  };
}

type PipelineShape = ReturnType<typeof pipelineShape>;
type Shape = Record<string, z.ZodType>;
/** The parameters with a fixed latency: what the datapath is built from. */
type FixedSchema<S extends Shape> = z.ZodObject<S & PipelineShape>;
type FixedParams<S extends Shape> = z.output<FixedSchema<S>>;
/**
 * What a user gives: `latency`, or `fmax` and `target` for bitsmith to choose it (timing/choose-latency.ts);
 * after parsing, `latency` always holds the stages built.
 */
type PipelinedSchema<S extends Shape> = z.ZodType<FixedParams<S> & FmaxRequest, unknown>;

/** The validated parameters of a generator, e.g. `GeneratorParams<typeof intMul>`. */
export type GeneratorParams<G> = G extends Generator<infer S> ? z.output<S> : never;

/** Rules that relate parameters to each other: add an issue (with the parameter's path) for each broken one. */
export type ParamCheck<P> = (params: P, ctx: z.RefinementCtx) => void;

/** What a pipelined generator's `build` gets besides its parameters: its top module, named and timed. */
export interface PipelinedTop {
  /** The top module's name: `stem` and the timing tag, e.g. 'int_mul_s8_s8' → 'int_mul_s8_s8_l1_rdy'. */
  name(stem: string): string;
  /**
   * A builder for the top module `name(stem)` with the ready ports asked for. Its file header records
   * the generator and `recorded`, by default the parameters.
   */
  module(stem: string, recorded?: Readonly<Record<string, unknown>>): ModuleBuilder;
}

interface Description {
  /** Name used on the command line and in the catalog, e.g. 'int_mac'. */
  name: string;
  family: Generator['family'];
  /** One sentence for `bitsmith list` and the generated README. */
  summary: string;
}

/** A pipelined generator: its own parameters, and the shared ones defineGenerator adds. */
export interface PipelinedDefinition<S extends Shape> extends Description {
  /** The generator's own parameters, in the order `bitsmith params` lists them; latency and ready follow. */
  params: S;
  latency: LatencyParam;
  check?: ParamCheck<FixedParams<S>>;
  /**
   * True when the unit holds state at latency 0 (an accumulator register), so valid/ready backpressure
   * works without a stage; otherwise `ready` needs latency 1 or more.
   */
  readyAtLatency0?: boolean;
  build(params: FixedParams<S> & FmaxRequest, top: PipelinedTop): Module;
  hls?(params: FixedParams<S> & FmaxRequest): HlsLoopDesign;
}

/** A generator that drives its own handshakes (a streaming core): its schema is all its own. */
export interface SequentialDefinition<T extends z.ZodType> extends Description {
  params: T;
  build(params: z.output<T>): Module;
  hls?(params: z.output<T>): HlsLoopDesign;
}

/**
 * Make a generator from its name, its own parameters and its datapath. A pipelined one (with
 * `latency`) gets the shared `latency` and `ready` parameters and their rule, and its top module's
 * name ends in the timing tag, so that no generator repeats them.
 */
export function defineGenerator<S extends Shape>(
  definition: PipelinedDefinition<S>,
): Generator<PipelinedSchema<S>>;
export function defineGenerator<T extends z.ZodType>(definition: SequentialDefinition<T>): Generator<T>;
export function defineGenerator(
  definition: PipelinedDefinition<Shape> | SequentialDefinition<z.ZodType>,
): Generator {
  if (!('latency' in definition)) return { ...definition };
  const { name, family, summary, readyAtLatency0, check, build, hls } = definition;
  type Params = Record<string, unknown> & { latency: number; ready: boolean | 'skid' } & FmaxRequest;
  let fixed = z.object({ ...definition.params, ...pipelineShape(definition.latency) });
  if (check !== undefined) fixed = fixed.superRefine(check);
  if (readyAtLatency0 !== true) fixed = fixed.superRefine(checkBackpressure);
  const top = (p: Params): PipelinedTop => {
    const placed =
      p.placement === 'model'
        ? {
            fmax: p.fmax!,
            target: p.target ?? DEFAULT_TIMING_TARGET,
            ...(p.placedWith === undefined ? {} : { delays: p.placedWith }),
          }
        : undefined;
    return {
      name: (stem) =>
        `${stem}_${placed === undefined ? timingTag(p.latency, p.ready) : placedTag(placed.fmax, placed.target, p.ready)}`,
      module: (stem, recorded = p) =>
        new ModuleBuilder(
          top(p).name(stem),
          { generator: name, params: recorded },
          {
            ready: p.ready,
            ...(placed === undefined ? {} : { placeStages: (draft) => placeStages(draft, placed) }),
          },
        ),
    };
  };
  // Registers the delay model places go into a datapath built with no stage cuts of its own.
  const buildTop = (p: Params) => build(p.placement === 'model' ? { ...p, latency: 0 } : p, top(p));
  const schema = fmaxParams(name, definition.params, definition.latency, fixed, buildTop);
  return {
    name,
    family,
    summary,
    params: schema,
    ...(readyAtLatency0 === undefined ? {} : { readyAtLatency0 }),
    build: buildTop,
    ...(hls === undefined ? {} : { hls }),
  };
}

/** Backpressure needs a stage to hold a stalled result (a unit with state at latency 0 has one). */
function checkBackpressure(p: { latency: number; ready: boolean | 'skid' }, ctx: z.RefinementCtx): void {
  if (p.ready !== false && p.latency === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['ready'],
      message: 'valid/ready backpressure needs latency 1 or more',
    });
  }
}
