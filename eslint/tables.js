// @ts-check
/**
 * Which module owns which table. Only the owner's files name a table in a query
 * (`selectFrom`, `insertInto`, `updateTable`, `deleteFrom`, `replaceInto`, joins);
 * everyone else calls the owner's functions. `store` is exempt: its migrations shape
 * every table and `store/sql` holds the ingest hot path that `ingest` and `profiles`
 * call. Raw `sql` template text is not checked: keep it in the owner too.
 *
 * `events` is the one shared table, an append-only log with one writer and one
 * reader: `ingest` appends it and serves the log API, `profiles` claims, folds and
 * marks it. `test/lint/architecture-doc.test.ts` checks this map against the
 * `Database` interface and ARCHITECTURE.md.
 */

/** @type {Readonly<Record<string, readonly string[]>>} */
export const tableOwners = {
  workspaces: ['workspaces'],
  api_keys: ['workspaces'],
  sessions: ['workspaces'],
  workspace_settings: ['workspaces'],
  workspace_secrets: ['workspaces'],
  allowed_origins: ['workspaces'],
  events: ['ingest', 'profiles'],
  rejected_events: ['ingest'],
  audit_log: ['audit'],
  profiles: ['profiles'],
  identities: ['profiles'],
  profile_merges: ['profiles'],
  workspace_models: ['profiles'],
  quarantined_events: ['profiles'],
  catalog_items: ['catalog'],
  catalog_changes: ['catalog'],
  segments: ['segments'],
  segment_members: ['segments'],
  segment_checks: ['segments'],
  journeys: ['journeys'],
  journey_versions: ['journeys'],
  journey_runs: ['journeys'],
  journey_schedules: ['journeys'],
  cursors: ['journeys'],
  messages: ['messaging'],
  message_events: ['messaging'],
  message_templates: ['messaging'],
  consents: ['messaging'],
  consent_statements: ['messaging'],
  suppressions: ['messaging'],
  push_subscriptions: ['messaging'],
  offers: ['decisions'],
  offer_versions: ['decisions'],
  offer_codes: ['decisions'],
  placements: ['decisions'],
  decision_policy_state: ['decisions'],
  decisions: ['decisions'],
  experiments: ['measurement'],
  experiment_assignments: ['measurement'],
  uplift_models: ['measurement'],
  recommendation_exposures: ['measurement'],
  recommendation_models: ['recommend'],
  encryption_keys: ['store'],
  change_log: ['store'],
  erasure_jobs: ['erasure'],
  erasure_tombstones: ['profiles'],
};

const queryMethods = new Set([
  'selectFrom',
  'insertInto',
  'updateTable',
  'deleteFrom',
  'replaceInto',
  'mergeInto',
  'innerJoin',
  'leftJoin',
  'rightJoin',
  'fullJoin',
  'crossJoin',
]);

/**
 * `'profiles'`, `'profiles as p'` and `['profiles', 'identities as i']` all name tables.
 * @param {import('estree').Node | import('estree').SpreadElement | undefined} node
 * @returns {string[]}
 */
function tablesNamed(node) {
  if (!node) return [];
  if (node.type === 'Literal' && typeof node.value === 'string') {
    return [node.value.trim().split(/\s+/)[0] ?? ''];
  }
  if (node.type === 'ArrayExpression') {
    return node.elements.flatMap((e) => tablesNamed(e ?? undefined));
  }
  return [];
}

/** @type {import('eslint').Rule.RuleModule} */
const tableOwner = {
  meta: {
    type: 'problem',
    docs: { description: 'Only the owning module queries a table.' },
    schema: [{ type: 'object', properties: { module: { type: 'string' } }, required: ['module'] }],
  },
  create(context) {
    const { module } = /** @type {{ module: string }} */ (context.options[0]);
    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier') return;
        if (!queryMethods.has(callee.property.name)) return;
        for (const table of tablesNamed(node.arguments[0])) {
          const owners = tableOwners[table];
          if (!owners || owners.includes(module)) continue;
          context.report({
            node,
            message: `${module} may not query ${table}: it belongs to ${owners.join(' and ')}; call its functions (see ARCHITECTURE.md, "Tables").`,
          });
        }
      },
    };
  },
};

export const tablesPlugin = { rules: { 'table-owner': tableOwner } };

/**
 * One config object per module of `src/`, each telling the rule which module it is in.
 * @param {readonly string[]} names the module folders of `src/`
 * @returns {import('eslint').Linter.Config[]}
 */
export function tableOwnership(names) {
  return names
    .filter((m) => m !== 'store')
    .map((m) => ({
      files: [`src/${m}/**/*.ts`],
      ignores: ['**/*.test.ts'],
      plugins: { rapport: tablesPlugin },
      rules: { 'rapport/table-owner': ['error', { module: m }] },
    }));
}
