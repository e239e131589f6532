// The money read models (domain/statement.ts), folded by the stats folder from the same insert-only
// deltas as the counters (services/stats-folder.ts), under the same lease and in the same
// journaled batches:
//
// - `ledger:<entryId>`, inserted before a ledger entry (ledger-writer.ts): the entry's line.
// - `claim:<entryId>:<payoutId>` / `release:<entryId>:<payoutId>`, inserted before a payout claim is
//   inserted or deleted (payouts.ts): the claim as it is when folded. A line is always SET from the
//   facts as read (entry, reversal, claim), never incremented, so folding one twice or late changes
//   nothing; the delta waits (up to the grace time) until the claim looks as it announced.
// - `signup:<customerId>` and `invoice:<eventId>` (the counters' deltas) also set the customer in
//   the book and add the invoice to it.
// - `money:<run>:<fact>:<id>`: the migration and `stats rebuild` refolding every fact.
//
// Totals change by the difference between a line before and after the batch, computed when the
// batch is planned (the statement documents as the last batch left them) and written with it.
import {
  applyBookOps,
  applyReleaseDay,
  applyTotals,
  chunksTouched,
  foldStatement,
  groupByStatement,
  lineBaseOf,
  planMoneyBatch,
  releaseDayId,
  type BookCustomer,
  type BookMonth,
  type CustomerFacts,
  type EntryDoc,
  type LineBase,
  type LineOp,
  type MoneyBatch,
  type MoneyOps,
  type MoneyTotals,
  type StatementMonth,
  type StoredLine,
} from '../domain/statement';
import { keyFilter } from '../db/key-filter';
import type { Models } from '../models';
import { insertNew } from './duplicates';

/** What one fold batch does to the money read models (stored in the batch, replayed after a crash). */
export const ledgerDeltaId = (entryId: string) => `ledger:${entryId}`;
export const claimDeltaId = (entryId: string, payoutId: string, claimed: boolean) =>
  `${claimed ? 'claim' : 'release'}:${entryId}:${payoutId}`;

/** Awaited before a ledger entry is inserted; again for the same entry adds nothing. */
export async function recordLedgerDelta(models: Models, entryId: string): Promise<void> {
  await insertNew(models.StatDelta.collection, [
    { _id: ledgerDeltaId(entryId), kind: 'ledger', ref: entryId, createdAt: new Date() },
  ]);
}

/** Awaited before payout claims are inserted (`claimed`) or deleted: the folder re-reads those entries. */
export async function recordClaimDeltas(
  models: Models,
  payoutId: string,
  entryIds: readonly string[],
  claimed: boolean,
): Promise<void> {
  if (entryIds.length === 0) return;
  const createdAt = new Date();
  await insertNew(
    models.StatDelta.collection,
    entryIds.map((entryId) => ({
      _id: claimDeltaId(entryId, payoutId, claimed),
      kind: 'claim',
      ref: entryId,
      expect: claimed ? payoutId : null,
      createdAt,
    })),
  );
}

/** Reads the facts a line is made of, by `_id`, with small caches for one fold. */
export class LineReader {
  private readonly customers = new Map<string, CustomerFacts | null>();

  constructor(private readonly models: Models) {}

  async customer(customerId: string | null | undefined): Promise<CustomerFacts | null> {
    if (!customerId) return null;
    if (this.customers.has(customerId)) return this.customers.get(customerId)!;
    const customer = await this.models.Customer.findById(customerId, {
      boundAt: 1,
      bid: 1,
      method: 1,
      couponCode: 1,
      clickId: 1,
    }).lean();
    let facts: CustomerFacts | null = null;
    if (customer) {
      const click = customer.clickId
        ? await this.models.Click.findById(customer.clickId, { occurredAt: 1 }).lean()
        : null;
      facts = { ...customer, clickedAt: click?.occurredAt ?? null };
    }
    if (this.customers.size > 10_000) this.customers.clear();
    this.customers.set(customerId, facts);
    return facts;
  }

  private async base(entry: EntryDoc): Promise<LineBase> {
    const invoice =
      entry.kind === 'commission' && (entry.base === undefined || entry.base === null)
        ? await this.models.RevenueEvent.findById(entry.eventId, { commissionable: 1, ratePpm: 1 }).lean()
        : null;
    return lineBaseOf(entry, invoice, await this.customer(entry.customerId));
  }

  /** The op that sets the entry's line (with its claim as it is now); null when the entry is not stored. */
  async opOf(entryId: string): Promise<LineOp | null> {
    const { LedgerEntry, PayoutClaim } = this.models;
    const entry = (await LedgerEntry.findById(entryId).lean()) as EntryDoc | null;
    if (!entry) return null;
    const claim = await PayoutClaim.findById(entryId, { payoutId: 1 }).lean();
    const claimOp = { entryId, payoutId: claim?.payoutId ?? null };
    if (entry.kind !== 'reversal') return { partnerId: entry.partnerId, line: await this.base(entry), claim: claimOp };
    const commission = entry.reverses ? ((await LedgerEntry.findById(entry.reverses).lean()) as EntryDoc | null) : null;
    if (!commission) return null;
    return {
      partnerId: entry.partnerId,
      line: await this.base(commission),
      reversal: { id: entry._id, amount: entry.amount, availableAt: entry.availableAt },
      claim: claimOp,
    };
  }
}

