import { LiquidError } from 'liquidjs';
import type { TemplateError } from './message-template.js';

/**
 * A LiquidJS parse or render error as `{ field, line, col, message }`: the position is
 * the tag or output that failed, relative to the field's source; the message is the
 * original cause without LiquidJS's position suffix.
 */
export function templateError(field: string, error: unknown): TemplateError {
  if (LiquidError.is(error)) {
    const [line, col] = error.token.getPosition() as [number, number];
    const cause = error.originalError;
    const text = (cause && !LiquidError.is(cause) ? cause.message : error.message).replace(
      /, line:\d+, col:\d+$/,
      '',
    );
    return { field, line, col, message: text };
  }
  return { field, message: error instanceof Error ? error.message : String(error) };
}
