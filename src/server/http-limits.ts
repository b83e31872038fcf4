import type { Server } from 'node:http';
import type { FastifyHttpOptions, FastifyInstance } from 'fastify';
import type { HttpLimits } from '../config/index.js';

/**
 * Request line and headers together, as Node's default: past it, 431. It bounds every
 * query string (filters, cursors) as well as headers; pinned here so a
 * `--max-http-header-size` flag cannot silently raise it.
 */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Fastify's socket options for the limits. Fastify's own defaults are no request
 * timeout and no socket timeout, so a client that declares `Content-Length: 1000` and
 * sends 10 bytes holds its socket (and its parser state) forever.
 *
 * Node enforces the header and request timeouts from a timer that runs every
 * `connectionsCheckingInterval` (30 s by default, far coarser than our limits): it is
 * set to a quarter of the shortest one, so a request is closed at most ~25% late.
 */
export function httpServerOptions(limits: HttpLimits): FastifyHttpOptions<Server> {
  const shortest = Math.min(limits.httpHeadersTimeoutMs, limits.httpRequestTimeoutMs);
  return {
    // Socket inactivity in either direction, including a client that stops reading.
    connectionTimeout: limits.httpIdleTimeoutMs,
    keepAliveTimeout: limits.httpKeepAliveTimeoutMs,
    requestTimeout: limits.httpRequestTimeoutMs,
    http: {
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout: limits.httpHeadersTimeoutMs,
      // Node checks headersTimeout <= requestTimeout when the server is created.
      requestTimeout: limits.httpRequestTimeoutMs,
      connectionsCheckingInterval: Math.max(25, Math.floor(shortest / 4)),
    },
  };
}

/**
 * Caps open connections: past the cap Node closes each new connection as it is
 * accepted (the client sees it reset), so a flood of sockets cannot exhaust file
 * descriptors or memory. Dropped connections are counted.
 */
export function capConnections(app: FastifyInstance, limits: HttpLimits, onDrop: () => void): void {
  app.server.maxConnections = limits.httpMaxConnections;
  app.server.on('drop', onDrop);
}
