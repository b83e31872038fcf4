import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  // The profile an event was attributed to; NULL until the profile stage has processed
  // it, '' when it carried no usable identity. The partial index is the work queue.
  await db.schema.alterTable('events').addColumn('profile_id', 'text').execute();
  await db.schema
    .createIndex('events_profile')
    .on('events')
    .columns(['workspace_id', 'profile_id', 'id'])
    .execute();
  await db.schema
    .createIndex('events_pending')
    .on('events')
    .column('id')
    .where(sql.ref('profile_id'), 'is', null)
    .execute();

  await db.schema
    .createTable('profiles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('merged_into', 'text')
    .addColumn('facts', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('profiles_workspace')
    .on('profiles')
    .columns(['workspace_id', 'id'])
    .execute();

  await db.schema
    .createTable('identities')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('identities_pk', ['workspace_id', 'kind', 'value'])
    .execute();
  await db.schema.createIndex('identities_profile').on('identities').column('profile_id').execute();

  await ctx
    .idColumn(db.schema.createTable('profile_merges'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('winner_id', 'text', (c) => c.notNull())
    .addColumn('loser_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    /** JSON: the identifiers the loser held, so an unmerge can hand them back. */
    .addColumn('identities', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('undone_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('profile_merges_winner')
    .on('profile_merges')
    .columns(['workspace_id', 'winner_id'])
    .execute();

  await db.schema
    .createTable('catalog_items')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('brand', 'text')
    .addColumn('price', 'double precision')
    .addColumn('currency', 'text')
    .addColumn('in_stock', 'integer')
    .addColumn('stock', 'integer')
    .addColumn('url', 'text')
    .addColumn('image', 'text')
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .addPrimaryKeyConstraint('catalog_items_pk', ['workspace_id', 'id'])
    .execute();

  await ctx
    .idColumn(db.schema.createTable('catalog_changes'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('catalog_changes_item')
    .on('catalog_changes')
    .columns(['workspace_id', 'item_id', 'id'])
    .execute();

  await db.schema
    .createTable('workspace_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('workspace_models')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('fitted_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('workspace_models_pk', ['workspace_id', 'kind'])
    .execute();
}
