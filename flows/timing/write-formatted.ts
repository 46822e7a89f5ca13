import { format, resolveConfig } from 'prettier';
import { writeAtomically } from '../ippack/results.ts';

/**
 * Write a file the calibration scripts generate, formatted as the project's prettier check wants it
 * (`npm test` fails on a file prettier would change), atomically.
 */
export async function writeFormatted(path: string, text: string): Promise<void> {
  const options = (await resolveConfig(path)) ?? {};
  writeAtomically(path, await format(text, { ...options, filepath: path }));
}
