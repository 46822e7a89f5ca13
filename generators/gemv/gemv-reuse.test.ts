import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../flows/target.ts';
import { gemv, gemvParts, type GemvParams } from './gemv.ts';

describe('a gemv core is elaborated once per parameter set', () => {
  it('its HLS form reuses the core and kernels that build() made', () => {
    const target = resolveTarget('gemv', { rows: 2, lanes: 4, group: 8, maxK: 64, maxN: 8 });
    const p = target.params as GemvParams;
    const parts = gemvParts(p);
    expect(parts.top).toBe(target.module);
    expect(parts.chunk).toBe(target.module.instances.find((i) => i.name === 'chunk')!.module);
    expect(gemv.hls!(p).kernels).toContain(parts.chunk);
  });

  it('other parameters get a core of their own', () => {
    const a = resolveTarget('gemv', { rows: 2, lanes: 4, group: 8, maxK: 64, maxN: 8 });
    const b = resolveTarget('gemv', { rows: 2, lanes: 4, group: 8, maxK: 64, maxN: 16 });
    expect(b.module).not.toBe(a.module);
    expect(b.module.name).not.toBe(a.module.name);
  });
});
