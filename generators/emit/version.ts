import { readFileSync } from 'node:fs';
import { projectPath } from './paths.ts';

/** bitsmith's version as package.json states it; written into every generated file. */
export const BITSMITH_VERSION: string = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')).version;
