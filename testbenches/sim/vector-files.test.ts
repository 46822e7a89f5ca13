import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packedLayout, writeVectorFile } from './vector-files.ts';

const ports = [
  { name: 'a', width: 5, signed: false },
  { name: 'b', width: 8, signed: true },
  { name: 'c', width: 1, signed: false },
];

describe('packedLayout', () => {
  it('gives each port whole hex digits, the first port leftmost', () => {
    expect(packedLayout(ports)).toEqual({
      bits: 20,
      hexDigits: 5,
      fields: [
        { name: 'a', width: 5, msb: 16, lsb: 12 },
        { name: 'b', width: 8, msb: 11, lsb: 4 },
        { name: 'c', width: 1, msb: 0, lsb: 0 },
      ],
    });
  });
});

describe('writeVectorFile', () => {
  it('writes one line per vector, port by port', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bitsmith-vectors-'));
    try {
      await writeVectorFile(
        join(dir, 'v.hex'),
        ports,
        [
          [0x1fn, 0x80n, 1n],
          [0n, 0x7n, 0n],
        ],
        'stimulus',
      );
      expect(await readFile(join(dir, 'v.hex'), 'utf8')).toBe('1f801\n00070\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a value wider than its port, naming vector, port and range', async () => {
    await expect(writeVectorFile('/nonexistent/v.hex', ports, [[0x20n, 0n, 0n]], 'stimulus')).rejects.toThrow(
      'stimulus[0][0] (port a, 5 bits) = 32',
    );
  });

  it('rejects negative values and rows of the wrong length', async () => {
    await expect(writeVectorFile('/nonexistent/v.hex', ports, [[0n, -1n, 0n]], 'expected')).rejects.toThrow(
      /expected\[0\]\[1\] \(port b, 8 bits\) = -1/,
    );
    await expect(writeVectorFile('/nonexistent/v.hex', ports, [[0n, 0n]], 'expected')).rejects.toThrow(
      'expected[0] has 2 values; expected 3 (a, b, c)',
    );
  });
});
