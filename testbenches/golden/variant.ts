// Deliberately wrong variants of the golden models, for mutation testing (testbenches/mutation/):
// a plan's vectors are built once with the correct models and once under a variant, and the variant
// is exposed when an expected output differs. Outside withVariant() no variant is active and every
// golden model computes the correct result.
import type { Policy } from '../../generators/formats/index.ts';

export interface GoldenVariant {
  /** Policy fields that replace the unit's own (every rounding, overflow, subnormal, tininess, NaN rule). */
  policy?: Policy;
  /** A structural change a golden model knows by name, e.g. 'gemv.final-rounding'. */
  tag?: string;
}

let active: GoldenVariant | undefined;
let mutated = new WeakMap<Policy, Policy>();

/** Run fn with a variant active (never nested). */
export function withVariant<T>(variant: GoldenVariant, fn: () => T): T {
  if (active !== undefined) throw new Error('withVariant: a variant is already active');
  active = variant;
  mutated = new WeakMap();
  try {
    return fn();
  } finally {
    active = undefined;
  }
}

/** Whether the active variant is this structural change. */
export function variantIs(tag: string): boolean {
  return active?.tag === tag;
}

/** Whether a structural change is active (a golden model's shortcut may then not apply). */
export function variantTagged(): boolean {
  return active?.tag !== undefined;
}

/** The policy a golden model applies: its own, or the active variant's replacement (same object each call). */
export function variantPolicy(policy: Policy): Policy {
  if (active?.policy === undefined) return policy;
  let p = mutated.get(policy);
  if (p === undefined) {
    p = { ...policy, ...active.policy };
    mutated.set(policy, p);
  }
  return p;
}
