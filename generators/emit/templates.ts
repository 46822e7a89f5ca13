import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';
import { projectPath } from './paths.ts';
import { BITSMITH_VERSION } from './version.ts';

// Loaded on the first render only: the DSL and the Verilog and HLS emitters of a module do not use
// it, so a program that imports bitsmith as a library does not load it (package tools, test benches
// and loop-level HLS designs do).
let handlebars: typeof Handlebars | undefined;
const compiled = new Map<string, Handlebars.TemplateDelegate>();

/**
 * Render `templates/<name>` with `context`. Nothing is HTML-escaped: the templates produce Verilog,
 * C++, TCL and Yosys scripts, where `<`, `>` and `&` are operators.
 */
export function renderTemplate(name: string, context: object): string {
  let template = compiled.get(name);
  if (template === undefined) {
    // An own instance, so that helpers or partials registered elsewhere cannot change the output.
    handlebars ??= (createRequire(import.meta.url)('handlebars') as typeof Handlebars).create();
    template = handlebars.compile(readFileSync(projectPath('templates', name), 'utf8'), {
      noEscape: true,
      strict: true,
    });
    compiled.set(name, template);
  }
  return template(context);
}

/** A fixed file of `templates/` whose one variable is bitsmith's version (`{{version}}`). */
export function versionedText(name: string): string {
  return readFileSync(projectPath('templates', name), 'utf8').replaceAll('{{version}}', BITSMITH_VERSION);
}
