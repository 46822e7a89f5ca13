import { z } from 'zod';
import type { HlsLoopDesign } from './emit/hls-loop.ts';
import type { Module } from './hdl/ir.ts';

/**
 * A hardware generator: validated parameters in, one IR module (with its sub-modules) out. Make one with
 * `defineGenerator` (define.ts), which adds the parameters and rules pipelined generators share.
 */
export interface Generator<S extends z.ZodType = z.ZodType> {
  /** Name used on the command line and in the catalog, e.g. 'int_mac'. */
  readonly name: string;
  readonly family: 'mul' | 'mac' | 'float' | 'dequant' | 'gemv' | 'arith';
  /** One sentence for `bitsmith list` and the generated README. */
  readonly summary: string;
  /** Parameters with their defaults and the rules that relate them. */
  readonly params: S;
  build(params: z.output<S>): Module;
  /**
   * True when the unit holds state at latency 0 (an accumulator register), so valid/ready backpressure
   * works without a stage; otherwise `ready` needs latency 1 or more.
   */
  readonly readyAtLatency0?: boolean;
  /** A loop-level HLS design, for cores whose HLS form is a loop nest over streams rather than the flat IR. */
  hls?(params: z.output<S>): HlsLoopDesign;
}

/** A parameter set that a generator refused; the message names parameter, value and what is allowed. */
export class ParameterError extends Error {
  override name = 'ParameterError';
}

/**
 * Validate raw parameters (from the catalog or the command line) against a generator's schema.
 * Unknown keys are errors too: a misspelt parameter must not silently fall back to its default.
 */
export function parseParams<S extends z.ZodType>(
  generator: Generator<S>,
  raw: Record<string, unknown>,
): z.output<S> {
  const shape = objectShape(generator.params);
  if (shape !== undefined) {
    for (const key of Object.keys(raw)) {
      // Own keys only: 'constructor', 'toString' or '__proto__' are in every object's prototype chain.
      if (!Object.hasOwn(shape, key)) {
        throw new ParameterError(
          `${generator.name}: unknown parameter '${key}'; parameters are ${Object.keys(shape).join(', ')}`,
        );
      }
    }
  }
  const result = generator.params.safeParse(shape === undefined ? raw : wrapLists(shape, raw));
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = issue.path.join('.');
  const value = key === '' ? raw : raw[String(issue.path[0])];
  const shown = value === undefined ? '(default)' : JSON.stringify(value);
  const where = key === '' ? 'parameters' : `parameter '${key}' = ${shown}`;
  throw new ParameterError(`${generator.name}: ${where} is not allowed: ${issue.message}`);
}

/** A single value given for a list parameter stands for a list of one. */
function wrapLists(shape: Record<string, z.ZodType>, raw: Record<string, unknown>): Record<string, unknown> {
  const isList = (schema: z.ZodType | undefined): boolean => {
    let s: unknown = schema;
    for (let i = 0; i < 4 && s !== undefined; i++) {
      if (s instanceof z.ZodArray) return true;
      s = (s as { def?: { innerType?: unknown } }).def?.innerType;
    }
    return false;
  };
  return Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [
      k,
      isList(shape[k]) && v !== undefined && !Array.isArray(v) ? [v] : v,
    ]),
  );
}

/** The keys of an object schema, also through refinements and defaults. */
export function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let s: unknown = schema;
  for (let i = 0; i < 8 && s !== undefined; i++) {
    if (s instanceof z.ZodObject) return s.shape as Record<string, z.ZodType>;
    const def = (s as { def?: { innerType?: unknown; in?: unknown; schema?: unknown } }).def;
    s = def?.innerType ?? def?.in ?? def?.schema;
  }
  return undefined;
}

/** An integer parameter in [min, max], with a message that says so. */
export function intParam(min: number, max: number) {
  return z
    .number({ error: `must be an integer from ${min} to ${max}` })
    .int({ error: `must be an integer from ${min} to ${max}` })
    .min(min, { error: `must be an integer from ${min} to ${max}` })
    .max(max, { error: `must be an integer from ${min} to ${max}` });
}

/** One of a fixed list of words, with a message that lists them. */
export function choiceParam<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` });
}

export function boolParam() {
  return z.boolean({ error: 'must be true or false' });
}

/**
 * The `ready` parameter every pipelined generator shares: `false` (valid only), `true` (valid/ready,
 * a stalled output freezes every stage) or `'skid'` (valid/ready with a one-entry output skid buffer:
 * in_ready and every stage's enable come from a register, not from out_ready).
 */
export function readyParam() {
  return z
    .union([z.boolean(), z.literal('skid')], { error: "must be true, false or 'skid'" })
    .default(false)
    .describe(
      "valid/ready backpressure: in_ready and out_ready ports. true: a stalled output freezes every stage (in_ready follows out_ready through one gate). 'skid': a one-entry output skid buffer takes the stalled result, so in_ready and every stage's enable come from a register (one more register per output bit); both need latency 1 or more",
    );
}
