// One partner's payouts: only their own item of each batch, never the other partners'. Read from
// the partner's keyed log (models/partner-payout.ts) a page at a time, each entry and the batch's
// decisions by key, so the cost is the page's, whatever the number of batches or their size.
import { completedKey, itemOutcome, sealedKey } from '../domain/payout';
import type { Models } from '../models';
import { findClaim } from './claim-once';
import type { ServiceDeps } from './deps';
import { appendToLog, readLogPage } from './keyed-log';

export const payoutsStream = (partnerId: string) => `${partnerId}|payouts`;

interface BatchHead {
  _id: string;
  asOf: Date;
  currency: string;
  createdAt: Date;
}

interface Item {
  partnerId: string;
  amount: number;
  payoutEmail: string;
}

/** The log entry of a partner's item of a batch (what a run writes and the migration rebuilds). */
export const partnerPayoutEntry = (batch: BatchHead, item: Item) => ({
  partnerId: item.partnerId,
  payoutId: batch._id,
  asOf: batch.asOf,
  createdAt: batch.createdAt,
  amount: item.amount,
  currency: batch.currency,
  payoutEmail: item.payoutEmail,
});

/** Writers at once: each append is a handful of lookups by key. */
const parallelAppends = 8;

/** Appends each item to its partner's list; the run that owns the batch is its only writer. */
export async function recordPartnerPayouts(
  models: Pick<Models, 'PartnerPayout'>,
  batch: BatchHead,
  items: readonly Item[],
): Promise<void> {
  for (let i = 0; i < items.length; i += parallelAppends)
    await Promise.all(
      items
        .slice(i, i + parallelAppends)
        .map((item) =>
          appendToLog(models.PartnerPayout.collection, payoutsStream(item.partnerId), partnerPayoutEntry(batch, item)),
        ),
    );
}

type Entry = ReturnType<typeof partnerPayoutEntry>;

export interface PartnerPayoutView {
  payoutId: string;
  asOf: Date;
  createdAt: Date;
  completedAt: Date | null;
  amount: number;
  currency: string;
  payoutEmail: string;
  status: 'pending' | 'paid' | 'failed';
}

/**
 * A page of the partner's payouts, newest first. A batch shows once it is sealed open; one that
 * was abandoned (its run died before sealing) never does.
 */
export async function partnerPayouts(
  { models }: Pick<ServiceDeps, 'models'>,
  partnerId: string,
  page: { limit: number; after?: string | undefined },
): Promise<{ items: PartnerPayoutView[]; nextAfter: string | null }> {
  const { items, nextAfter } = await readLogPage<Entry>(
    models.PartnerPayout.collection,
    payoutsStream(partnerId),
    page,
  );
  const views = await Promise.all(
    items.map(async (entry): Promise<PartnerPayoutView | null> => {
      const [sealed, completed] = await Promise.all([
        findClaim<{ outcome: string }>(models, sealedKey(entry.payoutId)),
        findClaim<{ failed: string[] }>(models, completedKey(entry.payoutId)),
      ]);
      if (sealed?.data?.outcome !== 'open') return null;
      const outcome = itemOutcome(partnerId, completed && { failed: completed.data?.failed ?? [], at: completed.at });
      return {
        payoutId: entry.payoutId,
        asOf: entry.asOf,
        createdAt: entry.createdAt,
        completedAt: outcome.completedAt,
        amount: entry.amount,
        currency: entry.currency,
        payoutEmail: entry.payoutEmail,
        status: outcome.status,
      };
    }),
  );
  return { items: views.filter((view) => view !== null), nextAfter };
}
