import { loadConfig } from '../config/index.js';
import { systemClock } from '../shared/index.js';
import { openStore } from '../store/index.js';
import {
  createApiKey,
  DEFAULT_WORKSPACE_ID,
  ensureDefaultWorkspace,
  type KeyScope,
} from '../workspaces/index.js';

export async function runKeysCreate(options: {
  scope: KeyScope;
  data?: string;
  json?: boolean;
}): Promise<void> {
  const config = loadConfig({ dataDir: options.data });
  const store = await openStore(config);
  try {
    await ensureDefaultWorkspace(store.db, systemClock);
    const created = await createApiKey(store.db, systemClock, {
      workspaceId: DEFAULT_WORKSPACE_ID,
      scope: options.scope,
    });
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ key: created.key, scope: created.scope })}\n`);
    } else {
      process.stdout.write(`${created.key}\n`);
      process.stderr.write(
        `Created a ${created.scope} key for workspace "${DEFAULT_WORKSPACE_ID}". It is shown only once.\n`,
      );
    }
  } finally {
    await store.close();
  }
}
