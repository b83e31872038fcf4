// The training worker: trains one bundle from `workerData` and posts it back, moving
// (not copying) the typed arrays of the models.
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../shared/index.js';
import { trainModels } from './train.js';
import { buffersOf, unpackInteractions, type TrainJob, type TrainReply } from './train-worker.js';

const job = workerData as TrainJob;
let reply: TrainReply;
let transfer: ArrayBuffer[] = [];
try {
  const bundle = trainModels(
    job.configs,
    unpackInteractions(job.interactions),
    job.catalog,
    job.now,
  );
  reply = { kind: 'ok', bundle };
  transfer = buffersOf(bundle.models);
} catch (error) {
  reply = {
    kind: 'error',
    message: error instanceof Error ? error.message : String(error),
    details: error instanceof AppError ? error.details : null,
  };
}
parentPort!.postMessage(reply, transfer);
