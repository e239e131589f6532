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

/** Driver errors that mean "the database cannot be reached right now", not "the request is bad". */
const unavailableErrors = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);

export function zodFieldProblems(error: ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
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
    if (error instanceof Error && unavailableErrors.has(error.name)) {
      (req.log ?? logger).warn({ err: error }, 'database unavailable');
      res.setHeader('Retry-After', '5');
      return sendProblem(
        res,
        problemBody(503, 'The database is unavailable; try again shortly.', 'database-unavailable'),
      );
    }
    (req.log ?? logger).error({ err: error }, 'unhandled error');
    sendProblem(res, problemBody(500, 'Something went wrong on our side; it has been logged.'));
  };
}
