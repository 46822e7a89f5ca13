import { describe, expect, it } from 'vitest';
import { ParameterError, parseParams } from '../generator.ts';
import { generatorByName } from '../registry.ts';
import { estimateFmax } from './estimate.ts';
import { DELAY_MODELS } from './delay-model.ts';
import { chooseLatency } from './choose-latency.ts';

const fpMul = generatorByName('fp_mul')!;
const intMac = generatorByName('int_mac')!;
type Resolved = { latency: number; fmax?: number; target?: string };
const parse = (raw: Record<string, unknown>) =>
  parseParams(fpMul, { aFormat: 'fp16', bFormat: 'fp16', outFormat: 'fp16', ...raw }) as Resolved;
const built = (latency: number, extra: Record<string, unknown> = {}) =>
  fpMul.build(parseParams(fpMul, { aFormat: 'fp16', bFormat: 'fp16', outFormat: 'fp16', latency, ...extra }));

describe('fmax and target instead of latency', () => {
  it.each([
    ['ecp5', 100],
    ['ecp5', 130],
    ['ice40', 90],
    ['ecp5-8', 170],
  ] as const)('on %s at %d MHz: the fewest stages whose estimate reaches the request', (target, fmax) => {
    const p = parse({ fmax, target });
    expect(p).toMatchObject({ fmax, target });
    const module = fpMul.build(p);
    expect(estimateFmax(module, target).mhz).toBeGreaterThanOrEqual(fmax);
    for (let fewer = 0; fewer < p.latency; fewer++)
      expect(estimateFmax(built(fewer), target).mhz).toBeLessThan(fmax);
    // The same hardware as asking for that latency by hand: only the file header's parameters differ.
    expect(module.name).toBe(built(p.latency).name);
    expect(module.nodes.length).toBe(built(p.latency).nodes.length);
  });

  it('judges on ecp5 when no target is given, and asks more of a slower device', () => {
    const onEcp5 = parse({ fmax: 100 });
    expect(onEcp5.target).toBeUndefined();
    expect(onEcp5.latency).toBe(parse({ fmax: 100, target: 'ecp5' }).latency);
    // iCE40 HX, ECP5 speed 6, ECP5 speed 8: never fewer stages on the slower device, more at some clocks.
    const stages = [60, 70, 80, 90, 100, 110, 120].map((fmax) =>
      (['ice40', 'ecp5', 'ecp5-8'] as const).map((target) => parse({ fmax, target }).latency),
    );
    for (const [ice40, ecp5, ecp58] of stages) {
      expect(ice40).toBeGreaterThanOrEqual(ecp5!);
      expect(ecp5).toBeGreaterThanOrEqual(ecp58!);
    }
    expect(stages.some(([ice40, ecp5]) => ice40! > ecp5!)).toBe(true);
    expect(stages.some(([, ecp5, ecp58]) => ecp5! > ecp58!)).toBe(true);
  });

  it("makes int_mac's auto multiplier booth4 for a request judged on iCE40, and keeps one given", () => {
    const multiplier = (raw: Record<string, unknown>) =>
      (parseParams(intMac, raw) as { multiplier?: string }).multiplier;
    expect(multiplier({ fmax: 100, target: 'ice40' })).toBe('booth4');
    expect(multiplier({ fmax: 100, target: 'ice40', multiplier: 'auto' })).toBe('booth4');
    expect(multiplier({ fmax: 100, target: 'ice40', multiplier: 'behavioural' })).toBe('behavioural');
    expect(multiplier({ fmax: 100, target: 'ecp5' })).toBeUndefined();
    expect(multiplier({ fmax: 100 })).toBeUndefined();
    expect(multiplier({ latency: 1 })).toBeUndefined();
    expect(intMac.build(parseParams(intMac, { fmax: 100, target: 'ice40' })).name).toMatch(/_booth4_l\d$/);
    // fp_mul multiplies its significands in LUTs already (shifts and adds): auto stays auto.
    expect(parse({ fmax: 90, target: 'ice40' })).not.toHaveProperty('multiplier');
  });

  it('keeps the rules of the latency it picks (backpressure needs a stage)', () => {
    const p = parse({ fmax: 1, ready: true });
    expect(p.latency).toBe(1);
  });

  it.each([
    [
      { fmax: 150, latency: 2 },
      "parameter 'fmax' = 150 is not allowed: fmax and latency 2 exclude each other",
    ],
    [{ fmax: 0 }, "parameter 'fmax' = 0 is not allowed: must be a clock frequency in MHz, above 0"],
    [{ fmax: -5 }, 'must be a clock frequency in MHz, above 0'],
    [
      { fmax: 150, target: 'xc7' },
      'parameter \'target\' = "xc7" is not allowed: must be one of ice40, ecp5, ecp5-8, lut6',
    ],
    [{ target: 'ice40' }, 'target only says where fmax is judged: give fmax too'],
  ])('refuses %j', (raw, message) => {
    expect(() => parseParams(fpMul, raw)).toThrow(ParameterError);
    expect(() => parseParams(fpMul, raw)).toThrow(message);
  });

  it('names the loop that caps a request, and the most it allows', () => {
    const raw = { aWidth: 4, bWidth: 4, accWidth: 64, fmax: 500, target: 'ice40' };
    const best = Math.max(
      ...[0, 1, 2, 3].map(
        (latency) =>
          estimateFmax(
            intMac.build(parseParams(intMac, { ...raw, fmax: undefined, target: undefined, latency })),
            'ice40',
          ).mhz,
      ),
    );
    expect(() => parseParams(intMac, raw)).toThrow(
      `int_mac reaches at most ${best.toFixed(1)} MHz on ice40 (estimated, latency 2; typically ${(best * DELAY_MODELS.ice40.typicalRatio).toFixed(1)} after place and route); its slowest path is the loop through acc_q, which stage cuts cannot shorten`,
    );
  });

  it('names the slowest path when no stage count reaches the request', () => {
    expect(() => parseParams(fpMul, { fmax: 2000 })).toThrow(
      /fp_mul reaches at most [\d.]+ MHz on ecp5 \(estimated, latency \d+; typically [\d.]+ after place and route\); its slowest path runs from \w+ to \w+/,
    );
  });

  it('takes the fewest stages whose typical Fmax reaches a request just above every estimate', () => {
    const estimates: number[] = [];
    for (let l = 0; ; l++) {
      try {
        estimates.push(estimateFmax(built(l), 'ecp5').mhz);
      } catch {
        break; // past the generator's most stages
      }
    }
    const best = Math.max(...estimates);
    const ratio = DELAY_MODELS.ecp5.typicalRatio;
    // Between the best estimate and what place and route typically gives for it.
    const fmax = Math.round((best * (1 + ratio)) / 2);
    expect(fmax).toBeGreaterThan(best);
    const p = parse({ fmax });
    expect(p.latency).toBe(estimates.findIndex((e) => e * ratio >= fmax));
    expect(estimateFmax(fpMul.build(p), 'ecp5').mhz).toBeLessThan(fmax);
    // Past that, refused.
    expect(() => parse({ fmax: Math.ceil(best * ratio) + 1 })).toThrow(
      /typically [\d.]+ after place and route/,
    );
  });

  it('past every estimate, takes the fewest stages whose typical Fmax reaches the request', () => {
    // Latencies 2 to 4 are one module here, faster than latencies 0 and 1.
    const [slow, fast] = [built(0), built(8)];
    const at = (latency: number) => (latency < 2 ? slow : fast);
    const estimate = estimateFmax(fast, 'ecp5').mhz;
    const typical = estimate * DELAY_MODELS.ecp5.typicalRatio;
    // Above the estimate, within the typical figure: latency 2, the first that typically reaches it.
    expect(chooseLatency(4, 'ecp5', (estimate + typical) / 2, at)).toMatchObject({ latency: 2 });
    // A request the estimate reaches takes the fewest stages that reach it.
    expect(chooseLatency(4, 'ecp5', estimate, at)).toMatchObject({ latency: 2 });
    // Above the typical figure: none, with the best estimate at the fewest stages for the refusal.
    const refused = chooseLatency(4, 'ecp5', typical * 1.01, at);
    expect(refused).not.toHaveProperty('latency');
    expect(refused).toMatchObject({ best: { latency: 2 } });
  });
});
