// What a (verified) Stripe event means for the partner program: a signup, an invoice, refunds of
// an invoice, or nothing. Only the fields used are read, leniently, so the mapping works across
// Stripe API versions: older ones carry `charge.invoice`, `invoice.charge` and `line.price`; newer
// ones `invoice.payments` and `line.pricing`.
import { z } from 'zod';
import type { InvoiceLine } from './commission';
import { DomainError } from './errors';
import { lineKindField } from './validation';

export type StripeAction =
  | { kind: 'signup'; customerId: string; email: string | undefined; referral: string | undefined; occurredAt: Date }
  | {
      kind: 'invoice';
      invoiceId: string;
      customerId: string;
      currency: string;
      occurredAt: Date;
      lines: InvoiceLine[];
      /** Charges and payment intents that paid it: how later `charge.refunded` events find the invoice. */
      payments: string[];
    }
  | {
      kind: 'refunds';
      /** The invoice when the event names it; else found through `payments`. */
      invoiceId: string | undefined;
      payments: string[];
      currency: string;
      /** eventId is Stripe's refund or credit note ID; no amount means everything left. */
      refunds: Array<{ eventId: string; amount: number | undefined }>;
    }
  | { kind: 'ignore'; reason: string };

const id = z.string().min(1).max(128);
const metadata = z.record(z.string(), z.string()).nullish();
/** An expandable reference: the ID, or the object carrying it. */
const ref = z.union([id, z.looseObject({ id })]).nullish();
const refId = (value: z.infer<typeof ref>) => (typeof value === 'string' ? value : (value?.id ?? undefined));
const money = z.number().int();

const customer = z.looseObject({ id, email: z.string().nullish(), metadata, created: z.number().optional() });
const checkoutSession = z.looseObject({
  customer: ref,
  customer_details: z.looseObject({ email: z.string().nullish() }).nullish(),
  client_reference_id: z.string().nullish(),
  metadata,
  created: z.number().optional(),
});
const product = z.union([id, z.looseObject({ metadata })]).nullish();
const price = z.union([id, z.looseObject({ metadata, product })]).nullish();
const line = z.looseObject({
  amount: money,
  metadata,
  price,
  pricing: z.looseObject({ price_details: z.looseObject({ price, product }).nullish() }).nullish(),
  discount_amounts: z.array(z.looseObject({ amount: money })).nullish(),
});
const invoice = z.looseObject({
  id,
  customer: ref,
  currency: z.string(),
  created: z.number(),
  status_transitions: z.looseObject({ paid_at: z.number().nullish() }).nullish(),
  total_excluding_tax: money.nullish(),
  subtotal: money.nullish(),
  lines: z.looseObject({ data: z.array(line), has_more: z.boolean().optional() }),
  charge: ref,
  payment_intent: ref,
  payments: z
    .looseObject({
      data: z.array(z.looseObject({ payment: z.looseObject({ charge: ref, payment_intent: ref }).nullish() })),
    })
    .nullish(),
});
const charge = z.looseObject({
  id,
  currency: z.string(),
  invoice: ref,
  payment_intent: ref,
  refunded: z.boolean().optional(),
  amount_refunded: money,
  refunds: z
    .looseObject({ data: z.array(z.looseObject({ id, amount: money, status: z.string().nullish() })) })
    .nullish(),
});
const creditNote = z.looseObject({
  id,
  invoice: ref,
  currency: z.string(),
  total_excluding_tax: money.nullish(),
  subtotal: money,
});

export interface StripeEventLike {
  id: string;
  type: string;
  created: number;
  data: { object: unknown; previous_attributes?: unknown };
}

const seconds = (unix: number) => new Date(unix * 1000);
/** Stripe counts whole seconds: a signup in the click's own second must not look earlier than it. */
const signupTime = (unix: number) => new Date(unix * 1000 + 999);

function parse<T extends z.ZodType>(schema: T, event: StripeEventLike): z.infer<T> {
  const parsed = schema.safeParse(event.data.object);
  if (parsed.success) return parsed.data;
  throw new DomainError(
    'unprocessable',
    `Stripe event ${event.id} (${event.type}) is not readable.`,
    'stripe-event-unreadable',
    {
      fields: parsed.error.issues.map((issue) => ({
        field: ['data', 'object', ...issue.path].join('.'),
        message: issue.message,
      })),
    },
  );
}

/** The line's own, its price's or its product's `metadata.ashop_kind`, else the default. */
function kindOf(item: z.infer<typeof line>, defaultKind: string): string {
  const prices = [item.price, item.pricing?.price_details?.price].filter((p) => p && typeof p === 'object');
  const products = [
    ...prices.map((p) => (p as { product?: unknown }).product),
    item.pricing?.price_details?.product,
  ].filter((p) => p && typeof p === 'object');
  const named = [item.metadata, ...[...prices, ...products].map((p) => (p as { metadata?: unknown }).metadata)]
    .map((m) => (m as Record<string, string> | null | undefined)?.ashop_kind)
    .find((kind) => kind !== undefined);
  if (named === undefined) return defaultKind;
  if (!lineKindField.safeParse(named).success) {
    throw new DomainError('unprocessable', `metadata.ashop_kind "${named}" is not a line kind.`, 'invalid-line-kind', {
      fields: [{ field: 'metadata.ashop_kind', message: 'must be a lowercase word (a-z 0-9 _ -)' }],
    });
  }
  return named;
}

