// The loop of a render worker (started by render-worker.ts): renders one message at a
// time for the pool, with its own engine and a cache of compiled templates. It holds no
// provider: a block's question goes to the main thread as an `ask` and its answer comes
// back as a message, so the render sees a provider that answers with a promise (see
// `AwaitingProvider`). A render that never yields is the pool's to stop: it terminates
// this thread.
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import {
  CompiledTemplate,
  compileTemplate,
  renderTemplate,
  TemplateEngine,
  type MessageTemplate,
  type RenderOptions,
  type RenderResult,
} from '../templates/index.js';
import type { FromWorker, ProviderAnswer, RenderJob, ToWorker, WorkerSetup } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('render-worker.ts runs as a worker thread (see RenderPool)');
const post = (message: FromWorker) => port.postMessage(message);

const setup = workerData as WorkerSetup;
const engine = new TemplateEngine(setup.limits);

// A journey sends one template to many people in a row: parse it once. Keyed by content,
// so an edited template is a new entry; least recently used first out.
const CACHED_TEMPLATES = 100;
const compiled = new Map<string, CompiledTemplate>();

function compile(template: MessageTemplate): CompiledTemplate | RenderResult {
  const key = createHash('sha256').update(JSON.stringify(template)).digest('base64url');
  const hit = compiled.get(key);
  if (hit) {
    compiled.delete(key);
    compiled.set(key, hit);
    return hit;
  }
  const result = compileTemplate(template, engine);
  if (result.kind !== 'ok') return { kind: 'failed', errors: result.errors };
  compiled.set(key, result.compiled);
  const oldest = compiled.keys().next();
  if (compiled.size > CACHED_TEMPLATES && !oldest.done) compiled.delete(oldest.value);
  return result.compiled;
}

const waiting = new Map<number, (answer: ProviderAnswer) => void>();
let calls = 0;

/** Posts an `ask` and resolves with what `pick` takes from the answer. */
function ask<T>(
  send: (call: number) => FromWorker,
  pick: (answer: ProviderAnswer) => T | undefined,
): Promise<T> {
  const call = ++calls;
  return new Promise<T>((resolve, reject) => {
    waiting.set(call, (answer) => {
      if (answer.kind === 'error') return reject(new Error(answer.message));
      const value = pick(answer);
      if (value === undefined) return reject(new Error(`a ${answer.kind} answer to another ask`));
      resolve(value);
    });
    post(send(call));
  });
}

function providers(m: RenderJob): Pick<RenderOptions, 'recommend' | 'offer'> {
  const job = m.job;
  return {
    ...(m.providers.recommend
      ? {
          recommend: (request) =>
            ask(
              (call) => ({ type: 'ask', job, call, kind: 'recommend', request }),
              (a) => (a.kind === 'recommend' ? a.items : undefined),
            ),
        }
      : {}),
    ...(m.providers.offer
      ? {
          offer: (request) =>
            ask(
              (call) => ({ type: 'ask', job, call, kind: 'offer', request }),
              // `null` is an answer (no offer): carried as is, told apart from a mismatch.
              (a) => (a.kind === 'offer' ? { offer: a.offer } : undefined),
            ).then((a) => a.offer),
        }
      : {}),
  };
}

async function run(m: RenderJob): Promise<void> {
  try {
    const template = compile(m.template);
    const result =
      template instanceof CompiledTemplate
        ? await renderTemplate(template, m.context, {
            personalized: m.personalized,
            now: m.now,
            onField: (field) => post({ type: 'field', job: m.job, field }),
            ...providers(m),
          })
        : template;
    post({ type: 'done', job: m.job, result });
  } catch (error) {
    post({
      type: 'crashed',
      job: m.job,
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'render') {
    void run(m);
    return;
  }
  const settle = waiting.get(m.call);
  waiting.delete(m.call);
  settle?.(m);
});
post({ type: 'ready' });
