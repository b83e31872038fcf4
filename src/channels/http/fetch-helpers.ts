/**
 * Reads at most `limit` characters of a response body and lets the rest go: a receiver
 * answering with megabytes must not cost us memory, and the message log keeps a snippet.
 */
export async function readSnippet(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, limit);
}

/** Whether a fetch failed because its AbortSignal.timeout fired. */
export function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** A fetch failure in one line: undici's "fetch failed" plus the cause's code (ECONNREFUSED…). */
export function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  const code =
    cause instanceof Error
      ? ((cause as Error & { code?: string }).code ?? cause.message)
      : undefined;
  return code ? `${error.message} (${code})` : error.message;
}
