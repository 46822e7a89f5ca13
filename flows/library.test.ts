// bitsmith as an npm library: `npm pack` builds dist/ with tsc, the tarball installs into a fresh
// project, and plain Node (no tsx) builds a user-written module with the DSL, emits its Verilog and
// reads the format library and the generator registry. The CLI-only packages are removed from that
// project first, so the test fails if the library's entries load any of them.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../generators/emit/paths.ts';

const run = promisify(execFile);
const CLI_ONLY = [
  'handlebars',
  'netlistsvg',
  'wavedrom',
  '@yowasp',
  'commander',
  'cli-progress',
  'tsyringe',
  'tsx',
];

const USER_PROGRAM = `
import { ModuleBuilder, UInt, emitVerilog, Evaluator } from 'bitsmith';
import { formatByName, decode, toNumber } from 'bitsmith/formats';
import { generatorByName, parseParams, ParameterError } from 'bitsmith/generators';

// A user's own generator: a registered 4-bit adder with carry out.
const m = new ModuleBuilder('user_add4', { generator: 'user_add', params: { width: 4 } }, {});
const a = m.input('a', UInt(4));
const b = m.input('b', UInt(4));
m.output('sum', a.add(b, { width: 5 }).named('sum_wide'));
const module = m.build();
const ev = new Evaluator(module);
ev.set('a', 9);
ev.set('b', 8);
const sum = ev.get('sum');

const fpMul = generatorByName('fp_mul');
let refused = '';
try { parseParams(fpMul, { aFormat: 'e9m9' }); } catch (e) { if (e instanceof ParameterError) refused = e.message; }
console.log(JSON.stringify({
  verilog: emitVerilog(module)[0].text,
  sum: String(sum),
  e4m3max: toNumber(decode(formatByName('e4m3fn'), 0x7e)),
  fpMulTop: fpMul.build(parseParams(fpMul, { aFormat: 'e4m3fn', bFormat: 'e4m3fn', outFormat: 'e4m3fn' })).name,
  refused,
}));
`;

describe('bitsmith as a library', () => {
  it('packs, installs into a new project and runs under plain Node without the CLI-only packages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bitsmith-library-'));
    try {
      await run('npm', ['pack', '--pack-destination', dir], { cwd: projectPath(), maxBuffer: 1 << 26 });
      const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
      expect(tarball).toBeDefined();
      const project = join(dir, 'user');
      await run('mkdir', ['-p', project]);
      writeFileSync(join(project, 'package.json'), '{ "name": "user", "private": true, "type": "module" }\n');
      await run(
        'npm',
        ['install', join(dir, tarball!), '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'],
        { cwd: project, maxBuffer: 1 << 26 },
      );
      for (const name of CLI_ONLY)
        rmSync(join(project, 'node_modules', name), { recursive: true, force: true });
      writeFileSync(join(project, 'main.mjs'), USER_PROGRAM);
      const { stdout } = await run('node', ['main.mjs'], { cwd: project });
      const out = JSON.parse(stdout) as Record<string, unknown>;
      expect(out.verilog).toContain('module user_add4 (');
      expect(out.verilog).toMatch(/output wire \[4:0\] +sum/);
      expect(out.sum).toBe('17');
      expect(out.e4m3max).toBe(448);
      expect(out.fpMulTop).toMatch(/^fp_mul_e4m3fn/);
      expect(out.refused).toMatch(/aFormat/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
