import { loadConfig } from '../config/index.js';
import { systemClock } from '../shared/index.js';
import { openStore, type Store } from '../store/index.js';
import { ensureDefaultWorkspace } from '../workspaces/index.js';

/** Opens the store of `--data` with the default workspace in place, runs `fn`, closes the store. */
export async function withStore<T>(
  flags: { data?: string | undefined },
  fn: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await openStore(loadConfig({ dataDir: flags.data }));
  try {
    await ensureDefaultWorkspace(store.db, systemClock);
    return await fn(store);
  } finally {
    await store.close();
  }
}
