// The training worker: trains one bundle from `workerData` and posts it back, moving
// (not copying) the typed arrays of the models. Interactions come packed from the
// caller, or the worker reads them from the log over its own store connection.
import { parentPort, workerData } from 'node:worker_threads';
import { AppError, lowerThreadPriority } from '../shared/index.js';
import type { Interaction } from './schemas.js';
import { trainTuned } from './train-tuned.js';
import {
  buffersOf,
  unpackInteractions,
  type LogSource,
  type PackedInteractions,
  type TrainJob,
  type TrainReply,
} from './train-worker.js';

async function interactionsOf(source: PackedInteractions | LogSource): Promise<Interaction[]> {
  if (!('store' in source)) return unpackInteractions(source);
  // Imported here so that a worker given packed interactions never loads a driver.
  const [{ openStoreAt }, { loadInteractions }] = await Promise.all([
    import('../store/index.js'),
    import('./serving/interactions.js'),
  ]);
  const store = await openStoreAt(source.store, 1);
  try {
    return await loadInteractions(store.db, source.workspaceId, 0, source.through);
  } finally {
    await store.close();
  }
}

// Training is background work: requests and the pipeline on the main thread come first.
lowerThreadPriority();
const job = workerData as TrainJob;
let reply: TrainReply;
let transfer: ArrayBuffer[] = [];
try {
  const interactions = await interactionsOf(job.interactions);
  const { bundle, tuning } = trainTuned(job.configs, interactions, job.catalog, job.now, job.tune);
  reply = { kind: 'ok', bundle, interactions: interactions.length, tuning };
  transfer = buffersOf(bundle.models);
} catch (error) {
  reply = {
    kind: 'error',
    message: error instanceof Error ? error.message : String(error),
    details: error instanceof AppError ? error.details : null,
  };
}
parentPort!.postMessage(reply, transfer);
