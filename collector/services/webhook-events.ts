// Records a webhook event with the fact that caused it: an insert under an ID derived from the
// fact, so recording the fact again (a replay, a retry after a crash) adds nothing, and an event
// once stored is delivered even if the process dies the next moment (the dispatcher reads the
// stored events). A fact that cannot be replayed into its event (a customer bound once, a status
// set) records its event first, naming the fact; the dispatcher releases it once the fact exists
// and drops it when the fact never came. Either way no process death loses an event.
import { webhookEventId, type WebhookEventType } from '../domain/webhooks';
import type { Models } from '../models';
import { isDuplicateKey } from './duplicates';

export async function emitWebhookEvent(
  models: Pick<Models, 'WebhookEvent'>,
  type: WebhookEventType,
  /** What makes the fact unique, e.g. the ledger entry's ID. */
  factKey: string,
  data: Record<string, unknown>,
  options: { now?: Date; awaits?: AwaitedFact } = {},
): Promise<void> {
  const key = `${type}:${factKey}`;
  try {
    await models.WebhookEvent.create({
      _id: webhookEventId(key),
      type,
      key,
      data,
      ...(options.awaits ? { fact: options.awaits } : {}),
      createdAt: options.now ?? new Date(),
    });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

/** The fact an event recorded before it waits for. */
export type AwaitedFact = `customer:${string}` | `partner-status:${string}`;
export const customerFact = (customerId: string): AwaitedFact => `customer:${customerId}`;
/** Partner IDs have no `:`, so the first one after the prefix ends the partner ID. */
export const statusFact = (partnerId: string, changeId: string): AwaitedFact =>
  `partner-status:${partnerId}:${changeId}`;

export function customerAttributedData(customer: {
  _id: string;
  partnerId: string;
  bid?: string | null | undefined;
  couponCode?: string | null | undefined;
  method?: string | null | undefined;
  boundAt: Date;
}) {
  return {
    customerId: customer._id,
    partnerId: customer.partnerId,
    bid: customer.bid ?? null,
    couponCode: customer.couponCode ?? null,
    method: customer.method ?? null,
    boundAt: customer.boundAt,
  };
}

/**
 * The data to send for an event recorded before its fact, or undefined while the fact does not
 * exist. One keyed read. A customer's event is rebuilt from the stored customer: of concurrent
 * signups, the one whose binding won is told.
 */
export async function awaitedFactData(
  models: Pick<Models, 'Customer' | 'Partner'>,
  event: { fact: string; data: unknown },
): Promise<Record<string, unknown> | undefined> {
  const [kind, ...rest] = event.fact.split(':');
  if (kind === 'customer') {
    const customer = await models.Customer.findById(rest.join(':')).lean();
    return customer ? customerAttributedData(customer) : undefined;
  }
  const [partnerId, ...change] = rest;
  const partner = await models.Partner.findById(partnerId, { statusChanges: 1 }).lean();
  return partner?.statusChanges?.includes(change.join(':')) ? (event.data as Record<string, unknown>) : undefined;
}
