import { describe, expect, it } from 'vitest';
import { ValidationError } from '../shared/index.js';
import { serializeBundle } from './model.js';
import type { Interaction } from './schemas.js';
import { DAY, T0, basket, item, ix } from '../../test/factories/recommend.js';
import { trainModels } from './train.js';
import { packInteractions, trainInWorker, unpackInteractions } from './train-worker.js';

const catalog = ['a', 'b', 'c', 'd'].map((id) => item(id));
const log: Interaction[] = [
  ...basket('u1', ['a', 'b', 'c'], T0 - 2 * DAY),
  ...basket('u2', ['a', 'b'], T0 - DAY),
  ix('u3', 'd', T0, 'view', 3),
];

describe('trainInWorker', () => {
  it('packs interactions losslessly', () => {
    expect(unpackInteractions(packInteractions(log))).toEqual(log);
  });

  it('trains the same bundle as the main thread, on a worker thread', async () => {
    const configs = [
      { strategy: 'history' },
      { strategy: 'personalized', minSupport: 1 },
      { strategy: 'similar' },
    ] as const;
    const inWorker = await trainInWorker([...configs], log, catalog, T0);
    expect(serializeBundle(inWorker)).toBe(
      serializeBundle(trainModels([...configs], log, catalog, T0)),
    );
  });

  it('rejects with the ValidationError the trainer raised', async () => {
    const error = await trainInWorker(
      [{ strategy: 'personalized', lambda: -1 }],
      log,
      catalog,
      T0,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details[0]!.path).toBe('configs.0.lambda');
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const pending = trainInWorker(undefined, log, catalog, T0, { signal: controller.signal });
    controller.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow('shutting down');
  });
});
