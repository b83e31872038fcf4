/**
 * The registry of expected errors. Each has a stable `code` and an HTTP status; the
 * server's one error handler turns any of them into
 * `{ "error": { "code", "message", "details" } }`.
 */
export interface ErrorDetail {
  /** Dotted path of the offending field, e.g. `batch.3.timestamp`; empty for the whole body. */
  path: string;
  problem: string;
}

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details: ErrorDetail[]) {
    super('invalid_request', 400, message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Missing or unknown API key. Send it as `Authorization: Bearer <key>`.') {
    super('unauthorized', 401, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('forbidden', 403, message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('not_found', 404, message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('conflict', 409, message, details);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('payload_too_large', 413, message, details);
  }
}

/**
 * A render stopped at one of its limits (time, output, memory): the request was valid,
 * but what it asks for costs more than a render may. The message names the limit.
 */
export class RenderLimitError extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('render_limit_exceeded', 422, message, details);
  }
}

/** A configuration value that stops start-up; the message names the setting. */
export class ConfigError extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('invalid_config', 500, message, details);
  }
}

/**
 * Stored data that does not decode (a row written by a bug or edited by hand): the
 * request that needed it cannot be answered. The message names the row, the details
 * the field; the data is left as found for someone to look at.
 */
export class CorruptDataError extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('corrupt_data', 500, message, details);
  }
}

/**
 * A key sent more requests than its limit allows. The handler adds `Retry-After` with
 * `retryAfterSeconds` (a whole number, at least 1); the details name the limit.
 */
export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    details: ErrorDetail[] = [],
  ) {
    super('rate_limited', 429, message, details);
  }
}
