import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { BITSMITH_VERSION } from '../../generators/emit/version.ts';
import { registerBaseline } from './baseline.ts';
import { registerBuild } from './build.ts';
import { registerDocs } from './docs.ts';
import { registerExplore } from './explore.ts';
import { registerFormatsCommands } from './formats.ts';
import { registerGen } from './gen.ts';
import { registerList } from './list.ts';
import { registerParams } from './params.ts';
import { registerSweep } from './sweep.ts';
import { registerSynth } from './synth.ts';
import { registerVerify } from './verify.ts';

const program = new Command('bitsmith')
  .description(
    'Generate and verify low-precision arithmetic hardware: Verilog-2005, golden models, area reports',
  )
  .version(BITSMITH_VERSION)
  .exitOverride();

registerList(program);
registerParams(program);
registerGen(program);
registerVerify(program);
registerSynth(program);
registerSweep(program);
registerExplore(program);
registerBuild(program);
registerBaseline(program);
registerDocs(program);
registerFormatsCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`bitsmith: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
