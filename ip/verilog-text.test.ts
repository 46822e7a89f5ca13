import { describe, expect, it } from 'vitest';
import { emitVerilog } from '../generators/emit/verilog.ts';
import { parseParams } from '../generators/generator.ts';
import { generatorByName } from '../generators/registry.ts';
import { CATALOG } from './catalog.ts';

/** How the emitter used to name values it was not given a name for: by global node number. */
const NODE_NUMBER_NAME =
  /(?<![\w$'])(t\d+(_s\d+)?|(add|sub|mul|and|or|xor|not|shl|shr|sra|eq|ne|lt|le|gt|ge|mux|concat|slice|zext|sext|cast|andr|orr|xorr|memrd|reg)_\d+)(?!\w)/;

describe('the Verilog text of every catalog IP', () => {
  for (const entry of CATALOG) {
    it(`${entry.name}: names every value, keeps lines to 160 characters`, () => {
      const generator = generatorByName(entry.generator)!;
      for (const file of emitVerilog(generator.build(parseParams(generator, entry.params)))) {
        const lines = file.text.split('\n');
        const long = lines.find((line) => line.length > 160);
        expect(long, `${file.fileName}: a line of ${long?.length} characters`).toBeUndefined();
        const numbered = lines.find(
          (line) => !line.trimStart().startsWith('//') && NODE_NUMBER_NAME.test(line),
        );
        expect(numbered, `${file.fileName}: an identifier made from a node number`).toBeUndefined();
      }
    });
  }
});
