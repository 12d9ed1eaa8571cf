import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';

const VIEWS = new URL('./views/', import.meta.url);

/**
 * Server-side pages from a private Handlebars environment that allows only the built-in helpers. Templates
 * use `{{ }}` only, so every value, above all user data, is HTML-escaped.
 */
function createRenderer() {
  const hbs = Handlebars.create();
  hbs.registerPartial('layout', readFileSync(new URL('layout.hbs', VIEWS), 'utf8'));
  const compile = (name: string) =>
    hbs.compile(readFileSync(new URL(`${name}.hbs`, VIEWS), 'utf8'), { knownHelpersOnly: true });
  const pages = { login: compile('login'), home: compile('home'), password: compile('password') };
  return (page: keyof typeof pages, context: Record<string, unknown>): string => pages[page](context);
}

export type Render = ReturnType<typeof createRenderer>;

let renderer: Render | undefined;
export function render(page: 'login' | 'home' | 'password', context: Record<string, unknown>): string {
  renderer ??= createRenderer();
  return renderer(page, context);
}
