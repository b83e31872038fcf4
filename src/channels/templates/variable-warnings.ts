import { didYouMean } from '../../shared/index.js';
import type { CompiledTemplate } from './compile.js';
import { applyDefaults, templateScope, type TemplateContext } from './context.js';
import { escapingOf } from './engine.js';

/** A variable a template reads that the person's data does not have. */
export interface VariableWarning {
  /** The dotted path as written, e.g. `profile.traits.frist_name`. */
  variable: string;
  /** The path the data does have where this one parts from it, when one is close. */
  didYouMean?: string;
}

// Names a block sets for its body (`{% recommend %}` sets `item`, `{% offer %}` `offer`,
// both `forloop`): never in the person's data, and not a typo.
const BLOCK_NAMES = new Set(['item', 'offer', 'forloop']);
// What Liquid answers on any list or string.
const BUILT_IN = new Set(['size', 'first', 'last']);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The variables a template reads (outside blocks and loops) that are missing from the
 * data it would render with for this person: `{{ profile.traits.frist_name }}` renders as
 * nothing, silently, so template preview lists it with the closest existing path. A path
 * through a null (no RFM yet) is listed without a suggestion; declared `defaults` count as
 * data. Each variable once, in reading order.
 */
export function variableWarnings(
  compiled: CompiledTemplate,
  context: TemplateContext,
  personalized: boolean,
): VariableWarning[] {
  const scope = applyDefaults(templateScope(context, personalized), compiled.template.defaults);
  const out: VariableWarning[] = [];
  const seen = new Set<string>();
  for (const [field, templates] of compiled.fields) {
    const source = personalized ? templates : (compiled.variants.get(field) ?? templates);
    for (const path of compiled.engine.variablePaths(escapingOf(field), source)) {
      const variable = path.join('.');
      if (path.length === 0 || seen.has(variable) || BLOCK_NAMES.has(path[0]!)) continue;
      seen.add(variable);
      const warning = missingAt(scope, path);
      if (warning) out.push(warning);
    }
  }
  return out;
}

function missingAt(
  scope: Record<string, unknown>,
  path: readonly string[],
): VariableWarning | null {
  let node: unknown = scope;
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    if (Array.isArray(node) || typeof node === 'string') {
      if (BUILT_IN.has(part)) return null;
      if (Array.isArray(node) && /^\d+$/.test(part)) {
        node = node[Number(part)];
        if (node === undefined) return { variable: path.join('.') };
        continue;
      }
      return { variable: path.join('.') };
    }
    if (!isRecord(node)) return { variable: path.join('.') };
    if (!Object.hasOwn(node, part)) {
      const guess = didYouMean(part, Object.keys(node));
      return {
        variable: path.join('.'),
        ...(guess ? { didYouMean: [...path.slice(0, i), guess].join('.') } : {}),
      };
    }
    node = node[part];
  }
  return null;
}
