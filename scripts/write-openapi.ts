// Writes docs/openapi.json from the route table; `--check` fails if the committed file
// differs, so the document can never drift from the code.
import { readFileSync, writeFileSync } from 'node:fs';
import { pino } from 'pino';
import { buildApp } from '../src/app/build-app.js';
import { allRoutes } from '../src/server/routes/index.js';
import { buildOpenApi } from '../src/server/openapi.js';
import { systemClock } from '../src/shared/index.js';
import type { Store } from '../src/store/index.js';

const FILE = new URL('../docs/openapi.json', import.meta.url);
// Building routes needs a context but never touches the store.
const ctx = buildApp({
  store: { kind: 'sqlite' } as Store,
  clock: systemClock,
  logger: pino({ level: 'silent' }),
});
const text = `${JSON.stringify(buildOpenApi(allRoutes(ctx)), null, 2)}\n`;
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(FILE, 'utf8');
  } catch {
    // missing counts as different
  }
  if (current !== text) {
    console.error('docs/openapi.json is out of date: run `npm run openapi` and commit it.');
    process.exit(1);
  }
  console.log('docs/openapi.json is up to date.');
} else {
  writeFileSync(FILE, text);
  console.log('wrote docs/openapi.json');
}
