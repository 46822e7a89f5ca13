/**
 * A small seeded generator (SplitMix64): the same seed gives the same vectors on every machine,
 * so a failing run can be replayed with `--seed`.
 */
export class Random {
  private state: bigint;

  constructor(seed: number | bigint) {
    this.state = BigInt.asUintN(64, BigInt(seed));
  }

  /** 64 random bits. */
  next64(): bigint {
    this.state = BigInt.asUintN(64, this.state + 0x9e3779b97f4a7c15n);
    let z = this.state;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  }

  /** `width` random bits as an unsigned BigInt. */
  bits(width: number): bigint {
    let value = 0n;
    for (let have = 0; have < width; have += 64) value = (value << 64n) | this.next64();
    return BigInt.asUintN(width, value);
  }

  /** A float in [0, 1). */
  float(): number {
    return Number(this.next64() >> 11n) / 2 ** 53;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
}

/** A seeded coin per clock cycle that comes up true one time in `n`, the same for every call of a cycle. */
export function cycleCoin(seed: number, n: number): (cycle: number) => boolean {
  const rng = new Random(seed);
  const flips: boolean[] = [];
  return (cycle) => {
    while (flips.length <= cycle) flips.push(rng.bits(16) % BigInt(n) === 0n);
    return flips[cycle]!;
  };
}
