import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, RateLimitedError } from '../shared/index.js';

/** Longest path parameter: signed links carry their claims in the path. */
export const MAX_PARAM_LENGTH = 4096;

interface ErrorBody {
  error: { code: string; message: string; details: { path: string; problem: string }[] };
}

const body = (code: string, message: string, details: ErrorBody['error']['details'] = []) => ({
  error: { code, message, details },
});

/**
 * Errors Fastify raises before routing (a path parameter past `maxParamLength`, a path
 * that does not decode), in the same shape as every other error.
 */
export function frameworkErrors(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply
      .code(414)
      .send(
        body('uri_too_long', 'A part of the path is too long.', [
          { path: 'params', problem: `is longer than ${MAX_PARAM_LENGTH} characters` },
        ]),
      );
    return;
  }
  void reply.code(400).send(body('invalid_request', 'The path is not a valid URL.'));
}

/** The one place errors become responses: `{ "error": { "code", "message", "details" } }`. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof RateLimitedError) {
      void reply.header('retry-after', String(error.retryAfterSeconds));
    }
    if (error instanceof AppError) {
      // A 5xx from the registry (corrupt stored data, a bad config) is ours to fix: log it.
      if (error.status >= 500) request.log.error({ err: error }, 'request failed');
      return reply.code(error.status).send(body(error.code, error.message, error.details));
    }
    const fe = error as FastifyError;
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE': {
        const limit = request.routeOptions.bodyLimit;
        return reply
          .code(413)
          .send(
            body(
              'payload_too_large',
              `The request body is larger than this endpoint accepts (${limit} bytes after gzip decoding).`,
              [{ path: '', problem: `larger than ${limit} bytes` }],
            ),
          );
      }
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply
          .code(415)
          .send(body('unsupported_media_type', 'Send the body as application/json.'));
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return reply.code(400).send(body('invalid_request', fe.message));
    }
    if (fe.statusCode !== undefined && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.code(fe.statusCode).send(body('invalid_request', fe.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .code(500)
      .send(body('internal', 'Something went wrong on our side; the error is logged.'));
  });
}

/** The API's 404 for a path no route serves. */
export function apiNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .send(body('not_found', `No route ${request.method} ${request.url.split('?')[0]}.`));
}
