import {
  DEFAULT_TEMPLATE_LIMITS,
  type MessageTemplate,
  type RenderOptions,
  type RenderResult,
  type TemplateContext,
  type TemplateLimits,
  type RenderLimit,
} from '../templates/index.js';
import { RenderThread, type Job } from './render-thread.js';

/** What a render needs besides the template and the context. */
export type PoolRenderOptions = Pick<RenderOptions, 'personalized' | 'now' | 'recommend' | 'offer'>;

/** Renders message templates: what the senders and the preview route are given. */
export interface TemplateRenderer {
  render(
    template: MessageTemplate,
    context: TemplateContext,
    options: PoolRenderOptions,
  ): Promise<RenderResult>;
}

export interface RenderPoolOptions {
  /** Threads rendering at once (default 2). */
  threads?: number;
  /** Limits of every render (default `DEFAULT_TEMPLATE_LIMITS`: 1 s, 256 KB). */
  limits?: Partial<TemplateLimits>;
  /** Heap of each thread, MB (default 128). */
  heapMb?: number;
  /** Told of each render stopped at a limit, for metrics: a template that keeps hitting one needs fixing. */
  onLimit?: (limit: RenderLimit) => void;
}

/**
 * Past the time limit, how long a thread still has to report the limit itself (LiquidJS
 * checks it between nodes, with the field, line and column) before it is terminated.
 */
export const KILL_GRACE_MS = 100;

/**
 * Renders templates on worker threads, so that no template holds the event loop that
 * answers requests and runs the pipeline: a render past the time limit is stopped even
 * inside a single filter (the thread is terminated and replaced). Threads start when
 * the first render needs them, at most `threads`; renders beyond wait in order. Errors of
 * the template (limits included) come back as a failed `RenderResult`; a rejection means
 * the pool itself failed (closed, a thread that cannot start), which a sender retries.
 * @example
 * const pool = new RenderPool();
 * const out = await pool.render(template, { profile }, { personalized: true, now: Date.now() });
 * await pool.close();
 */
export class RenderPool implements TemplateRenderer {
  readonly limits: TemplateLimits;
  private readonly size: number;
  private readonly heapMb: number;
  private readonly onLimit: ((limit: RenderLimit) => void) | undefined;
  private readonly threads = new Set<RenderThread>();
  private readonly queue: Job[] = [];
  private jobs = 0;
  private closed = false;

  constructor(options: RenderPoolOptions = {}) {
    this.limits = { ...DEFAULT_TEMPLATE_LIMITS, ...options.limits };
    this.size = Math.max(1, options.threads ?? 2);
    this.heapMb = options.heapMb ?? 128;
    this.onLimit = options.onLimit;
  }

  render(
    template: MessageTemplate,
    context: TemplateContext,
    options: PoolRenderOptions,
  ): Promise<RenderResult> {
    if (this.closed) return Promise.reject(new Error('the render pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({
        message: {
          type: 'render',
          job: ++this.jobs,
          template,
          context,
          personalized: options.personalized,
          now: options.now,
          providers: { recommend: !!options.recommend, offer: !!options.offer },
        },
        recommend: options.recommend,
        offer: options.offer,
        resolve: (result) => {
          if (result.kind === 'failed' && this.onLimit) {
            const hit = result.errors.find((e) => e.limit !== undefined)?.limit;
            if (hit) this.onLimit(hit);
          }
          resolve(result);
        },
        reject,
      });
      this.pump();
    });
  }

  /** Threads alive, renders on them, renders waiting. */
  stats(): { threads: number; rendering: number; queued: number } {
    let rendering = 0;
    for (const t of this.threads) if (t.busy) rendering++;
    return { threads: this.threads.size, rendering, queued: this.queue.length };
  }

  /** Stops every thread; renders waiting or in flight are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const reason = new Error('the render pool is closed');
    for (const job of this.queue.splice(0)) job.reject(reason);
    await Promise.all([...this.threads].map((t) => t.terminate(reason)));
    this.threads.clear();
  }

  private pump(): void {
    if (this.closed) return;
    for (const thread of this.threads) {
      // A job refused by `start` leaves the thread idle for the next one.
      while (thread.idle && this.queue.length > 0) thread.start(this.queue.shift()!);
    }
    let starting = 0;
    for (const t of this.threads) if (t.starting) starting++;
    while (this.threads.size < this.size && starting < this.queue.length) {
      this.threads.add(this.spawn());
      starting++;
    }
  }

  private spawn(): RenderThread {
    return new RenderThread({
      limits: this.limits,
      killAfterMs: this.limits.renderMs + KILL_GRACE_MS,
      heapMb: this.heapMb,
      onIdle: () => this.pump(),
      onExit: (thread, started, error) => {
        this.threads.delete(thread);
        // A thread that never started would fail again: say so instead of spinning.
        if (!started && !this.closed) for (const job of this.queue.splice(0)) job.reject(error);
        this.pump();
      },
    });
  }
}
