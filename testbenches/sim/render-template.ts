import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/** Folder of the project's Handlebars templates. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

// An own instance, so that helpers or partials registered elsewhere cannot change our output.
const handlebars = Handlebars.create();
const compiled = new Map<string, Handlebars.TemplateDelegate>();

/**
 * Renders `templates/<relativePath>` with `context`. Output is not HTML-escaped: the templates
 * produce Verilog, C++ and Yosys scripts, where `<`, `>` and `&` are operators.
 */
export function renderTemplate(relativePath: string, context: object): string {
  let template = compiled.get(relativePath);
  if (!template) {
    const source = readFileSync(TEMPLATES_DIR + relativePath, 'utf8');
    template = handlebars.compile(source, { noEscape: true, strict: true });
    compiled.set(relativePath, template);
  }
  return template(context);
}
