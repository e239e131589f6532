// What services raise when a request cannot be served. They speak the domain's language (a thing is
// missing, a state forbids it, a fact conflicts); the HTTP layer maps each kind to a status in one
// place (collector/http/errors.ts), and the CLI prints the message.
export type DomainErrorKind =
  | 'invalid' // the input breaks a rule no retry can fix (400)
  | 'unauthenticated' // wrong or missing credentials (401)
  | 'forbidden' // known caller, not allowed (403)
  | 'not-found' // the thing named does not exist (404)
  | 'conflict' // the current state forbids it, or another request won (409)
  | 'unprocessable' // well-formed, but refers to facts we do not have (422)
  | 'unavailable'; // try again shortly (503)

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. "lines.0.amount". */
  field: string;
  message: string;
}

export class DomainError extends Error {
  override name = 'DomainError';

  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** Stable machine-readable name of the problem, e.g. "payout-not-found". */
    readonly code: string,
    readonly details: { fields?: FieldIssue[]; extensions?: Record<string, unknown> } = {},
  ) {
    super(message);
  }
}
