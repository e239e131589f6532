// The last middlewares: unknown routes and every thrown error become problem+json.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { DomainError, type DomainErrorKind } from '../domain/errors';
import type { Logger } from '../logger';
import { HttpProblem, problemBody, sendProblem, type FieldProblem } from './problem';

export const notFound: RequestHandler = (req, res) => {
  sendProblem(res, problemBody(404, `No route for ${req.method} ${req.path}`, 'not-found'));
};

/** body-parser's error types → our statuses. */
const parserErrors: Record<string, [number, string]> = {
  'entity.parse.failed': [400, 'malformed-json'],
  'entity.too.large': [413, 'payload-too-large'],
  'encoding.unsupported': [415, 'unsupported-encoding'],
  'charset.unsupported': [415, 'unsupported-charset'],
  'request.aborted': [400, 'request-aborted'],
  'request.size.invalid': [400, 'request-size-invalid'],
};

/** The one place where a domain error becomes an HTTP status. */
const statusOfKind: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  unprocessable: 422,
  unavailable: 503,
};

/**
 * Driver errors that mean "the database cannot take this right now", not "the request is bad":
 * the network, server selection, a primary stepping down or shutting down, a write concern not
 * met. The write may or may not have happened; every write here is idempotent, so a retry is safe.
 */
const unavailableNames = new Set([
  'DatabaseUnavailableError', // refused up front while the database is known to be down (db/health.ts)
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoClientClosedError',
  'MongoServerClosedError',
  'MongoPoolClearedError',
  'MongoWriteConcernError',
  'MongoOperationTimeoutError',
]);

/** Server error codes of the same kind (MongoDB's error_codes.yml). */
const unavailableCodes = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  64, // WriteConcernFailed
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  9001, // SocketException
  10058, // LegacyNotPrimary
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/** Socket errors the driver sometimes passes on unwrapped (a write to a connection the server closed). */
const socketCodes = new Set([
  'EPIPE',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Labels the driver puts on errors worth retrying. */
const unavailableLabels = ['RetryableWriteError', 'ResetPool', 'TransientTransactionError'];

/** Whether an error means the database is unreachable or cannot confirm the write (answer 503). */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const fields = error as {
    name?: unknown;
    code?: unknown;
    hasErrorLabel?: unknown;
    writeConcernError?: unknown;
    errorResponse?: unknown;
    err?: unknown;
    cause?: unknown;
  };
  if (typeof fields.name === 'string' && unavailableNames.has(fields.name)) return true;
  if (typeof fields.code === 'number' && unavailableCodes.has(fields.code)) return true;
  if (typeof fields.code === 'string' && socketCodes.has(fields.code)) return true;
  if (typeof fields.hasErrorLabel === 'function') {
    const hasLabel = fields.hasErrorLabel as (label: string) => boolean;
    if (unavailableLabels.some((label) => hasLabel.call(error, label))) return true;
  }
  // A write concern error inside a write result: the write is not known to be durable.
  if (fields.writeConcernError) return true;
  // MongoBulkWriteError keeps the driver error that cut the batch short in errorResponse (or a
  // write concern error in err); other wrappers use cause.
  return [fields.errorResponse, fields.err, fields.cause].some(
    (inner) => inner !== error && isDatabaseUnavailable(inner, depth + 1),
  );
}

/** Seconds a client should wait before retrying while the database is unavailable. */
export const databaseRetryAfterSeconds = 5;

export function zodFieldProblems(error: ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
}

/** `onUnavailable` hears of every request that failed because the database is unreachable. */
export function errorHandler(logger: Logger, onUnavailable: () => void = () => {}): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof HttpProblem) {
      return sendProblem(res, problemBody(error.status, error.message, error.slug, error.errors, error.extensions));
    }
    if (error instanceof DomainError) {
      const status = statusOfKind[error.kind];
      if (status === 503) res.setHeader('Retry-After', '1');
      return sendProblem(
        res,
        problemBody(status, error.message, error.code, error.details.fields, error.details.extensions),
      );
    }
    if (error instanceof ZodError) {
      return sendProblem(
        res,
        problemBody(400, 'The request has invalid fields.', 'invalid-request', zodFieldProblems(error)),
      );
    }
    const parserType = (error as { type?: unknown }).type;
    const parser = typeof parserType === 'string' ? parserErrors[parserType] : undefined;
    if (parser) {
      const [status, slug] = parser;
      const detail = status === 413 ? 'The request body is too large.' : (error as Error).message;
      return sendProblem(res, problemBody(status, detail, slug));
    }
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendProblem(res, problemBody(status, (error as Error).message));
    }
    if (isDatabaseUnavailable(error)) {
      // Refusals while known down are expected and frequent: no log line per request.
      if ((error as Error).name !== 'DatabaseUnavailableError') {
        (req.log ?? logger).warn({ err: error }, 'database unavailable');
        onUnavailable();
      }
      res.setHeader('Retry-After', String(databaseRetryAfterSeconds));
      return sendProblem(
        res,
        problemBody(503, 'The database is unavailable; try again shortly.', 'database-unavailable'),
      );
    }
    (req.log ?? logger).error({ err: error }, 'unhandled error');
    sendProblem(res, problemBody(500, 'Something went wrong on our side; it has been logged.'));
  };
}