/**
 * One line per invoice line, net of its discounts. Credits (negative lines, e.g. prorations) are
 * netted against the other lines of their kind, since a line is a positive amount. When the event
 * carries only the first page of lines, the rest of the invoice is one line of the default kind.
 */
export function invoiceLines(stripeInvoice: z.infer<typeof invoice>, defaultKind: string): InvoiceLine[] {
  const lines = stripeInvoice.lines.data.map((item) => ({
    kind: kindOf(item, defaultKind),
    amount: item.amount - (item.discount_amounts ?? []).reduce((sum, discount) => sum + discount.amount, 0),
  }));
  const total = stripeInvoice.total_excluding_tax ?? stripeInvoice.subtotal;
  if (stripeInvoice.lines.has_more && total !== null && total !== undefined) {
    const rest = total - lines.reduce((sum, item) => sum + item.amount, 0);
    if (rest > 0) lines.push({ kind: defaultKind, amount: rest });
  }
  if (lines.every((item) => item.amount > 0)) return lines;
  const byKind = new Map<string, number>();
  for (const item of lines) byKind.set(item.kind, (byKind.get(item.kind) ?? 0) + item.amount);
  return [...byKind].filter(([, amount]) => amount > 0).map(([kind, amount]) => ({ kind, amount }));
}

const present = (values: Array<string | undefined>) => [...new Set(values.filter((v): v is string => Boolean(v)))];

export function stripeActionOf(event: StripeEventLike, defaultKind: string): StripeAction {
  switch (event.type) {
    case 'customer.created': {
      const created = parse(customer, event);
      const referral = created.metadata?.ashop_ref;
      if (!referral) return { kind: 'ignore', reason: 'no-referral' };
      return {
        kind: 'signup',
        customerId: created.id,
        email: created.email ?? undefined,
        referral,
        occurredAt: signupTime(created.created ?? event.created),
      };
    }
    case 'checkout.session.completed': {
      const session = parse(checkoutSession, event);
      const referral = session.metadata?.ashop_ref ?? session.client_reference_id ?? undefined;
      const customerId = refId(session.customer);
      if (!referral) return { kind: 'ignore', reason: 'no-referral' };
      if (!customerId) return { kind: 'ignore', reason: 'no-customer' };
      return {
        kind: 'signup',
        customerId,
        email: session.customer_details?.email ?? undefined,
        referral,
        occurredAt: signupTime(session.created ?? event.created),
      };
    }
    case 'invoice.paid': {
      const paid = parse(invoice, event);
      const customerId = refId(paid.customer);
      if (!customerId) return { kind: 'ignore', reason: 'no-customer' };
      const lines = invoiceLines(paid, defaultKind);
      if (lines.length === 0) return { kind: 'ignore', reason: 'nothing-paid' };
      return {
        kind: 'invoice',
        invoiceId: paid.id,
        customerId,
        currency: paid.currency.toUpperCase(),
        occurredAt: seconds(paid.status_transitions?.paid_at ?? paid.created),
        lines,
        payments: present([
          refId(paid.charge),
          refId(paid.payment_intent),
          ...(paid.payments?.data ?? []).flatMap((p) => [refId(p.payment?.charge), refId(p.payment?.payment_intent)]),
        ]),
      };
    }
    case 'charge.refunded': {
      const refunded = parse(charge, event);
      const listed = (refunded.refunds?.data ?? []).filter((r) => r.status !== 'failed' && r.status !== 'canceled');
      let refunds: Array<{ eventId: string; amount: number | undefined }>;
      if (listed.length) refunds = listed.map((r) => ({ eventId: r.id, amount: r.amount }));
      else {
        // Since API version 2022-11-15 the refunds are not listed: the step is what this event added
        // to the charge's cumulative amount_refunded, keyed by the level it reached.
        const before = z.looseObject({ amount_refunded: money }).safeParse(event.data.previous_attributes ?? {})
          .data?.amount_refunded;
        const amount = before === undefined ? undefined : refunded.amount_refunded - before;
        if (amount === undefined && !refunded.refunded)
          return { kind: 'ignore', reason: 'partial-refund-without-amount' };
        if (amount !== undefined && amount <= 0) return { kind: 'ignore', reason: 'nothing-refunded' };
        refunds = [{ eventId: `${refunded.id}:refunded:${refunded.amount_refunded}`, amount }];
      }
      return {
        kind: 'refunds',
        invoiceId: refId(refunded.invoice),
        payments: present([refunded.id, refId(refunded.payment_intent)]),
        currency: refunded.currency.toUpperCase(),
        refunds,
      };
    }
    case 'credit_note.created': {
      const note = parse(creditNote, event);
      const invoiceId = refId(note.invoice);
      const amount = note.total_excluding_tax ?? note.subtotal;
      if (!invoiceId) return { kind: 'ignore', reason: 'no-invoice' };
      if (amount <= 0) return { kind: 'ignore', reason: 'nothing-credited' };
      return {
        kind: 'refunds',
        invoiceId,
        payments: [],
        currency: note.currency.toUpperCase(),
        refunds: [{ eventId: note.id, amount }],
      };
    }
    default:
      return { kind: 'ignore', reason: 'event-type-not-used' };
  }
}
