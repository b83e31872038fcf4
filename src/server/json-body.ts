import { createGunzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { AppError, ValidationError } from '../shared/index.js';

/** What the JSON parser leaves on `request.body`: the value and the exact text. */
export interface JsonBody {
  value: unknown;
  text: string;
}

export function isJsonBody(body: unknown): body is JsonBody {
  return typeof body === 'object' && body !== null && 'text' in body && 'value' in body;
}

/**
 * Parses JSON bodies ourselves so handlers also get the source text (events are stored
 * byte for byte), and accepts gzip-encoded bodies as Segment's API does. The body limit
 * applies to the decompressed bytes, so a small gzip bomb still gets a 413.
 */
export function registerJsonBody(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    ['application/json', 'text/plain'],
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = body as string;
      try {
        // JSON.parse keeps `__proto__` as an ordinary own key; nothing downstream merges
        // client objects with Object.assign, so it stays inert data.
        done(null, { value: JSON.parse(text) as unknown, text } satisfies JsonBody);
      } catch (error) {
        const problem = error instanceof Error ? error.message : 'not valid JSON';
        done(
          withStatus(
            new ValidationError('The request body is not valid JSON.', [{ path: '', problem }]),
          ),
          undefined,
        );
      }
    },
  );

  // Forms: the preference center, and RFC 8058 one-click unsubscribe POSTs (which mail
  // providers send as urlencoded or multipart). Handlers read the text.
  app.addContentTypeParser(
    ['application/x-www-form-urlencoded', 'multipart/form-data'],
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_request, body, done) => {
      done(null, body);
    },
  );

  app.addHook('preParsing', (request, _reply, payload, done) => {
    const encoding = request.headers['content-encoding'];
    if (!encoding || encoding === 'identity') {
      done(null, payload);
      return;
    }
    if (encoding !== 'gzip') {
      done(
        withStatus(
          new AppError(
            'unsupported_encoding',
            415,
            `Content-Encoding "${encoding}" is not supported; send identity or gzip.`,
          ),
        ),
      );
      return;
    }
    const gunzip = createGunzip();
    payload.on('error', (e) => gunzip.destroy(e));
    gunzip.on('error', () => undefined);
    // The declared length is of the compressed bytes; drop it so Fastify counts the
    // decompressed stream against the body limit instead.
    delete request.headers['content-length'];
    done(null, payload.pipe(gunzip));
  });
}

/** Fastify reads `statusCode` off errors raised by parsers and hooks. */
function withStatus<E extends AppError>(error: E): E {
  (error as E & { statusCode?: number }).statusCode = error.status;
  return error;
}
