// Answer schemas shared by several routes (a route's own answers are declared in its file). They
// describe JSON as sent: times are ISO-8601 strings, absent values null. Strict objects, so an
// answer with a field the document does not name fails checkAnswers.
import { z } from 'zod';
import { attributionMethods } from '../domain/attribution-health';
import { couponStatuses } from '../domain/coupon';
import { withheldReasons } from '../domain/payout';
import { counterNames, type CounterName } from '../domain/stat-layout';
import { webhookEventTypes } from '../domain/webhooks';
import { ledgerKinds } from '../models/ledger-entry';
import { partnerStatuses } from '../models/partner';
import { payoutItemStatuses, payoutStatuses } from '../models/payout';
import { webhookDeliveryStatuses } from '../models/webhook-delivery';
import { webhookEndpointStatuses } from '../models/webhook-endpoint';

export const time = z.iso.datetime();
export const day = z.iso.date();

/** `{items, nextCursor}`: a page of a cursor-paged list. */
export const pageOf = <Item extends z.ZodType>(item: Item) =>
  z.strictObject({ items: z.array(item), nextCursor: z.string().nullable() });

/** `{items}`: a whole (bounded) list. */
export const listOf = <Item extends z.ZodType>(item: Item) => z.strictObject({ items: z.array(item) });

export const partnerAnswer = z.strictObject({
  partnerId: z.string(),
  email: z.string(),
  name: z.string(),
  payoutEmail: z.string().nullable(),
  website: z.string().nullable(),
  status: z.enum(partnerStatuses),
  /** The rate in force, a decimal 0–1 as text ("0.25"). */
  commissionRate: z.string(),
  rateOverride: z.boolean(),
  link: z.string(),
  createdAt: time.nullable(),
});

export const auditEntryAnswer = z.strictObject({
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  reason: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  at: time,
});

export const customerAnswer = z.strictObject({
  customerId: z.string(),
  partnerId: z.string(),
  clickId: z.string(),
  bid: z.string().nullable(),
  email: z.string().nullable(),
  boundAt: time,
});

export const commissionAnswer = z.strictObject({
  id: z.string(),
  partnerId: z.string(),
  kind: z.enum(ledgerKinds),
  amount: z.number().int(),
  currency: z.string(),
  customerId: z.string().nullable(),
  eventId: z.string(),
  reverses: z.string().nullable(),
  occurredAt: time,
  availableAt: time,
  status: z.enum(['pending', 'payable', 'paid']),
  payoutId: z.string().nullable(),
});

/** A partner left out of a payout, and why. */
export const withheldAnswer = z.strictObject({
  partnerId: z.string(),
  balance: z.number().int(),
  reason: z.enum([...withheldReasons, 'claimed-by-another-run']),
});

export const payoutAnswer = z.strictObject({
  payoutId: z.string(),
  asOf: time,
  currency: z.string(),
  status: z.enum(payoutStatuses),
  total: z.number().int(),
  items: z.array(
    z.strictObject({
      partnerId: z.string(),
      amount: z.number().int(),
      payoutEmail: z.string(),
      status: z.enum(payoutItemStatuses),
      /** How many ledger entries the item pays. */
      entries: z.number().int(),
    }),
  ),
  withheld: z.array(withheldAnswer),
  createdBy: z.string(),
  createdAt: time,
  completedAt: time.nullable(),
});

/** One partner's share of a payout. */
export const partnerPayoutAnswer = z.strictObject({
  payoutId: z.string(),
  asOf: time,
  createdAt: time,
  completedAt: time.nullable(),
  amount: z.number().int(),
  currency: z.string(),
  payoutEmail: z.string(),
  status: z.enum(payoutItemStatuses),
});

export const bannerAnswer = z.strictObject({
  bannerId: z.string(),
  name: z.string(),
  imageUrl: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  targetPath: z.string(),
  altText: z.string(),
  active: z.boolean(),
  createdAt: time,
  updatedAt: time,
});

/** All-time use of a coupon code: signups with it, and those who became paying customers. */
export const couponUseFields = { signups: z.number().int(), customers: z.number().int() };

export const couponAnswer = z.strictObject({
  code: z.string(),
  partnerId: z.string(),
  status: z.enum(couponStatuses),
  endsAt: time.nullable(),
  discount: z.string().nullable(),
  description: z.string().nullable(),
  createdBy: z.string(),
  createdAt: time,
  decidedBy: z.string().nullable(),
  decidedAt: time.nullable(),
  decisionReason: z.string().nullable(),
});

