// RFC 9457 problem details: every error the collector answers has this shape.
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';

export interface FieldProblem {
  /** JSON pointer-ish path of the offending field, e.g. "lines.0.amount". */
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

/** Throw anywhere in a route; the error middleware turns it into problem+json. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly slug: string | undefined;
  readonly errors: FieldProblem[] | undefined;
  readonly extensions: Record<string, unknown> | undefined;

  constructor(
    status: number,
    detail: string,
    options: { slug?: string; errors?: FieldProblem[]; extensions?: Record<string, unknown> } = {},
  ) {
    super(detail);
    this.status = status;
    this.slug = options.slug;
    this.errors = options.errors;
    this.extensions = options.extensions;
  }
}

export function problemBody(
  status: number,
  detail: string | undefined,
  slug?: string,
  errors?: FieldProblem[],
  extensions?: Record<string, unknown>,
): ProblemBody {
  return {
    ...extensions,
    // Relative references (RFC 9457 §3.1.1); "about:blank" when the status says it all.
    type: slug ? `/problems/${slug}` : 'about:blank',
    title: slug ? titleOf(slug) : (STATUS_CODES[status] ?? 'Error'),
    status,
    ...(detail ? { detail } : {}),
    ...(errors?.length ? { errors } : {}),
  };
}

function titleOf(slug: string): string {
  const words = slug.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function sendProblem(res: Response, body: ProblemBody): void {
  res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}
