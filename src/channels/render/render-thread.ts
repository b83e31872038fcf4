import { Worker } from 'node:worker_threads';
import { workerScript } from '../../shared/index.js';
import {
  limitMessage,
  type OfferProvider,
  type RecommendProvider,
  type RenderResult,
  type TemplateLimits,
} from '../templates/index.js';
import type {
  FromWorker,
  ProviderAnswer,
  ProviderAsk,
  RenderJob,
  WorkerSetup,
} from './protocol.js';

/** A render waiting for, or on, a thread. */
export interface Job {
  message: RenderJob;
  recommend: RecommendProvider | undefined;
  offer: OfferProvider | undefined;
  resolve(result: RenderResult): void;
  reject(error: Error): void;
}

export interface ThreadOptions {
  limits: TemplateLimits;
  /** Wall-clock ms after which a job's thread is terminated. */
  killAfterMs: number;
  /** The worker's heap (V8 old generation), MB. */
  heapMb: number;
  /** Ready for a job: loaded, or done with the last one. */
  onIdle(thread: RenderThread): void;
  /** Gone. `started` is false when it never got ready (a broken install, not a template). */
  onExit(thread: RenderThread, started: boolean, error: Error): void;
}

function failure(field: string | undefined, message: string, limit: 'time' | 'memory') {
  return { kind: 'failed' as const, errors: [{ field: field ?? '', message, limit }] };
}

/**
 * One worker thread of a render pool and the job it is on. It answers the worker's
 * provider questions with the job's providers, and stops the thread when a job runs
 * past `killAfterMs` (a render stuck inside one filter never reaches LiquidJS's own
 * check): the job then fails with the time limit, naming the field it was on.
 */
export class RenderThread {
  private readonly worker: Worker;
  private job: Job | undefined;
  private field: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private stopping = false;
  private error: Error | undefined;

  constructor(private readonly options: ThreadOptions) {
    const { script, eval: isEval } = workerScript('render-worker', import.meta.url);
    const setup: WorkerSetup = { limits: options.limits };
    this.worker = new Worker(script, {
      eval: isEval,
      workerData: setup,
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: options.heapMb },
    });
    // An idle thread never keeps the process alive; a busy one does, for at most
    // `killAfterMs` (see `start`), so a script awaiting a render gets its answer.
    this.worker.unref();
    this.worker.on('message', (m: FromWorker) => this.receive(m));
    this.worker.on('error', (error) => (this.error = error));
    this.worker.on('exit', (code) => this.exited(code));
  }

  /** Loaded, not on a job, not being stopped. */
  get idle(): boolean {
    return this.started && this.job === undefined && !this.stopping;
  }

  /** Loading: counts as capacity on its way. */
  get starting(): boolean {
    return !this.started && !this.stopping;
  }

  get busy(): boolean {
    return this.job !== undefined;
  }

  /** Posts a job to the (idle) thread; a job whose data cannot be copied is rejected. */
  start(job: Job): void {
    try {
      this.worker.postMessage(job.message);
    } catch (error) {
      job.reject(new Error(`the render's data cannot be sent to a thread: ${messageOf(error)}`));
      return;
    }
    this.job = job;
    this.field = undefined;
    this.worker.ref();
    this.timer = setTimeout(() => this.stop(), this.options.killAfterMs);
  }

  /** Terminates the thread; a job on it is rejected with `reason`. */
  async terminate(reason: Error): Promise<void> {
    this.stopping = true;
    this.finish()?.reject(reason);
    await this.worker.terminate();
  }

  private finish(): Job | undefined {
    clearTimeout(this.timer);
    const job = this.job;
    this.job = undefined;
    this.worker.unref();
    return job;
  }

  private stop(): void {
    const field = this.field;
    const job = this.finish();
    this.stopping = true;
    job?.resolve(failure(field, limitMessage('time', this.options.limits), 'time'));
    void this.worker.terminate();
  }

  private receive(m: FromWorker): void {
    const current = this.job?.message.job;
    switch (m.type) {
      case 'ready':
        this.started = true;
        this.options.onIdle(this);
        return;
      case 'field':
        if (m.job === current) this.field = m.field;
        return;
      case 'ask':
        void this.answer(m);
        return;
      case 'done':
        if (m.job !== current) return;
        this.finish()?.resolve(m.result);
        this.options.onIdle(this);
        return;
      case 'crashed':
        if (m.job !== current) return;
        this.finish()?.reject(new Error(`the render worker failed: ${m.message}`));
        this.options.onIdle(this);
        return;
    }
  }

  /** Calls the job's provider on this (the main) thread and posts its answer back. */
  private async answer(m: ProviderAsk): Promise<void> {
    const job = this.job;
    if (job?.message.job !== m.job) return;
    const { call } = m;
    let answer: ProviderAnswer;
    try {
      if (m.kind === 'recommend') {
        if (!job.recommend) throw new Error('recommend: no provider');
        answer = { type: 'answer', call, kind: 'recommend', items: await job.recommend(m.request) };
      } else {
        if (!job.offer) throw new Error('offer: no provider');
        answer = { type: 'answer', call, kind: 'offer', offer: await job.offer(m.request) };
      }
    } catch (error) {
      answer = { type: 'answer', call, kind: 'error', message: messageOf(error) };
    }
    if (this.job !== job) return; // stopped while the provider thought
    try {
      this.worker.postMessage(answer);
    } catch (error) {
      // Functions, symbols, class instances with private state: not plain data.
      const message = `${m.kind}: the provider answered with something that is not plain data (${messageOf(error)})`;
      this.worker.postMessage({ type: 'answer', call, kind: 'error', message });
    }
  }

  private exited(code: number): void {
    this.stopping = true;
    const field = this.field;
    const job = this.finish();
    const error = this.error ?? new Error(`the render worker exited with code ${code}`);
    if (job) {
      // Out of heap is the template's doing (a capture or assign growing without end).
      if ('code' in error && error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        const message = `exceeded the render heap of ${this.options.heapMb} MB`;
        job.resolve(failure(field, message, 'memory'));
      } else job.reject(error);
    }
    this.options.onExit(this, this.started, error);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
