import { z } from 'zod';
import { multiplierWithoutDsp } from '../multiplier-param.ts';
import { choiceParam, intParam, readyParam } from '../generator.ts';
import { HdlError } from '../hdl/errors.ts';
import type { Module } from '../hdl/ir.ts';
import { estimateFmax, type TimingEstimate } from './estimate.ts';
import { MAPPINGS, TIMING_TARGETS, typicalMhz, type TimingTarget } from './delay-model.ts';
import type { PlacementDelays } from './place-stages.ts';

/**
 * Where the registers of a clock request go: `cuts`, the generator's own cut points in its order, as
 * few as reach the clock; `model`, wherever the delay model's arrival times pass the period
 * (place-stages.ts).
 */
export const PLACEMENTS = ['cuts', 'model'] as const;
export type Placement = (typeof PLACEMENTS)[number];

/** A clock asked for instead of a latency: bitsmith builds the fewest stages that reach it. */
export type FmaxRequest = {
  /** MHz. */
  fmax?: number;
  /** The device whose delay model judges it; ecp5 when not given. */
  target?: TimingTarget;
  /** Where the registers go; after parsing, present only as `model`. */
  placement?: Placement;
  /**
   * Not a parameter: the delays a recorded placement was made with, so that the calibration data
   * rebuild the unit that was measured (flows/timing/measurements.ts).
   */
  placedWith?: PlacementDelays;
};

/** The target a request is judged on when it names none. */
export const DEFAULT_TIMING_TARGET: TimingTarget = 'ecp5';

interface LatencyRange {
  max: number;
  default: number;
  description: string;
}

type Fixed = z.ZodType<Record<string, unknown> & { latency: number }>;

/**
 * A pipelined generator's parameter schema: its own parameters, `latency` or `fmax` and `target`, and
 * `ready`. Parsing checks everything against `fixed` (the schema with a latency), so a request with
 * `fmax` gets the same rules and messages as one with the latency it resolves to.
 */
export function fmaxParams(
  generator: string,
  own: Record<string, z.ZodType>,
  latency: LatencyRange,
  fixed: Fixed,
  build: (params: never) => Module,
) {
  const request = z
    .object({
      ...own,
      latency: intParam(0, latency.max)
        .optional()
        .meta({ default: latency.default })
        .describe(`${latency.description} Not with fmax.`),
      ready: readyParam(),
      fmax: z
        .number({ error: 'must be a clock frequency in MHz, above 0' })
        .positive({ error: 'must be a clock frequency in MHz, above 0' })
        .optional()
        .meta({ default: 'none' })
        .describe(
          'Clock to meet (MHz), instead of latency: bitsmith builds the fewest stages whose estimated Fmax on target reaches it (docs/timing.md).',
        ),
      target: choiceParam(TIMING_TARGETS)
        .optional()
        .meta({ default: 'none' })
        .describe(`Device whose delay model judges fmax (default ${DEFAULT_TIMING_TARGET}); only with fmax.`),
      placement: choiceParam(PLACEMENTS)
        .optional()
        .meta({ default: 'cuts' })
        .describe(
          "Where fmax's registers go: cuts (the fewest of the generator's cut points, as latency lists them), model (wherever the delay model's arrival times pass the period, in feed-forward units: fewer stages, but place and route falls short of the clock more often, docs/timing.md#placement); only with fmax.",
        ),
    })
    .superRefine((p, ctx) => {
      if (p.fmax !== undefined && p.latency !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['fmax'],
          message: `fmax and latency ${p.latency} exclude each other: give latency to fix the stages, or fmax for bitsmith to choose them`,
        });
      }
      if (p.target !== undefined && p.fmax === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['target'],
          message: 'target only says where fmax is judged: give fmax too',
        });
      }
      if (p.placement !== undefined && p.fmax === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['placement'],
          message: 'placement says where the registers for fmax go: give fmax too',
        });
      }
    });
  return request.transform((p, ctx) => {
    const { fmax, target, placement = 'cuts', ...given } = p;
    const on = target ?? DEFAULT_TIMING_TARGET;
    const rest = fmax === undefined ? given : withTargetMultiplier(given, own, on);
    const at = (stages: number | undefined) =>
      fixed.safeParse(stages === undefined ? rest : { ...rest, latency: stages });
    if (fmax === undefined) {
      const parsed = at(undefined);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues)
        ctx.addIssue({ ...issue, code: 'custom', message: issue.message });
      return z.NEVER;
    }
    const request = { fmax, ...(target === undefined ? {} : { target }) };
    if (placement === 'model') {
      const placed = placedByModel(fixed, rest, request, on, build);
      if ('params' in placed) return placed.params;
      ctx.addIssue({ code: 'custom', path: ['placement'], message: placed.error });
      return z.NEVER;
    }
    const choice = chooseLatency(latency.max, on, fmax, (stages) => {
      const parsed = at(stages);
      return parsed.success ? build(parsed.data as never) : undefined;
    });
    if ('latency' in choice) {
      return { ...(at(choice.latency) as { data: Record<string, unknown> }).data, ...request };
    }
    ctx.addIssue({ code: 'custom', path: ['fmax'], message: tooFast(generator, fmax, on, choice.best) });
    return z.NEVER;
  });
}

