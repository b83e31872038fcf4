import { LiquidError } from 'liquidjs';

/** Limits on what one template may cost. Every render of every message is held to them. */
export interface TemplateLimits {
  /** Characters of source per field (LiquidJS `parseLimit`), checked when compiling. */
  parseLength: number;
  /**
   * Wall-clock ms for one message: every field, every render pass and provider call.
   * LiquidJS checks it between nodes (`renderLimit`); a render pool also stops a thread
   * that runs past it inside one node (a filter over a huge array never yields).
   */
  renderMs: number;
  /** Allocation units per field render: ranges, joins, padding (LiquidJS `memoryLimit`). */
  memory: number;
  /** UTF-8 bytes of output for one message, all its fields together. */
  outputBytes: number;
  /** The largest `limit` a recommend block may ask for. */
  recommendItems: number;
}

/**
 * Strict on purpose: a real message renders in about a millisecond to a few dozen KB
 * (Gmail clips past 102 KB), so these only stop what no one meant to send.
 */
export const DEFAULT_TEMPLATE_LIMITS: TemplateLimits = {
  parseLength: 500_000,
  renderMs: 1_000,
  memory: 20_000_000,
  outputBytes: 256 * 1024,
  recommendItems: 50,
};

/** A limit a render can hit, as `TemplateError.limit` reports it. */
export type RenderLimit = 'time' | 'output' | 'memory';

/** What an error says about the limit it hit, naming it and its value. */
export function limitMessage(limit: RenderLimit, limits: TemplateLimits): string {
  switch (limit) {
    case 'time':
      return `exceeded the render time limit of ${limits.renderMs} ms`;
    case 'output':
      return `exceeded the output limit of ${limits.outputBytes} bytes`;
    case 'memory':
      return `exceeded the memory limit of ${limits.memory} allocation units`;
  }
}

/** Thrown by the output emitter when a message outgrows `outputBytes`. */
export class OutputLimitReached extends Error {
  constructor() {
    super('output limit exceeded');
    this.name = 'OutputLimitReached';
  }
}

// LiquidJS's Limiter throws an AssertionError with these messages (`${resource} limit
// exceeded`); the limit tests pin them, so an upgrade that renames them fails there.
const LIQUID_LIMITS: ReadonlyMap<string, RenderLimit> = new Map([
  ['template render limit exceeded', 'time'],
  ['memory alloc limit exceeded', 'memory'],
]);

/** The limit a render error comes from, looking through LiquidJS's wrapping; else null. */
export function limitOf(error: unknown): RenderLimit | null {
  let cause = error;
  while (LiquidError.is(cause) && cause.originalError !== undefined) cause = cause.originalError;
  if (cause instanceof OutputLimitReached) return 'output';
  if (cause instanceof Error && cause.name === 'AssertionError') {
    return LIQUID_LIMITS.get(cause.message) ?? null;
  }
  return null;
}
