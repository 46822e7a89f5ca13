// Golden model of the N-lane dot product, from the arithmetic:
//   exact: the products summed exactly (as rationals), rounded once; an exact zero sum is +0, NaN if
//          any product is NaN (NaN operand or Inf·0) or +Inf and −Inf meet, ±Inf otherwise if any is;
//   tree:  each product rounded once (IEEE multiply), then a balanced tree of IEEE additions, lanes
//          2i and 2i+1 first, an odd last element passing up unchanged.
import {
  add,
  decode,
  encode,
  exactMul,
  finite,
  formatByName,
  inf,
  mul,
  nan,
  type ExactValue,
  type Policy,
} from '../../generators/formats/index.ts';
import { variantIs, variantPolicy } from './variant.ts';

export interface DotSpec {
  aFormat: string;
  bFormat: string;
  outFormat: string;
  sum: 'exact' | 'tree';
  policy: Policy;
}

export function dotGolden(spec: DotSpec, a: readonly number[], b: readonly number[]): number {
  const fa = formatByName(spec.aFormat);
  const fb = formatByName(spec.bFormat);
  const out = formatByName(spec.outFormat);
  const policy = variantPolicy(spec.policy);
  // Mutation 'dot.other-sum': the tree of rounded additions for the exact sum, and the other way round.
  if ((spec.sum === 'tree') !== variantIs('dot.other-sum')) {
    let level = a.map((x, i) => mul(out, decode(fa, x), decode(fb, b[i]!), policy).code);
    while (level.length > 1) {
      const next: number[] = [];
      for (let i = 0; i < level.length; i += 2) {
        next.push(
          i + 1 < level.length
            ? add(out, decode(out, level[i]!), decode(out, level[i + 1]!), policy).code
            : level[i]!,
        );
      }
      level = next;
    }
    return level[0]!;
  }
  let anyNaN = false;
  let posInf = false;
  let negInf = false;
  // The exact sum as an integer multiple of 2^lowest.
  const terms: { units: bigint; exp: number }[] = [];
  a.forEach((x, i) => {
    const p = exactMul(decode(fa, x), decode(fb, b[i]!)).value;
    if (p.kind === 'nan') anyNaN = true;
    else if (p.kind === 'inf') p.sign ? (negInf = true) : (posInf = true);
    else if (p.sig !== 0n) terms.push({ units: p.sign ? -p.sig : p.sig, exp: p.exp });
  });
  let value: ExactValue;
  if (anyNaN || (posInf && negInf)) value = nan(0);
  else if (posInf || negInf) value = inf(negInf ? 1 : 0);
  else {
    const lowest = Math.min(0, ...terms.map((t) => t.exp));
    const sum = terms.reduce((s, t) => s + (t.units << BigInt(t.exp - lowest)), 0n);
    value = sum === 0n ? finite(0, 0n, 0) : finite(sum < 0n ? 1 : 0, sum < 0n ? -sum : sum, lowest);
  }
  return encode(out, value, policy).code;
}
