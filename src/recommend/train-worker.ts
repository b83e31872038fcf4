import { Worker } from 'node:worker_threads';
import { ValidationError, workerScript, type ErrorDetail } from '../shared/index.js';
import type { Model, ModelBundle } from './model.js';
import type { ModelConfigInput } from './model-config.js';
import type { CatalogItemInput, Interaction, InteractionKind } from './schemas.js';
import type { TuneOptions } from './tune.js';
import type { TuningReport } from './tuning-report.js';
import type { StoreAddress } from '../store/index.js';

/** Interactions packed column-wise so they cross to the worker as a few transferred buffers. */
export interface PackedInteractions {
  userIds: string[];
  itemIds: string[];
  user: Int32Array;
  item: Int32Array;
  timestamp: Float64Array;
  kind: Uint8Array;
  /** NaN where the interaction had no quantity. */
  quantity: Float64Array;
}

const KIND_CODES: readonly InteractionKind[] = ['view', 'cart', 'purchase'];

export function packInteractions(interactions: readonly Interaction[]): PackedInteractions {
  const n = interactions.length;
  const users = new Map<string, number>();
  const items = new Map<string, number>();
  const intern = (map: Map<string, number>, id: string) => {
    let i = map.get(id);
    if (i === undefined) map.set(id, (i = map.size));
    return i;
  };
  const p: PackedInteractions = {
    userIds: [],
    itemIds: [],
    user: new Int32Array(n),
    item: new Int32Array(n),
    timestamp: new Float64Array(n),
    kind: new Uint8Array(n),
    quantity: new Float64Array(n),
  };
  interactions.forEach((x, i) => {
    p.user[i] = intern(users, x.userId);
    p.item[i] = intern(items, x.itemId);
    p.timestamp[i] = x.timestamp;
    p.kind[i] = KIND_CODES.indexOf(x.kind);
    p.quantity[i] = x.quantity ?? NaN;
  });
  p.userIds = [...users.keys()];
  p.itemIds = [...items.keys()];
  return p;
}

export function unpackInteractions(p: PackedInteractions): Interaction[] {
  const out: Interaction[] = new Array<Interaction>(p.user.length);
  for (let i = 0; i < out.length; i++) {
    const x: Interaction = {
      userId: p.userIds[p.user[i]!]!,
      itemId: p.itemIds[p.item[i]!]!,
      timestamp: p.timestamp[i]!,
      kind: KIND_CODES[p.kind[i]!] ?? 'purchase',
    };
    if (!Number.isNaN(p.quantity[i])) x.quantity = p.quantity[i]!;
    out[i] = x;
  }
  return out;
}

/**
 * A workspace's interactions in the log, read by the worker itself over its own
 * connection, so that reading and parsing a year of events never holds the event loop.
 */
export interface LogSource {
  store: StoreAddress;
  workspaceId: string;
  /** Log ids `<= through` (all of them processed by the profile stage). */
  through: number;
}

/** What the worker receives. */
export interface TrainJob {
  configs: readonly ModelConfigInput[] | undefined;
  interactions: PackedInteractions | LogSource;
  catalog: readonly CatalogItemInput[];
  now: number;
  /** Tune the personalized model on a validation tail first (false: train as configured). */
  tune: TuneOptions | false;
}

/** What the worker sends back. */
export type TrainReply =
  | { kind: 'ok'; bundle: ModelBundle; interactions: number; tuning: TuningReport | null }
  | { kind: 'error'; message: string; details: ErrorDetail[] | null };

/** The distinct ArrayBuffers under a value, for a transfer list. */
export function buffersOf(models: readonly Model[]): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const m of models) {
    for (const v of Object.values(m)) {
      if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) seen.add(v.buffer);
    }
  }
  return [...seen];
}

export interface TrainInWorkerOptions {
  /** Aborting terminates the worker and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Heap limit for the worker, in MB (EASE needs ~16·n² bytes for n items). */
  maxOldGenerationSizeMb?: number;
  /**
   * Choose the personalized model's parameters on a validation tail before training
   * (see `tunePersonalized`); default: off for `trainInWorker`, on for `trainFromLog`.
   */
  tune?: TuneOptions | false;
}

/** What a training in the worker produced. */
export interface TrainedFromLog {
  bundle: ModelBundle;
  interactions: number;
  tuning: TuningReport | null;
}

/**
 * Runs `trainModels` on a worker thread, so that training (seconds for EASE) never
 * blocks the event loop that serves requests. Interactions travel packed in transferred
 * buffers, and the trained arrays come back the same way. Works from compiled
 * `dist/**\/*.js` and from `src/**\/*.ts` under tsx or vitest (the worker then registers
 * tsx itself).
 * @throws ValidationError from the worker for a bad config or catalog, as `trainModels`.
 * @example
 * const bundle = await trainInWorker(undefined, interactions, catalog, Date.now());
 * registry.publish(bundle, Date.now());
 */
export async function trainInWorker(
  configs: readonly ModelConfigInput[] | undefined,
  interactions: readonly Interaction[],
  catalog: readonly CatalogItemInput[],
  now: number,
  options: TrainInWorkerOptions = {},
): Promise<ModelBundle> {
  const packed = packInteractions(interactions);
  const job: TrainJob = {
    configs,
    interactions: packed,
    catalog,
    now,
    tune: options.tune ?? false,
  };
  const transfer = [
    packed.user.buffer,
    packed.item.buffer,
    packed.timestamp.buffer,
    packed.kind.buffer,
    packed.quantity.buffer,
  ] as ArrayBuffer[];
  return (await runWorker(job, transfer, options)).bundle;
}

/**
 * Trains the default models from a workspace's interactions in the log, which the worker
 * reads itself (the calling thread only sends the catalog and receives the models).
 * Resolves with the bundle, how many interactions it was trained on and how the
 * personalized model was tuned.
 */
export function trainFromLog(
  source: LogSource,
  catalog: readonly CatalogItemInput[],
  now: number,
  options: TrainInWorkerOptions = {},
): Promise<TrainedFromLog> {
  const tune = options.tune ?? {};
  return runWorker({ configs: undefined, interactions: source, catalog, now, tune }, [], options);
}

function runWorker(
  job: TrainJob,
  transferList: ArrayBuffer[],
  options: TrainInWorkerOptions,
): Promise<TrainedFromLog> {
  const { script, eval: isEval } = workerScript('train-worker-entry', import.meta.url);
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(options.signal.reason as Error);
      return;
    }
    const worker = new Worker(script, {
      eval: isEval,
      workerData: job,
      transferList,
      execArgv: [],
      ...(options.maxOldGenerationSizeMb
        ? { resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb } }
        : {}),
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      finish(() => reject(options.signal!.reason as Error));
      void worker.terminate();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (reply: TrainReply) => {
      finish(() => {
        if (reply.kind === 'ok')
          resolve({ bundle: reply.bundle, interactions: reply.interactions, tuning: reply.tuning });
        else if (reply.details) reject(new ValidationError(reply.message, reply.details));
        else reject(new Error(reply.message));
      });
    });
    worker.once('error', (error) => finish(() => reject(error)));
    worker.once('exit', (code) => {
      finish(() => reject(new Error(`training worker exited with code ${code} before replying`)));
    });
  });
}
