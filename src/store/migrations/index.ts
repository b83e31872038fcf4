import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';
import * as m0001 from './0001-init.js';
import * as m0002 from './0002-profiles-catalog.js';
import * as m0003 from './0003-segments.js';
import * as m0004 from './0004-journeys.js';
import * as m0005 from './0005-journey-triggers.js';
import * as m0006 from './0006-channels.js';
import * as m0008 from './0008-rejected-retention.js';
import * as m0009 from './0009-webhook-signing-secret.js';
import * as m0010 from './0010-quarantine.js';
import * as m0011 from './0011-consent-statements.js';
import * as m0012 from './0012-journey-recipes.js';
import * as m0013 from './0013-key-expiry.js';
import * as m0014 from './0014-audit-log.js';
import * as m0015 from './0015-decisions.js';
import * as m0016 from './0016-experiments.js';
import * as m0018 from './0018-encryption.js';
import * as m0017 from './0017-erasure.js';
import * as m0019 from './0019-uplift-and-recommendation-exposures.js';
import * as m0021 from './0021-allowed-origins.js';
import * as m0024 from './0024-events-by-name.js';
import * as m0026 from './0026-sessions.js';
import * as m0031 from './0031-recommendation-models.js';
import * as m0033 from './0033-change-log.js';

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
  '0008-rejected-retention': m0008,
  '0009-webhook-signing-secret': m0009,
  '0010-quarantine': m0010,
  '0011-consent-statements': m0011,
  '0012-journey-recipes': m0012,
  '0013-key-expiry': m0013,
  '0014-audit-log': m0014,
  '0015-decisions': m0015,
  '0016-experiments': m0016,
  '0018-encryption': m0018,
  '0017-erasure': m0017,
  '0019-uplift-and-recommendation-exposures': m0019,
  '0021-allowed-origins': m0021,
  '0024-events-by-name': m0024,
  '0026-sessions': m0026,
  '0031-recommendation-models': m0031,
  '0033-change-log': m0033,
};
