import { getPath } from './paths.js';

const WHOLE = /^\{\{\s*([A-Za-z0-9_.$-]+)\s*\}\}$/;
const ANY = /\{\{\s*([A-Za-z0-9_.$-]+)\s*\}\}/g;
const MAX_DEPTH = 32;

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Fills `{{ path }}` placeholders in a JSON value from `scope`. A string that is exactly
 * one placeholder becomes the value itself (so `"{{ items }}"` is an array, missing is
 * null); placeholders inside longer strings become text (missing is empty). Object keys
 * are left as written.
 *
 * @example renderJson({ to: '{{ profile.traits.email }}' }, { profile: { traits: { email: 'a@b.c' } } })
 *   // { to: 'a@b.c' }
 */
export function renderJson(template: unknown, scope: unknown, depth = 0): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    if (whole) return getPath(scope, whole[1]!) ?? null;
    return template.replace(ANY, (_m, path: string) => text(getPath(scope, path)));
  }
  if (depth >= MAX_DEPTH || template === null || typeof template !== 'object') return template;
  if (Array.isArray(template)) return template.map((v) => renderJson(v, scope, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(template)) {
    // defineProperty: an own `__proto__` key from JSON.parse must stay data, not a prototype.
    Object.defineProperty(out, k, {
      value: renderJson(v, scope, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Renders a string template to text (headers, URLs). */
export function renderText(template: string, scope: unknown): string {
  return template.replace(ANY, (_m, path: string) => text(getPath(scope, path)));
}

/** Renders a URL template: each substituted value is percent-encoded. */
export function renderUrl(template: string, scope: unknown): string {
  return template.replace(ANY, (_m, path: string) =>
    encodeURIComponent(text(getPath(scope, path))),
  );
}
