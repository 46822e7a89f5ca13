// The delay model against every nextpnr measurement it was calibrated on (flows/timing/measured.json):
// a change to the model, or to a generator's structure, that makes its estimates drift fails here.
// `npm run bench -- fmax` measures the error on placements it was not fitted to.
import { describe, expect, it } from 'vitest';
import { estimateFmax } from '../../generators/timing/estimate.ts';
import { buildMeasuredUnit, CALIBRATED_DEVICES, readMeasurements } from './measurements.ts';

const measurements = readMeasurements();

describe('the delay model against its calibration data', () => {
  it.each(CALIBRATED_DEVICES)(
    '%s: median absolute error at most 15 percent, and no estimate off by 2×',
    (device) => {
      const points = measurements.filter((m) => m.device === device);
      expect(points.length).toBeGreaterThanOrEqual(40);
      const errors = points
        .map((m) => estimateFmax(buildMeasuredUnit(m), device).mhz / m.mhz)
        .map((ratio) => Math.abs(ratio - 1))
        .sort((a, b) => a - b);
      expect(errors[Math.floor(errors.length / 2)]!).toBeLessThanOrEqual(0.15);
      expect(errors.at(-1)!).toBeLessThan(1);
    },
  );

  it.each(CALIBRATED_DEVICES)(
    '%s: leans low, so that place and route reaches the estimate in most units',
    (device) => {
      const points = measurements.filter((m) => m.device === device);
      const reached = points.filter((m) => estimateFmax(buildMeasuredUnit(m), device).mhz <= m.mhz);
      expect(reached.length / points.length).toBeGreaterThanOrEqual(0.7);
    },
  );

  it('rebuilds each unit whose registers the model placed as it was measured, with the delays recorded', () => {
    const placed = measurements.filter((m) => m.params.placement === 'model');
    expect(placed.length).toBeGreaterThanOrEqual(30);
    for (const m of placed) {
      const module = buildMeasuredUnit(m);
      expect(module.timing.kind === 'pipelined' ? module.timing.latency : 0, m.unit).toBe(m.params.latency);
    }
  });

  it('holds every catalog unit and units at other latencies', () => {
    const units = new Set(measurements.map((m) => m.unit));
    expect([...units].filter((u) => u.includes('@')).length).toBeGreaterThanOrEqual(40);
    expect(units.has('gemv_w4a16_g128_p4s8')).toBe(true);
  });
});
