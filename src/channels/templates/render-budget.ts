import type { Emitter } from 'liquidjs';
import { toValue } from 'liquidjs';
import type { TemplateLimits } from './limits.js';
import { OutputLimitReached } from './limits.js';

// LiquidJS's own stringify (its SimpleEmitter's), which it does not export.
function text(value: unknown): string {
  const v: unknown = toValue(value);
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(text).join('');
  // As LiquidJS prints it: an object without its own toString shows "[object Object]".
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return String(v);
}

/**
 * Collects one render pass of one field, refusing to grow past the bytes the message has
 * left: a loop printing a long value stops at the limit instead of filling the heap
 * first and being measured after.
 */
export class BoundedEmitter implements Emitter {
  buffer = '';
  bytes = 0;

  constructor(private readonly maxBytes: number) {}

  write(html: unknown): void {
    const piece = text(html);
    this.bytes += Buffer.byteLength(piece);
    if (this.bytes > this.maxBytes) throw new OutputLimitReached();
    this.buffer += piece;
  }
}

/**
 * What one message's render may still spend: a wall-clock deadline and output bytes,
 * shared by its fields (and by every pass of a field). Time is read from
 * `performance.now()`, as LiquidJS reads it for `renderLimit`: a budget, never output.
 */
export class RenderBudget {
  private readonly deadline: number;
  private bytesLeft: number;

  constructor(
    readonly limits: TemplateLimits,
    start: number = performance.now(),
  ) {
    this.deadline = start + limits.renderMs;
    this.bytesLeft = limits.outputBytes;
  }

  /** Ms left, for a LiquidJS context's `renderLimit` (at most 0 once spent: it then fails). */
  msLeft(): number {
    return this.deadline - performance.now();
  }

  /** An emitter for one pass of one field. */
  emitter(): BoundedEmitter {
    return new BoundedEmitter(this.bytesLeft);
  }

  /** Charges a field's finished output to the message. */
  spend(emitter: BoundedEmitter): void {
    this.bytesLeft -= emitter.bytes;
  }
}
