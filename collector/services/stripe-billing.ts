// The Stripe billing adapter: a verified Stripe event becomes a signup, an invoice or refunds
// through the same services as the server-to-server API. Each effect is idempotent on its own key
// (Stripe's customer, invoice, refund and credit note IDs); the event ID is stored last, so a
// replayed event is answered from the store and a crashed one is handled again on Stripe's retry.
import type { Context } from '../context';
import { DomainError } from '../domain/errors';
import { stripeActionOf, type StripeAction, type StripeEventLike } from '../domain/stripe';
import { isDuplicateKey, insertNew } from './duplicates';
import { recordRefund } from './refunds';
import { recordRevenue } from './revenue';
import { recordSignup } from './signups';

export interface StripeOutcome {
  eventId: string;
  type: string;
  /** What the event did: a signup, an invoice, refunds, or ignored (with the reason). */
  action: StripeAction['kind'];
  /** true when this event ID was handled before and nothing was done now. */
  duplicate: boolean;
  [detail: string]: unknown;
}

export async function handleStripeEvent(
  context: Context,
  event: StripeEventLike,
  now = new Date(),
): Promise<StripeOutcome> {
  const { models, config } = context;
  const earlier = await models.StripeEvent.findById(event.id).lean();
  if (earlier) return { ...(earlier.outcome as StripeOutcome), duplicate: true };

  const action = stripeActionOf(event, config.stripeDefaultKind);
  const outcome: StripeOutcome = {
    eventId: event.id,
    type: event.type,
    action: action.kind,
    duplicate: false,
    ...(await apply(context, action)),
  };
  try {
    await models.StripeEvent.create({ _id: event.id, type: event.type, outcome, receivedAt: now });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  return outcome;
}

function requireCurrency(context: Context, currency: string): void {
  const expected = context.config.currency;
  if (currency !== expected) {
    throw new DomainError(
      'unprocessable',
      `The program's currency is ${expected}, not ${currency}.`,
      'currency-mismatch',
      {
        fields: [{ field: 'data.object.currency', message: `must be ${expected.toLowerCase()}` }],
      },
    );
  }
}

/** An event already recorded with other content is not Stripe's to fix: reported, not retried. */
async function once<T>(record: () => Promise<T>): Promise<T | 'recorded-before'> {
  try {
    return await record();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'event-conflict') return 'recorded-before';
    throw error;
  }
}

async function apply(context: Context, action: StripeAction): Promise<Record<string, unknown>> {
  const { models } = context;
  switch (action.kind) {
    case 'ignore':
      return { reason: action.reason };
    case 'signup': {
      const { customerId, email, referral, occurredAt } = action;
      const attribution = await recordSignup(context, { customerId, email, referral, occurredAt });
      return { customerId: action.customerId, ...attribution };
    }
    case 'invoice': {
      requireCurrency(context, action.currency);
      const { invoiceId, customerId, currency, occurredAt, lines } = action;
      // The payments first: a refund arriving meanwhile then finds the invoice (and waits for it).
      await insertNew(
        models.StripePayment,
        action.payments.map((_id) => ({ _id, invoiceId })),
      );
      const recorded = await once(() =>
        recordRevenue(context, { eventId: invoiceId, customerId, currency, occurredAt, lines }),
      );
      return recorded === 'recorded-before'
        ? { invoiceId, recordedBefore: true }
        : { invoiceId, commission: recorded.result.commission, recordedBefore: !recorded.created };
    }
    case 'refunds': {
      requireCurrency(context, action.currency);
      const invoiceId = action.invoiceId ?? (await invoicePaidBy(context, action.payments));
      if (!invoiceId) return { reason: 'no-invoice' };
      const refunds = [];
      for (const refund of action.refunds) {
        const recorded = await once(() =>
          recordRefund(context, {
            eventId: refund.eventId,
            refundOf: invoiceId,
            amount: refund.amount,
            kind: 'refund',
          }),
        );
        refunds.push(
          recorded === 'recorded-before'
            ? { eventId: refund.eventId, recordedBefore: true }
            : {
                eventId: refund.eventId,
                amount: recorded.result.amount,
                commissionReversed: recorded.result.commissionReversed,
                recordedBefore: !recorded.created,
              },
        );
      }
      return { invoiceId, refunds };
    }
  }
}

async function invoicePaidBy(context: Context, payments: string[]): Promise<string | undefined> {
  for (const payment of payments) {
    const link = await context.models.StripePayment.findById(payment).lean();
    if (link) return link.invoiceId;
  }
  return undefined;
}
