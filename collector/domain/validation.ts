// Field rules shared by the tracking and billing endpoints (docs/CONTRACTS.md §1, §4), as zod schemas.
import { z } from 'zod';
import { MAX_AMOUNT, occurredAtProblem } from './bounds';

/** `a_aid` / `a_bid`: 1–64 chars of [A-Za-z0-9_-]. */
export const trackingIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
export const partnerIdField = z.string().regex(trackingIdPattern, 'must be 1-64 characters of A-Z a-z 0-9 _ -');
export const bannerIdField = partnerIdField;
/** `data1` / `data2`: free sub-IDs chosen by the partner. */
export const subIdField = z.string().max(128);
export const uuidField = z.uuid();
/** Merchant-side identifiers (event and customer IDs): printable, no surprises in keys or logs. */
export const externalIdField = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'must be 1-128 printable ASCII characters without spaces');
export const urlField = z.string().max(2048);
/** An ISO-8601 time with an offset, with no bounds of its own (e.g. a coupon's end date). */
export const timestampField = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
/** When a click, signup or invoice happened: from 2000-01-01 to now (plus clock skew), see bounds.ts. */
export const occurredAtField = z.iso.datetime({ offset: true }).transform((value, ctx) => {
  const date = new Date(value);
  const problem = occurredAtProblem(date, new Date());
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
  return problem ? z.NEVER : date;
});
/** Invoice line kinds, as configured in ASHOP_COMMISSIONABLE_KINDS plus any other word. */
export const lineKindField = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be a lowercase word (a-z 0-9 _ -)');
/** Money in minor units: a positive integer up to MAX_AMOUNT (bounds.ts). */
export const amountField = z.number().int().positive().max(MAX_AMOUNT, `must be at most ${MAX_AMOUNT} minor units`);
export const currencyField = z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code');
