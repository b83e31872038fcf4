import type { CompiledTemplate } from './compile.js';
import { escapingOf } from './engine.js';

/** A trait a template reads, and the field that reads it (`html`, `nonPersonalized.subject`). */
export interface TemplateTraitUse {
  attribute: string;
  rule: string;
}

/**
 * The traits a template reads by name (`profile.traits.religion`, `traits.health.x` in a
 * block): what the sensitive-attribute check looks at when a template is saved. Reads of
 * all traits at once (`profile.traits`, an alias of it, `profile.traits[key]`) name no
 * trait; the render-time filter keeps sensitive traits out of those.
 */
export function templateTraitUses(compiled: CompiledTemplate): TemplateTraitUse[] {
  const out: TemplateTraitUse[] = [];
  const seen = new Set<string>();
  const visit = (fields: CompiledTemplate['fields'], prefix: string) => {
    for (const [field, templates] of fields) {
      for (const path of compiled.engine.variablePaths(escapingOf(field), templates)) {
        const start =
          path[0] === 'profile' && path[1] === 'traits' ? 2 : path[0] === 'traits' ? 1 : -1;
        if (start < 0 || path.length <= start) continue;
        const attribute = path.slice(start).join('.');
        const rule = `${prefix}${field}`;
        const key = `${rule}\u0000${attribute}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ attribute, rule });
      }
    }
  };
  visit(compiled.fields, '');
  visit(compiled.variants, 'nonPersonalized.');
  return out;
}
