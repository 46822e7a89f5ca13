// A plan names the port of each vector column; a simulator reads columns in the unit's port order.
// Here the two meet: the columns are put in the unit's order, and a name that does not match the
// unit's ports is an error that says which port and what the ports are.
import type { PlannedVectors, VectorColumns } from './plans/plan.ts';
import type { UnitUnderTest } from './sim/types.ts';

/** `vectors` with its columns in the order of the unit's data ports (the order its testbench reads). */
export function alignToUnit(
  vectors: PlannedVectors,
  unit: Pick<UnitUnderTest, 'top' | 'inputs' | 'outputs'>,
): PlannedVectors {
  const ports = { inputs: unit.inputs.map((p) => p.name), outputs: unit.outputs.map((p) => p.name) };
  return alignColumns(vectors, ports, `module ${unit.top}`);
}

/**
 * `vectors` with its columns in `target`'s order. A set already in that order is returned as it is
 * (a default set holds up to a million rows). Throws when the set names a port twice, names one that
 * `owner` (e.g. 'module fp_mul_bf16') does not have, or lacks one of `owner`'s ports.
 */
export function alignColumns(vectors: PlannedVectors, target: VectorColumns, owner: string): PlannedVectors {
  const ports = `${owner} has inputs ${list(target.inputs)} and outputs ${list(target.outputs)}`;
  const order = (direction: 'input' | 'output') => {
    const named = direction === 'input' ? vectors.inputs : vectors.outputs;
    const wanted = direction === 'input' ? target.inputs : target.outputs;
    const problem = mismatch(named, wanted, direction, owner);
    if (problem !== undefined) throw new Error(`vectors '${vectors.description}' ${problem}; ${ports}`);
    return wanted.every((name, c) => named[c] === name)
      ? undefined
      : wanted.map((name) => named.indexOf(name));
  };
  const inputs = order('input');
  const outputs = order('output');
  if (inputs === undefined && outputs === undefined) return vectors;
  return {
    ...vectors,
    inputs: [...target.inputs],
    outputs: [...target.outputs],
    stimulus: reorder(vectors.stimulus, inputs, vectors.inputs, 'stimulus'),
    expected: reorder(vectors.expected, outputs, vectors.outputs, 'expected'),
  };
}

/** What is wrong with the names of one direction's columns, or undefined when they are `wanted`'s. */
function mismatch(
  named: readonly string[],
  wanted: readonly string[],
  direction: 'input' | 'output',
  owner: string,
): string | undefined {
  const seen = new Set<string>();
  for (const name of named) {
    if (seen.has(name)) return `name ${direction} '${name}' twice`;
    seen.add(name);
    if (!wanted.includes(name))
      return `name ${direction} '${name}', which is not an ${direction} of ${owner}`;
  }
  const missing = wanted.find((name) => !seen.has(name));
  return missing === undefined ? undefined : `have no column for ${direction} '${missing}' of ${owner}`;
}

/** The rows with column c taken from column order[c] (the rows themselves when order is undefined). */
function reorder(
  rows: bigint[][],
  order: number[] | undefined,
  names: readonly string[],
  what: 'stimulus' | 'expected',
): bigint[][] {
  if (order === undefined) return rows;
  return rows.map((row, i) => {
    if (row.length !== names.length)
      throw new Error(
        `${what}[${i}] has ${row.length} values for the ${names.length} columns ${list(names)}`,
      );
    return order.map((c) => row[c]!);
  });
}

function list(names: readonly string[]): string {
  return names.length === 0 ? '(none)' : names.join(', ');
}