/** The stored lines of a month's chunk (the head's own when it keeps them inline). */
async function chunkLines(models: Models, head: StatementMonth, chunkId: string): Promise<StoredLine[]> {
  if (chunkId === head._id) return head.lines ?? [];
  const chunk = await models.StatementMonth.findById(chunkId, { lines: 1 }).lean();
  // Chunks are written before the head that names them and deleted only once no head does.
  if (!chunk) throw new Error(`statement chunk ${chunkId} named by ${head._id} is missing`);
  return (chunk.lines ?? []) as StoredLine[];
}

/** The lines of the chunks of one month a group of ops touches, by chunk. */
async function touchedLines(
  models: Models,
  id: string,
  head: StatementMonth | null,
  ops: readonly LineOp[],
): Promise<Map<string, StoredLine[]>> {
  const lines = new Map<string, StoredLine[]>();
  if (!head) return lines;
  for (const ref of chunksTouched(id, head, ops)) lines.set(ref.id, await chunkLines(models, head, ref.id));
  return lines;
}

/** Plans a batch from the statement chunks its ops touch, as the last batch left them. */
export async function planMoney(models: Models, ops: MoneyOps): Promise<MoneyBatch> {
  const stored = new Map<string, { lines: StoredLine[] }>();
  for (const group of groupByStatement(ops.lines).values()) {
    const head = (await models.StatementMonth.findById(group.id).lean()) as StatementMonth | null;
    if (!head) continue;
    const lines = await touchedLines(models, group.id, head, group.ops);
    stored.set(group.id, { lines: [...lines.values()].flat() });
  }
  return planMoneyBatch(ops, (id) => stored.get(id) ?? null);
}

async function deleteChunks(models: Models, partnerId: string, ids: readonly string[]): Promise<void> {
  for (const id of ids) await models.StatementMonth.deleteOne(keyFilter(models.StatementMonth, id, partnerId));
}

/** Writes a planned batch; documents whose `seq` shows it applied are skipped (a batch finished after a crash). */
export async function finishMoney(
  models: Models,
  money: MoneyBatch,
  batch: { seq: number; at: Date },
  each: () => Promise<void>,
  /** Test seam: runs after each document written (throw to crash mid-batch). */
  afterWrite?: (id: string) => Promise<void>,
): Promise<void> {
  const { StatementMonth, MoneyTotal, ReleaseDay, CustomerBook } = models;
  const { seq, at } = batch;
  for (const group of money.statements) {
    await each();
    const stored = (await StatementMonth.findById(group.id).lean()) as StatementMonth | null;
    if ((stored?.seq ?? 0) >= seq) {
      // Written by this batch before a crash: the chunks it replaced may still be there.
      if (stored?.seq === seq) await deleteChunks(models, group.partnerId, stored.retired ?? []);
      continue;
    }
    const lines = await touchedLines(models, group.id, stored, group.ops);
    const folded = foldStatement(group, stored, (id) => lines.get(id) ?? [], seq);
    // Copy-on-write: new chunks, then the head that names them, then the chunks no head names.
    for (const { _id, ...chunk } of folded.write) {
      await StatementMonth.collection.replaceOne(keyFilter(StatementMonth, _id, group.partnerId) as never, chunk, {
        upsert: true,
      });
      await afterWrite?.(_id);
    }
    const { _id, ...head } = folded.head;
    await StatementMonth.collection.replaceOne(keyFilter(StatementMonth, _id, group.partnerId) as never, head, {
      upsert: true,
    });
    await afterWrite?.(_id);
    await deleteChunks(models, group.partnerId, folded.retired);
  }
  for (const { partnerId, change } of money.totals) {
    await each();
    const stored = (await MoneyTotal.findById(partnerId).lean()) as MoneyTotals | null;
    if ((stored?.seq ?? 0) >= seq) continue;
    const { totals, releaseDays } = applyTotals(stored, partnerId, change, at, seq);
    // Release days first: totals at this seq mean its days are written too.
    for (const [day, changes] of releaseDays) {
      const id = releaseDayId(partnerId, day);
      const storedDay = (await ReleaseDay.findById(id).lean()) as { seq: number; at: Record<string, number> } | null;
      if ((storedDay?.seq ?? 0) >= seq) continue;
      await ReleaseDay.collection.replaceOne(
        keyFilter(ReleaseDay, id, partnerId) as never,
        { partnerId, day, seq, at: applyReleaseDay(storedDay?.at, changes) },
        { upsert: true },
      );
      await afterWrite?.(id);
    }
    const { _id, ...rest } = totals;
    await MoneyTotal.collection.replaceOne(keyFilter(MoneyTotal, _id, partnerId) as never, rest, { upsert: true });
    await afterWrite?.(_id);
  }
  for (const group of money.books) {
    await each();
    const stored = (await CustomerBook.findById(group.id).lean()) as BookMonth | null;
    if ((stored?.seq ?? 0) >= seq) continue;
    const customers: BookCustomer[] = applyBookOps(stored?.customers ?? [], group.ops);
    await CustomerBook.collection.replaceOne(
      keyFilter(CustomerBook, group.id, group.partnerId) as never,
      { partnerId: group.partnerId, month: group.month, seq, customers },
      { upsert: true },
    );
    await afterWrite?.(group.id);
  }
}
