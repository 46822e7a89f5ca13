/** One level of a balanced tree: neighbours combined in pairs, an odd last item carried up as it is. */
export function pairUp<T>(level: readonly T[], combine: (a: T, b: T) => T): T[] {
  const next: T[] = [];
  for (let i = 0; i + 1 < level.length; i += 2) next.push(combine(level[i]!, level[i + 1]!));
  if (level.length % 2 === 1) next.push(level[level.length - 1]!);
  return next;
}
