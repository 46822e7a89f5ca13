import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Module } from '../generators/hdl/ir.ts';
import { alignToUnit } from './align-vectors.ts';
import type { PlannedVectors, VerificationPlan } from './plans/plan.ts';
import type { Mismatch, SimResult, Simulator } from './sim/types.ts';
import { unitUnderTest } from './unit.ts';

export interface ConformanceRequest<P> {
  /** Catalog name of the IP (or the module name for an ad-hoc unit). */
  ip: string;
  module: Module;
  params: P;
  plan: VerificationPlan<P>;
  /** Columns named by port, in any order: they are put in the module's port order here. */
  vectors: PlannedVectors;
  seed: number;
  rtlFiles: string[];
  simulators: Simulator[];
  workDir: string;
  vcd?: boolean;
  bubbles?: boolean;
  /** Called before each simulator starts. */
  onSimulator?: (simulator: string) => void;
}

export interface DecodedMismatch extends Omit<Mismatch, 'expected' | 'actual'> {
  expected: string;
  actual: string;
  /** The vector's inputs, decoded into field values. */
  inputs: Record<string, string>;
}

export interface SimulatorReport extends Omit<SimResult, 'mismatches'> {
  mismatches: DecodedMismatch[];
  vectorsPerSecond: number;
}

export interface ConformanceReport {
  ip: string;
  module: string;
  vectors: number;
  description: string;
  seed: number;
  results: SimulatorReport[];
  passed: boolean;
}

/** Run one unit's vectors in every simulator asked for and write report.json and report.txt. */
export async function runConformance<P>(request: ConformanceRequest<P>): Promise<ConformanceReport> {
  const unit = unitUnderTest(request.module, request.rtlFiles);
  const vectors = alignToUnit(request.vectors, unit);
  const results: SimulatorReport[] = [];
  for (const simulator of request.simulators) {
    request.onSimulator?.(simulator.name);
    const result = await simulator.run(unit, vectors, {
      workDir: request.workDir, // each simulator works in its own sub-folder of it
      seed: request.seed,
      bubbles: request.bubbles ?? true,
      vcd: request.vcd ?? false,
      maxMismatches: 10,
    });
    results.push({
      ...result,
      mismatches: result.mismatches.map((m) => decodeMismatch(request, vectors, m)),
      vectorsPerSecond: result.runSeconds > 0 ? Math.round(vectors.stimulus.length / result.runSeconds) : 0,
    });
  }
  const report: ConformanceReport = {
    ip: request.ip,
    module: request.module.name,
    vectors: vectors.stimulus.length,
    description: vectors.description,
    seed: request.seed,
    results,
    passed: results.every((r) => r.failed === 0 && r.passed === vectors.stimulus.length),
  };
  mkdirSync(request.workDir, { recursive: true });
  writeFileSync(join(request.workDir, 'report.json'), JSON.stringify(report, bigintJson, 2) + '\n');
  writeFileSync(join(request.workDir, 'report.txt'), formatReport(report));
  return report;
}

/** A mismatch with its values and the vector's inputs decoded (`vectors` in the module's port order). */
function decodeMismatch<P>(
  request: ConformanceRequest<P>,
  vectors: PlannedVectors,
  m: Mismatch,
): DecodedMismatch {
  const { plan, params } = request;
  const show = (port: string, bits: bigint) => `0x${bits.toString(16)} (${plan.decode(port, bits, params)})`;
  const row = vectors.stimulus[m.index] ?? [];
  return {
    index: m.index,
    port: m.port,
    expected: show(m.port, m.expected),
    actual: show(m.port, m.actual),
    inputs: Object.fromEntries(vectors.inputs.map((name, i) => [name, show(name, row[i] ?? 0n)])),
  };
}

/** The report as a person reads it: one line per simulator, then the first mismatches decoded. */
export function formatReport(report: ConformanceReport): string {
  const lines = [
    `conformance  ${report.ip} (${report.module})`,
    `vectors      ${report.vectors}: ${report.description}`,
  ];
  for (const r of report.results) {
    lines.push(
      `${r.simulator.padEnd(12)} ${r.passed} passed, ${r.failed} failed   ` +
        `build ${r.buildSeconds.toFixed(1)} s, run ${r.runSeconds.toFixed(2)} s (${r.vectorsPerSecond.toLocaleString('en-US')} vectors/s)`,
    );
    for (const m of r.mismatches) {
      const inputs = Object.entries(m.inputs)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      lines.push(`  vector ${m.index}: ${m.port} expected ${m.expected}, got ${m.actual}; inputs ${inputs}`);
    }
    if (r.failed > 0)
      lines.push(`  log: ${r.logPath}${r.vcdPath === undefined ? '' : `, waveform: ${r.vcdPath}`}`);
  }
  lines.push(report.passed ? 'result       PASS' : 'result       FAIL');
  return lines.join('\n') + '\n';
}

function bigintJson(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `0x${value.toString(16)}` : value;
}
