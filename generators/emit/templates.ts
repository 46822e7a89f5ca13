import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { projectPath } from './paths.ts';

// An own instance, so that helpers or partials registered elsewhere cannot change the output.
const handlebars = Handlebars.create();
const compiled = new Map<string, Handlebars.TemplateDelegate>();

/**
 * Render `templates/<name>` with `context`. Nothing is HTML-escaped: the templates produce Verilog,
 * C++, TCL and Yosys scripts, where `<`, `>` and `&` are operators.
 */
export function renderTemplate(name: string, context: object): string {
  let template = compiled.get(name);
  if (template === undefined) {
    template = handlebars.compile(readFileSync(projectPath('templates', name), 'utf8'), {
      noEscape: true,
      strict: true,
    });
    compiled.set(name, template);
  }
  return template(context);
}
