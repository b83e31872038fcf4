import { createProgress } from '../importer/index.js';
import { formatTuning, type TuningReport } from '../recommend/index.js';
import { ValidationError } from '../shared/index.js';

/**
 * Asks a running Rapport to retrain its recommendation models now. Models live in the
 * serving processes' memory, so training happens there (off the request path, on a
 * worker thread) and the new version is swapped in without a restart.
 */
export async function runTrain(flags: {
  url?: string;
  key?: string;
  uplift?: string;
}): Promise<void> {
  const url = (flags.url ?? process.env.RAPPORT_URL ?? 'http://127.0.0.1:4700').replace(/\/+$/, '');
  const key = flags.key ?? process.env.RAPPORT_ADMIN_KEY;
  if (!key) {
    throw new ValidationError('An admin key is needed: pass --key or set RAPPORT_ADMIN_KEY.', [
      { path: '--key', problem: 'missing' },
    ]);
  }
  if (flags.uplift !== undefined) return trainUplift(url, key, flags.uplift);
  // The server trains in one step and answers when the new version serves: the bar
  // shows that it is still at work (elapsed time) and completes with the answer.
  const started = Date.now();
  const bar = createProgress('train', 1, { unit: ' model' });
  const tick = setInterval(
    () => bar.update(0, { training: `${Math.round((Date.now() - started) / 1000)} s` }),
    1000,
  );
  let res: Response;
  try {
    res = await fetch(`${url}/v1/admin/recommendations/train`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
    });
  } catch (error) {
    throw new Error(
      `Cannot reach Rapport at ${url}: is it running? (rapport start, or pass --url)`,
      { cause: error },
    );
  } finally {
    clearInterval(tick);
  }
  bar.update(res.ok ? 1 : 0, { training: `${((Date.now() - started) / 1000).toFixed(1)} s` });
  bar.stop();
  const body = (await res.json()) as {
    version?: number;
    interactions?: number;
    items?: number;
    seconds?: number;
    tuning?: TuningReport | null;
    error?: { message: string };
  };
  if (!res.ok) throw new Error(body.error?.message ?? `training failed with HTTP ${res.status}`);
  process.stdout.write(
    `Trained version ${body.version} from ${body.interactions?.toLocaleString('en')} interactions over ${body.items?.toLocaleString('en')} items in ${body.seconds?.toFixed(1)} s; it now serves.\n`,
  );
  // The choice of the personalized model's parameters and the scores behind it.
  if (body.tuning) process.stdout.write(formatTuning(body.tuning));
}

/** `rapport train --uplift JOURNEY`: trains the journey's uplift model now and says how it went. */
async function trainUplift(url: string, key: string, journeyId: string): Promise<void> {
  if (journeyId.trim() === '')
    throw new ValidationError('Name the journey: --uplift JOURNEY_ID.', [
      { path: '--uplift', problem: 'empty' },
    ]);
  let res: Response;
  try {
    res = await fetch(`${url}/v1/journeys/${encodeURIComponent(journeyId)}/uplift/train`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
    });
  } catch {
    throw new Error(
      `Cannot reach Rapport at ${url}: is it running? (rapport start, or pass --url)`,
    );
  }
  const body = (await res.json()) as {
    status?: string;
    detail?: string;
    trait?: string;
    metrics?: { qini: number; upliftAt: Record<string, number | null> } | null;
    error?: { message: string };
  };
  if (!res.ok) throw new Error(body.error?.message ?? `training failed with HTTP ${res.status}`);
  if (body.status !== 'trained') {
    process.stdout.write(`Not trained (${body.status}): ${body.detail}.\n`);
    process.exitCode = 1;
    return;
  }
  const m = body.metrics;
  process.stdout.write(
    `Trained: ${body.detail}. Held-out Qini ${m?.qini.toFixed(4)}, uplift@30% ${m?.upliftAt['30'] ?? 'n/a'}. People now carry ${body.trait}.\n`,
  );
}
