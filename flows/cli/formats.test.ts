import { Readable } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerFormatsCommands } from './formats.ts';

async function run(args: string[], input = '') {
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  const program = new Command('bitsmith').exitOverride();
  program.configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  registerFormatsCommands(program, {
    stdin: Readable.from([input]),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    setExitCode: (code) => (exitCode = code),
  });
  try {
    await program.parseAsync(['node', 'bitsmith', 'formats', ...args]);
  } catch (error) {
    exitCode = (error as { exitCode?: number }).exitCode ?? 99;
  }
  return { stdout, stderr, exitCode };
}

describe('bitsmith formats', () => {
  it('lists scalar and block formats', async () => {
    const { stdout, exitCode } = await run(['list']);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^e4m3fn\s+float\s+8\s+448\s+OCP FP8 E4M3/m);
    expect(stdout).toMatch(/^nf4\s+codebook\s+4\s+1\s/m);
    expect(stdout).toMatch(/^mxfp4\s+mx\s/m);
    expect(stdout).toMatch(/^int4_g128\s+groupwise-int\s/m);
  });

  it('prints a code table as text and CSV', async () => {
    const csv = await run(['table', 'e2m1fn', '--csv']);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('code,class,decimal,hexfloat');
    expect(lines).toHaveLength(17);
    expect(lines[2]).toBe('1,subnormal,0.5,0x1p-1');
    expect(lines[9]).toBe('8,zero,-0,-0x0p+0');
    const text = await run(['table', 'float8_e4m3fn']);
    expect(text.stdout).toMatch(/^7E\s+normal\s+448\s+0x1\.cp\+8$/m);
    expect(text.stdout).toMatch(/^FF\s+nan\s+-nan\s+-nan$/m);
  });

  it('converts hex codes line by line, with flags on request', async () => {
    const r = await run(
      ['convert', '--from', 'fp32', '--to', 'fp16', '--flags'],
      '3F800000\n0x477FF000\n00000001\nFF800001\n',
    );
    expect(r.stdout).toBe('3C00 00\n7C00 05\n0000 03\n7E00 10\n');
    const sat = await run(['convert', '--from', 'fp16', '--to', 'e4m3fn', '--rounding', 'rtz'], '5F80\n');
    expect(sat.stdout).toBe('7E\n'); // 480 truncates to 448; e4m3fn saturates by default
  });

  it('multiplies, adds and fuses on hex operands', async () => {
    expect((await run(['mul', '--format', 'fp16', '--flags'], '3C00 4000\n7C00 0000\n')).stdout).toBe(
      '4000 00\n7E00 10\n',
    );
    expect((await run(['add', '--format', 'bf16'], '3F80 3F80\n')).stdout).toBe('4000\n');
    expect((await run(['fma', '--format', 'fp16'], '3C01 3C01 BC02\n')).stdout).toBe('0010\n');
  });

  it('reports malformed lines by number, keeps every other result in place, and exits 1', async () => {
    const r = await run(['convert', '--from', 'e4m3fn', '--to', 'fp16'], '38\nzz\n1FF\n\n40\n');
    expect(r.stdout).toBe('3C00\nerror\nerror\nerror\n4000\n');
    expect(r.stderr).toBe(
      "line 2: 'zz' is not a hex code\nline 3: 1FF is too wide for e4m3fn (8 bits)\nline 4: expected 1 hex operand, got 0\n",
    );
    expect(r.exitCode).toBe(1);
  });

  it('names an unknown format with the known ones, and refuses an impossible policy', async () => {
    const unknown = await run(['table', 'e4m4']);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toMatch(/unknown format 'e4m4'; known formats: fp32, fp16, bf16, e4m3fn/);
    const policy = await run(['convert', '--from', 'fp16', '--to', 'e4m3fn', '--overflow', 'inf'], '3C00\n');
    expect(policy.exitCode).toBe(1);
    expect(policy.stdout).toBe('');
    expect(policy.stderr).toMatch(
      /policy.overflow = 'inf' is not possible for e4m3fn: it has no Inf; allowed: saturate, nan/,
    );
    const badChoice = await run(['mul', '--format', 'fp16', '--rounding', 'nearest'], '');
    expect(badChoice.exitCode).toBe(1);
    expect(badChoice.stderr).toMatch(/Allowed choices are rne, rna, rnz, rnd, rtz, rup, rdown/);
    const wide = await run(['table', 'fp32']);
    expect(wide.stderr).toMatch(/at most 16 bits; fp32 has 32/);
  });
});
