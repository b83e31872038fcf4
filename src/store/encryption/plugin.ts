import type {
  ColumnUpdateNode,
  KyselyPlugin,
  OperationNode,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { isSealed, sealedKeyId } from '../core/envelope.js';
import type { Keyring } from './keyring.js';
import { SEALED_COLUMNS } from './sealed-columns.js';

type Node = OperationNode & Record<string, unknown>;

const nameOf = (node: unknown): string | undefined => {
  const n = node as Node | undefined;
  if (!n) return undefined;
  if (n.kind === 'TableNode') return nameOf(n.table);
  if (n.kind === 'AliasNode') return nameOf(n.node);
  if (n.kind === 'SchemableIdentifierNode') return nameOf(n.identifier);
  if (n.kind === 'ColumnNode') return nameOf(n.column);
  if (n.kind === 'IdentifierNode') return n.name as string;
  return undefined;
};

/**
 * Seals the configured columns (SEALED_COLUMNS) as queries write them and opens every
 * sealed value queries read, so modules keep working on clear text and nothing clear
 * reaches the database. Installed only when a master key is configured.
 */
export class EncryptionPlugin implements KyselyPlugin {
  constructor(readonly keyring: Keyring) {}

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    // Cast: nodes are plain frozen objects; this walks them by field name and copies what it changes.
    const plain = node as unknown as Node;
    if (node.kind === 'InsertQueryNode') return this.insert(plain) as never;
    if (node.kind === 'UpdateQueryNode') return this.update(plain) as never;
    return node;
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const rows = result.rows;
    if (rows.length === 0) return result;
    const unknown = new Set<string>();
    for (const row of rows)
      for (const key in row) {
        const v = row[key];
        if (typeof v === 'string' && isSealed(v)) {
          const id = sealedKeyId(v);
          if (id !== null && !this.keyring.knows(id)) unknown.add(id);
        }
      }
    for (const id of unknown) await this.keyring.load(id);
    for (const row of rows)
      for (const key in row) {
        const v = row[key];
        if (typeof v === 'string' && isSealed(v)) row[key] = this.keyring.open(v, key);
      }
    return result;
  }

  // Always sealed, even text that looks sealed: a client's value is never trusted as one.
  private sealValue(v: unknown): unknown {
    return typeof v === 'string' ? this.keyring.seal(v) : v;
  }

  private sealUpdates(sealed: readonly string[], updates: readonly ColumnUpdateNode[]) {
    return updates.map((u) => {
      const value = u.value as Node;
      if (!sealed.includes(nameOf(u.column) ?? '') || value.kind !== 'ValueNode') return u;
      return { ...u, value: { ...value, value: this.sealValue(value.value) } };
    });
  }

  private insert(node: Node): Node {
    const sealed = SEALED_COLUMNS[nameOf(node.into) ?? ''];
    const columns = node.columns as readonly OperationNode[] | undefined;
    const values = node.values as Node | undefined;
    if (!sealed || !columns || values?.kind !== 'ValuesNode') return node;
    const at = columns.map((c) => sealed.includes(nameOf(c) ?? ''));
    if (!at.includes(true)) return node;
    const rows = (values.values as Node[]).map((row) => {
      if (row.kind === 'PrimitiveValueListNode')
        return {
          ...row,
          values: (row.values as unknown[]).map((v, i) => (at[i] ? this.sealValue(v) : v)),
        };
      return {
        ...row,
        values: (row.values as Node[]).map((v, i) =>
          at[i] && v.kind === 'ValueNode' ? { ...v, value: this.sealValue(v.value) } : v,
        ),
      };
    });
    const conflict = node.onConflict as Node | undefined;
    const updates = conflict?.updates as readonly ColumnUpdateNode[] | undefined;
    return {
      ...node,
      values: { ...values, values: rows },
      ...(conflict && updates
        ? { onConflict: { ...conflict, updates: this.sealUpdates(sealed, updates) } }
        : {}),
    };
  }

  private update(node: Node): Node {
    const sealed = SEALED_COLUMNS[nameOf(node.table) ?? ''];
    const updates = node.updates as readonly ColumnUpdateNode[] | undefined;
    if (!sealed || !updates) return node;
    return { ...node, updates: this.sealUpdates(sealed, updates) };
  }
}
