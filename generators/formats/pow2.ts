// Exact powers of two as doubles, from a table built by repeated doubling (no reliance on Math.pow).

const MIN_EXP = -1074;
const MAX_EXP = 1023;
let table: Float64Array | undefined;

function buildTable(): Float64Array {
  const t = new Float64Array(MAX_EXP - MIN_EXP + 1);
  t[-MIN_EXP] = 1;
  for (let k = 1; k <= MAX_EXP; k++) t[k - MIN_EXP] = t[k - 1 - MIN_EXP]! * 2;
  for (let k = -1; k >= MIN_EXP; k--) t[k - MIN_EXP] = t[k + 1 - MIN_EXP]! / 2;
  return t;
}

/** 2^k exactly; 0 below 2^-1074, Infinity above 2^1023. */
export function pow2(k: number): number {
  if (k < MIN_EXP) return 0;
  if (k > MAX_EXP) return Infinity;
  table ??= buildTable();
  return table[k - MIN_EXP]!;
}

/** x · 2^k, exact whenever the result is a normal double, even when 2^k itself is outside the double range. */
export function scaleByPow2(x: number, k: number): number {
  while (k > 1000) {
    x *= pow2(1000);
    k -= 1000;
  }
  while (k < -1000) {
    x *= pow2(-1000);
    k += 1000;
  }
  return x * pow2(k);
}