const endpointFields = {
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(webhookEventTypes)),
  description: z.string().nullable(),
  status: z.enum(webhookEndpointStatuses),
  disabledReason: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  previousSecretExpiresAt: time.nullable(),
  createdAt: time,
  updatedAt: time,
};
export const webhookEndpointAnswer = z.strictObject(endpointFields);
/** The endpoint with its signing secret (on create, get and rotation only). */
export const webhookEndpointWithSecretAnswer = z.strictObject({ ...endpointFields, secret: z.string() });

export const webhookDeliveryAnswer = z.strictObject({
  id: z.string(),
  eventId: z.string(),
  type: z.string(),
  status: z.enum(webhookDeliveryStatuses),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  log: z.array(
    z.strictObject({
      attempt: z.number().int(),
      at: time,
      statusCode: z.number().int().optional(),
      error: z.string().optional(),
      durationMs: z.number(),
    }),
  ),
  createdAt: time,
  deliveredAt: time.nullable(),
});

export const noteAnswer = z.strictObject({ noteId: z.string(), text: z.string(), author: z.string(), at: time });

/** `{status, detail}` of an accepted request whose outcome is emailed. */
export const sentAnswer = z.strictObject({ status: z.literal('sent'), detail: z.string() });

const nullableText = z.string().nullable();
const minor = z.number().int();

/** A statement line as partners (and operators on the partner page) see it: see domain/statement.ts. */
export const statementLineAnswer = z.strictObject({
  entryId: z.string(),
  kind: z.enum(['commission', 'clawback', 'adjustment']),
  memo: nullableText,
  customerId: nullableText,
  eventId: z.string(),
  occurredAt: time,
  availableAt: time,
  /** The invoice's commissionable base (minor units); null for clawbacks, adjustments and old entries. */
  base: minor.nullable(),
  /** 2500 = 25 %. */
  rateBasisPoints: z.number().nullable(),
  amount: minor,
  /** Reversals folded in, as a positive amount. */
  refunded: minor,
  net: minor,
  status: z.enum(['pending', 'payable', 'paid', 'reversed']),
  payoutId: nullableText,
  /** The click and signup that bound the customer. */
  binding: z
    .strictObject({
      clickedAt: time.nullable(),
      bid: nullableText,
      signedUpAt: time.nullable(),
      method: nullableText,
      coupon: nullableText,
    })
    .nullable(),
});

/** Commission by status (domain/ledger.ts LedgerTotals, without the balance). */
export const commissionByStatusAnswer = z.strictObject({
  pending: minor,
  payable: minor,
  paid: minor,
  reversed: minor,
});

export const balanceAnswer = z.strictObject({
  currency: z.string(),
  ...commissionByStatusAnswer.shape,
  balance: minor,
  /** Pending amounts by the month (YYYY-MM) they become payable, oldest first. */
  releases: z.array(z.strictObject({ month: z.string(), amount: minor })),
  minimumPayout: minor,
  belowMinimum: z.boolean(),
  carriedForward: minor,
  nextReleaseAt: time.nullable(),
});

export const bookCustomerAnswer = z.strictObject({
  customerId: z.string(),
  signedUpAt: time.nullable(),
  method: nullableText,
  bid: nullableText,
  coupon: nullableText,
  firstInvoiceAt: time.nullable(),
  latestInvoiceAt: time.nullable(),
  monthRevenue: minor,
  lifetimeRevenue: minor,
  lifetimeCommission: minor,
  status: z.enum(['active', 'churned']),
});

/** The counters of a period (domain/stat-layout.ts): counts, and revenue and commission in minor units. */
export const countersAnswer = z.strictObject(
  Object.fromEntries(counterNames.map((name) => [name, minor])) as Record<CounterName, typeof minor>,
);

/** A period's counters with `commission` by status now and the balance, as /v1/me/stats and the partner report total them. */
export const statsTotalsAnswer = countersAnswer.extend({
  commission: commissionByStatusAnswer,
  /** Commission earned in the period. */
  earned: minor,
  balance: minor,
});

/** What a signup decided (POST /v1/signups, and Stripe's signup events). */
export const signupAnswer = z.union([
  z.strictObject({ attributed: z.literal(true), partnerId: z.string(), method: z.enum(attributionMethods) }),
  z.strictObject({ attributed: z.literal(false), reason: z.string() }),
]);
