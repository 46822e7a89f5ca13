import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { projectPath } from './paths.ts';

const compiled = new Map<string, Handlebars.TemplateDelegate>();

/** Render `templates/<name>` with `context`; generated code is not HTML, so nothing is escaped. */
export function renderTemplate(name: string, context: object): string {
  let template = compiled.get(name);
  if (template === undefined) {
    template = Handlebars.compile(readFileSync(projectPath('templates', name), 'utf8'), {
      noEscape: true,
      strict: true,
    });
    compiled.set(name, template);
  }
  return template(context);
}
