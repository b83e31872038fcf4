import type { Logger } from 'pino';
import { EventWriter, IngestService } from '../ingest/index.js';
import type { Clock } from '../shared/index.js';
import type { Store } from '../store/index.js';
import { KeyResolver } from '../workspaces/index.js';
import { Metrics } from './metrics.js';

/** Everything a request handler may use, built once by the composition root. */
export interface AppContext {
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  keys: KeyResolver;
  writer: EventWriter;
  ingest: IngestService;
}

export interface ContextOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  adminKey?: string | undefined;
}

export function createContext(options: ContextOptions): AppContext {
  const { store, clock, logger } = options;
  const metrics = new Metrics();
  const writer = new EventWriter(store);
  return {
    store,
    clock,
    logger,
    metrics,
    keys: new KeyResolver(store.db, clock, options.adminKey),
    writer,
    ingest: new IngestService(writer, clock, metrics.ingestCounters()),
  };
}

/** Finishes queued writes; the store is closed by whoever opened it. */
export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.writer.close();
}
