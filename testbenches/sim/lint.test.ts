import { describe, expect, it } from 'vitest';
import { fixturePath } from './fixtures/units.ts';
import { lintVerilog } from './lint.ts';

describe('lintVerilog', () => {
  it('passes a clean design', async () => {
    expect(await lintVerilog([fixturePath('mul_pipe2_ready.v')], 'mul_pipe2_ready')).toEqual({
      clean: true,
      messages: [],
    });
  });

  it('reports each -Wall warning of a dirty design with its location', async () => {
    const result = await lintVerilog([fixturePath('lint_dirty.v')], 'lint_dirty');
    expect(result.clean).toBe(false);
    expect(result.messages).toHaveLength(3);
    expect(result.messages[0]).toMatch(/^%Warning-WIDTH: .*lint_dirty\.v:11:/);
    expect(result.messages.some((message) => /UNUSEDSIGNAL.*'spare'/.test(message))).toBe(true);
  });

  it('reports a syntax error', async () => {
    const result = await lintVerilog([fixturePath('syntax_error.v')], 'syntax_error');
    expect(result.clean).toBe(false);
    expect(result.messages[0]).toMatch(/^%Error: .*syntax_error\.v:3/);
  });
});
