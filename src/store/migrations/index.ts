import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';
import * as m0001 from './0001-init.js';
import * as m0002 from './0002-profiles-catalog.js';
import * as m0003 from './0003-segments.js';
import * as m0004 from './0004-journeys.js';
import * as m0005 from './0005-journey-triggers.js';
import * as m0006 from './0006-channels.js';
import * as m0009 from './0009-webhook-signing-secret.js';

export interface AppMigration {
  up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void>;
}

/** Numbered, forward-only. Append; never edit one that has shipped. */
export const MIGRATIONS: Record<string, AppMigration> = {
  '0001-init': m0001,
  '0002-profiles-catalog': m0002,
  '0003-segments': m0003,
  '0004-journeys': m0004,
  '0005-journey-triggers': m0005,
  '0006-channels': m0006,
  '0009-webhook-signing-secret': m0009,
};
