import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../src/store/open-postgres.js';
import { migrate } from '../src/store/migrate.js';
import { assertTestDatabase, withDatabase } from './helpers/database-guard.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string | null;
    pgPrefix: string | null;
  }
}

/**
 * On PostgreSQL, migrate one template database per run; each test file then gets a
 * fresh copy of it (CREATE DATABASE ... TEMPLATE), as graphile-worker's tests do.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    project.provide('pgTemplate', null);
    project.provide('pgPrefix', null);
    console.log('TEST_DATABASE_URL is not set: store suites run on SQLite only.');
    return;
  }
  assertTestDatabase(url);
  const prefix = `rapport_test_${randomBytes(4).toString('hex')}`;
  const template = `${prefix}_tpl`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  const store = openPostgres(withDatabase(url, template), 2);
  await migrate(store);
  await store.close();
  project.provide('pgTemplate', template);
  project.provide('pgPrefix', prefix);

  return async () => {
    const { rows } = await admin.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
    await admin.end();
  };
}
