/** The person a message is for, as templates see them. */
export interface TemplateProfile {
  id: string;
  /** Stated traits (identify): `first_name`, `email`, `plan`... */
  traits: Record<string, unknown>;
  /** Computed traits: order count, RFM, affinities, best send hour, recently viewed... */
  computed?: Record<string, unknown>;
}

/**
 * What a template renders with. Kept to plain data so `channels` needs nothing from
 * profiles, journeys or recommendations: the shell fills it.
 */
export interface TemplateContext {
  profile: TemplateProfile;
  /** The event that triggered the message (Segment shape: `event`, `properties`...). */
  event?: Record<string, unknown>;
  /** Recommendations computed before rendering (e.g. by a journey step). */
  recommendations?: unknown;
  /** Offers decided before rendering (e.g. by a decide step). */
  offers?: unknown;
  /** Links every message may carry: `unsubscribe`, `preferences`, `view_online`... */
  links?: Record<string, string>;
  /** Facts about the message itself: `id`, `journey`, `step`... */
  message?: Record<string, unknown>;
  /** The sender: `name`, `address`, `website`... */
  workspace?: Record<string, unknown>;
}

/**
 * The traits a non-personalized message may still use: what it takes to address a
 * person and write in their language. Nothing they did, bought or viewed.
 */
export const ADDRESSING_TRAITS: readonly string[] = [
  'first_name',
  'firstName',
  'last_name',
  'lastName',
  'name',
  'email',
  'locale',
  'language',
];

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (Object.hasOwn(source, key)) out[key] = source[key];
  return out;
}

/**
 * The variables a template sees. Personalized: the whole context. Non-personalized (the
 * person opted out): `profile.id`, the addressing traits, `links`, `message` and
 * `workspace` only — `event`, `profile.computed` (affinities, RFM, lifecycle, recently
 * viewed, predictions), every other trait, and precomputed `recommendations` and
 * `offers` are not there, so no template can refer to behaviour by accident.
 */
export function templateScope(
  context: TemplateContext,
  personalized: boolean,
): Record<string, unknown> {
  if (personalized) {
    return {
      ...context,
      profile: { ...context.profile, computed: context.profile.computed ?? {} },
    };
  }
  const scope: Record<string, unknown> = {
    profile: { id: context.profile.id, traits: pick(context.profile.traits, ADDRESSING_TRAITS) },
  };
  if (context.links) scope.links = context.links;
  if (context.message) scope.message = context.message;
  if (context.workspace) scope.workspace = context.workspace;
  return scope;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Fills declared defaults into a scope where the value is missing, null or `""`. Copies
 * along each path it writes, so the caller's context is never changed.
 */
export function applyDefaults(
  scope: Record<string, unknown>,
  defaults: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  let root = scope;
  for (const [path, value] of Object.entries(defaults)) {
    root = setIfMissing(root, path.split('.'), value);
  }
  return root;
}

function setIfMissing(
  node: Record<string, unknown>,
  segments: readonly string[],
  value: unknown,
): Record<string, unknown> {
  const [head, ...rest] = segments;
  if (head === undefined) return node;
  const current = Object.hasOwn(node, head) ? node[head] : undefined;
  if (rest.length === 0) {
    if (current !== undefined && current !== null && current !== '') return node;
    return { ...node, [head]: value };
  }
  // A scalar where the path needs an object: the value is not missing, leave it.
  if (current !== undefined && current !== null && !isRecord(current)) return node;
  const child = isRecord(current) ? current : {};
  const updated = setIfMissing(child, rest, value);
  return updated === child ? node : { ...node, [head]: updated };
}