/**
 * A generator's `multiplier` left at auto becomes, on a target whose mapping has no DSP blocks (iCE40's
 * HX and LP parts, where Yosys maps `*` to an array of LUT adders), the one its parameter names for
 * that (multiplier-param.ts; int_mul and int_mac take booth4: on the HX8K an 8×8 signed product is 108
 * LUTs at 108 MHz against 182 at 105); elsewhere it stays auto.
 */
function withTargetMultiplier<P extends object>(
  params: P,
  own: Record<string, unknown>,
  target: TimingTarget,
): P {
  const given = (params as { multiplier?: unknown }).multiplier ?? 'auto';
  const hasDsp = MAPPINGS[target].dspMaxWidth !== undefined;
  if (!('multiplier' in own) || given !== 'auto' || hasDsp) return params;
  const chosen = multiplierWithoutDsp(own.multiplier);
  return chosen === 'auto' ? params : { ...params, multiplier: chosen };
}

/**
 * The unit with its registers placed by the delay model for the clock (place-stages.ts): built with no
 * stage cuts, and its latency whatever the placement needs. An error when the unit is not feed-forward,
 * or one operation alone is slower than the clock.
 */
function placedByModel(
  fixed: Fixed,
  rest: Record<string, unknown>,
  request: { fmax: number; target?: TimingTarget },
  on: TimingTarget,
  build: (params: never) => Module,
): { params: Record<string, unknown> } | { error: string } {
  // The generator's rules are checked without stages; backpressure then needs the stage placing adds.
  const parsed = fixed.safeParse({ ...rest, latency: 0, ready: false });
  if (!parsed.success) return { error: parsed.error.issues.map((i) => i.message).join('; ') };
  const params = { ...parsed.data, ready: rest.ready ?? false, ...request, placement: 'model' };
  let module: Module;
  try {
    module = build(params as never);
  } catch (error) {
    if (error instanceof HdlError) return { error: error.message };
    throw error;
  }
  const latency = module.timing.kind === 'pipelined' ? module.timing.latency : 0;
  // Each stage fits the period before its registers exist; the copies' loads can still tip it over.
  const { mhz } = estimateFmax(module, on);
  if (mhz < request.fmax) {
    return {
      error: `the registers placed for ${request.fmax} MHz give an estimated ${mhz.toFixed(1)} MHz on ${on} once their loads count: ask for a little more, or use placement cuts`,
    };
  }
  return { params: { ...params, latency } };
}

/**
 * The fewest stages (0 … max) whose module reaches `fmax` on `target` by the estimate. Where none does,
 * the fewest whose typical Fmax reaches it (the estimate leans low, and place and route typically gives
 * `typicalRatio` times it, docs/timing.md#choosing-the-latency); else none, with the best estimate (at
 * the fewest stages) for the refusal's message.
 */
export function chooseLatency(
  max: number,
  target: TimingTarget,
  fmax: number,
  moduleAt: (latency: number) => Module | undefined,
):
  | { latency: number; estimate: TimingEstimate }
  | { best: { latency: number; estimate: TimingEstimate } | undefined } {
  const built: { latency: number; estimate: TimingEstimate }[] = [];
  for (let latency = 0; latency <= max; latency++) {
    const module = moduleAt(latency);
    if (module === undefined) continue;
    const estimate = estimateFmax(module, target);
    if (estimate.mhz >= fmax) return { latency, estimate };
    built.push({ latency, estimate });
  }
  const typical = built.find((b) => typicalMhz(target, b.estimate.mhz) >= fmax);
  if (typical !== undefined) return typical;
  const top = Math.max(...built.map((b) => b.estimate.mhz));
  return { best: built.find((b) => b.estimate.mhz === top) };
}

function tooFast(
  generator: string,
  fmax: number,
  target: TimingTarget,
  best: { latency: number; estimate: TimingEstimate } | undefined,
): string {
  if (best === undefined) return `no latency of ${generator} is allowed with these parameters`;
  const { estimate } = best;
  const reach = `${generator} reaches at most ${estimate.mhz.toFixed(1)} MHz on ${target} (estimated, latency ${best.latency}; typically ${typicalMhz(target, estimate.mhz).toFixed(1)} after place and route)`;
  const why = estimate.loop
    ? `its slowest path is the loop through ${estimate.to}, which stage cuts cannot shorten`
    : `its slowest path runs from ${estimate.from} to ${estimate.to}`;
  return `${fmax} MHz is above what these parameters allow: ${reach}; ${why}`;
}
