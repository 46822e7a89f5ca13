import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamingPlanFor } from '../../testbenches/streaming-plans.ts';
import { CATALOG } from '../../ip/catalog.ts';
import { planFor } from '../../testbenches/plans/index.ts';
import { unitUnderTest } from '../../testbenches/unit.ts';
import { resolveTarget } from '../target.ts';
import { HlsVendorSimulator } from './hls-vendor.ts';
import { ownWarnings, vendorFlags } from './hls-vendor-build.ts';
import { runVendorConformance } from './verify-vendor.ts';
import { requireVendorHeaders } from './vendor-headers.ts';

// `bitsmith verify --sim hls-vendor`: the HLS C++ of every catalog IP compiled against the Xilinx
// ap_types that the hls4ml wheel in .venv ships, on the same vectors as the portable C-simulation.

let work = '';
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bitsmith-hls-vendor-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the vendor headers', () => {
  it('come from hls4ml in .venv, with ap_int.h and hls_stream.h', () => {
    expect(requireVendorHeaders()).toMatch(/hls4ml\/templates\/vivado\/ap_types$/);
  });

  it('when missing, the error names the setup command', () => {
    expect(() => requireVendorHeaders(join(work, 'no-venv'))).toThrow(/run \.\/setup\.sh --no-build/);
  });

  it('are system headers: flags define BITSMITH_VENDOR_AP_INT and pass the folder with -isystem', () => {
    const flags = vendorFlags('/v/ap_types');
    expect(flags).toContain('-DBITSMITH_VENDOR_AP_INT');
    expect(flags.slice(flags.indexOf('-isystem'))).toEqual(['-isystem', '/v/ap_types']);
  });

  it("count only warnings in bitsmith's files, not those g++ locates in the vendor's", () => {
    const output = [
      '/v/ap_types/etc/ap_private.h:2110:42: warning: ‘VAL’ is used uninitialized [-Wuninitialized]',
      'csim_main.cpp:93:16: note: ‘bits’ declared here',
      'fp_mul.cpp:12:5: warning: unused variable ‘t’ [-Wunused-variable]',
    ].join('\n');
    expect(ownWarnings(output, '/v/ap_types')).toEqual([
      'fp_mul.cpp:12:5: warning: unused variable ‘t’ [-Wunused-variable]',
    ]);
  });
});

describe('hls-vendor simulator', () => {
  it('reports a wrong expected value at its index', async () => {
    const target = resolveTarget('int_mac', { aWidth: 4, bWidth: 4, accWidth: 12, latency: 2 });
    const vectors = planFor('int_mac').vectors(target.params, { kind: 'random', count: 300 }, 3);
    vectors.expected[77] = [(vectors.expected[77]![0]! + 1n) & 0xfffn];
    const result = await new HlsVendorSimulator().run(unitUnderTest(target.module, []), vectors, {
      workDir: join(work, 'broken'),
      seed: 3,
      bubbles: false,
      vcd: false,
    });
    expect(result.simulator).toBe('hls-vendor');
    expect([result.passed, result.failed]).toEqual([299, 1]);
    expect(result.mismatches[0]!.index).toBe(77);
  });
});

// Every catalog IP. A vector unit runs its corner vectors, at most the first 5,000 (at -O0 the vendor
// types run some 10,000 vectors a second; the portable C-simulation runs every IP on its full set in
// ip/catalog.test.ts); a streaming core (gemv, lut_gemv, bitserial_gemv) its default jobs. Each g++
// build against the vendor templates takes 0.3 to 10 s (181 s for all 64, alone on this 2-core
// machine). BITSMITH_VENDOR_ALL=1 runs every IP on the vectors `bitsmith verify --sim hls-vendor` uses
// (about 8 minutes of CPU).
const ALL = process.env.BITSMITH_VENDOR_ALL === '1';

describe.each(CATALOG.map((e) => [e.name, e.generator]))('%s', (name, generator) => {
  const vectors = ALL || streamingPlanFor(generator) !== undefined ? 'default' : 'corner';
  it(`passes its C-simulation against the vendor ap_types (${vectors} vectors)`, async () => {
    const report = await runVendorConformance(resolveTarget(name), {
      workDir: join(work, name),
      vectors: { kind: vectors },
      seed: 1,
      limit: ALL ? undefined : 5000,
    });
    const r = report.results[0]!;
    expect(r.simulator).toBe('hls-vendor');
    expect(r.mismatches).toEqual([]);
    expect([r.passed, r.failed]).toEqual([report.vectors, 0]);
    expect(report.vectors).toBeGreaterThan(0);
    console.log(
      `${name}: ${report.vectors} vectors, build ${r.buildSeconds.toFixed(1)} s, run ${r.runSeconds.toFixed(2)} s`,
    );
  });
});
