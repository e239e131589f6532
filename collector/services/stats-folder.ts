// Counters that equal the facts (README "Read models"). Nothing is counted in process memory:
//
// 1. Before a fact is stored, its delta is inserted under a key derived from the fact
//    (`invoice:<eventId>`, ...; one `clicks:<batch>` per group-committed click batch). A replay or a
//    retry after a network error inserts the same key again: a duplicate, nothing new.
// 2. One folder at a time (the holder of a lease taken by a unique insert, see models/stat-lease.ts)
//    reads pending deltas, reads each one's fact by `_id` and turns it into increments. A delta
//    whose fact is not stored after `graceMs` is dropped (its request failed before storing it).
// 3. The increments are written as batch `batch:<seq>` BEFORE any bucket changes; then each bucket
//    is read, skipped if its `seq` shows the batch applied, else rewritten with the sums and `seq`.
//    The deltas are remembered in stat_applied and deleted. A crash anywhere in between leaves the
//    batch open, and the next fold finishes it: every bucket gets it exactly once.
//
// The counters partners read lag the facts by at most one fold interval (ASHOP_STATS_FOLD_MS, 1 s)
// while the folder keeps up; `flush()` folds everything stored so far (tests, the CLI).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  clickContribution,
  daysOf,
  foldIntoBucket,
  foldIntoProgram,
  groupContributions,
  invoiceContribution,
  landingPage,
  refundContribution,
  signupContribution,
  type Bucket,
  type BucketIncrements,
  type ClickDimensions,
  type ClickEntry,
  type Contribution,
  type DayCounters,
  type ProgramBucket,
  programPartnerId,
} from '../domain/stat-layout';
import type { Logger } from '../logger';
import type { Models } from '../models';
import type { StatDeltaKind } from '../models/stat-delta';
import { keyFilter } from '../db/key-filter';
import { isDuplicateKey, insertNew } from './duplicates';
import { invoiceBookOp, signupBookOp, type MoneyBatch, type MoneyOps } from '../domain/statement';
import { LineReader, finishMoney, planMoney } from './money-fold';
import type { TreeLimits } from '../domain/month-chunks';
import { migrateMoneyReadModels, reshapeLargeMonths } from './money-rebuild';
import { copyDaysOfBuckets, migrateDailyStats } from './stats-migration';
import { foldLanes, inLanes } from './lanes';

export interface StatsFolderOptions {
  /** How often the background fold runs (ms). */
  foldMs: number;
  /** How long after its delta a fact may still be stored (longer than any write may take). */
  graceMs: number;
  leaseMs?: number;
  /** Test seam: runs after each bucket (or money read model document) a batch writes (throw to crash mid-fold). */
  afterBucketWrite?: (bucketId: string) => Promise<void>;
  /** Test seam: smaller month chunks than `monthLimits`, so a few lines make a deep tree. */
  monthLimits?: TreeLimits;
}

interface Lease {
  n: number;
  expiresAt: number;
}

interface PendingDelta {
  _id: string;
  kind: StatDeltaKind;
  ref: string;
  createdAt: Date;
  clicks?: ClickEntry[];
  stored?: number[];
  contribution?: Contribution;
  expect?: string | null;
  fact?: 'ledger' | 'customer' | 'invoice';
}

interface FoldBatch {
  _id: string;
  seq: number;
  deltas: string[];
  buckets: Array<{ id: string; partnerId: string; month: string; inc: BucketIncrements }>;
  programs: Array<{ id: string; month: string; partners: Record<string, DayCounters> }>;
  /** Absent in batches written before the money read models existed. */
  money?: MoneyBatch;
  createdAt: Date;
  done: boolean;
}

type Outcome =
  | {
      state: 'ready';
      contributions: Contribution[];
      money?: Partial<MoneyOps>;
      /** An invoice's contribution, once the batch (in delta order) has decided whether it is the customer's first. */
      invoice?: { customerId: string; eventId: string; contribution: (first: boolean) => Contribution };
    }
  | { state: 'wait' }
  | { state: 'drop' };

const batchKey = (seq: number) => `batch:${seq}`;
const leaseKey = (n: number) => `lease:${String(n).padStart(12, '0')}`;
const maxDeltasPerBatch = 2000;
const maxContributionsPerBatch = 20_000;

export class StatsFolder {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private lease: Lease | undefined;
  private renewal: Promise<boolean> | undefined;
  /** Whether this folder has seen to the one-time layout moves (days of buckets, large months split). */
  private layoutChecked = false;
  private running: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private readonly leaseMs: number;

  constructor(
    private readonly models: Models,
    private readonly logger: Logger,
    private readonly options: StatsFolderOptions,
  ) {
    this.leaseMs = options.leaseMs ?? 30_000;
  }

  /** Awaited BEFORE a signup, invoice or refund is stored; a second call for the same fact adds nothing. */
  async record(kind: 'signup' | 'invoice' | 'refund', factId: string): Promise<void> {
    await insertNew(this.models.StatDelta.collection, [
      { _id: `${kind}:${factId}`, kind, ref: factId, createdAt: new Date() },
    ]);
  }

  /** Awaited before a click batch is inserted: the clicks that count if they get stored. */
  async recordClicks(batch: string, clicks: ClickEntry[]): Promise<void> {
    if (clicks.length === 0) return;
    await this.models.StatDelta.collection.insertOne({
      _id: `clicks:${batch}` as never,
      kind: 'clicks',
      ref: batch,
      createdAt: new Date(),
      clicks,
    });
  }

  /**
   * After the insert: which of them (positions in `recorded`) it stored; a cid sent twice in one
   * batch is stored once. Spares the folder a read per click; if this write is lost, the folder
   * reads the clicks themselves once the grace time is over.
   */
  async clicksStored(batch: string, recorded: readonly ClickEntry[], positions: number[]): Promise<void> {
    if (recorded.length === 0) return;
    try {
      await this.models.StatDelta.updateOne({ _id: `clicks:${batch}` }, { $set: { stored: positions } });
    } catch (error) {
      this.logger.warn({ err: error, batch }, 'click batch outcome not recorded; the folder will check the clicks');
    }
  }

  /** Runs the one-time migration, then folds every `foldMs` in the background. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.running = migrateDailyStats(this.models, this.logger, this.owner)
      .catch((error: unknown) =>
        this.logger.error({ err: error }, 'daily_stats migration failed; it is retried at the next start'),
      )
      .then(() => migrateMoneyReadModels(this.models, this.logger, this.owner))
      .catch((error: unknown) =>
        this.logger.error({ err: error }, 'money read models migration failed; it is retried at the next start'),
      );
    this.schedule();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.foldAvailable()
        .catch((error: unknown) => this.logger.error({ err: error }, 'stats fold failed; retrying'))
        .finally(() => {
          if (this.started) this.schedule();
        });
    }, this.options.foldMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    await this.running.catch(() => {});
  }

  /** Folds everything stored so far; waits for another process's lease if it holds one. */
  async flush(): Promise<void> {
    const deadline = Date.now() + this.leaseMs * 2;
    for (;;) {
      const folded = await this.foldAvailable();
      if (folded !== 'not-holder') return;
      if (Date.now() > deadline) throw new Error('another collector holds the stats fold lease');
      await new Promise((done) => setTimeout(done, 50));
    }
  }

  /** Fold passes until nothing is left that can be folded now. */
  foldAvailable(): Promise<number | 'not-holder'> {
    const run = this.running.then(async () => {
      let total = 0;
      try {
        for (;;) {
          const folded = await this.pass();
          if (folded === 'not-holder') return total > 0 ? total : folded;
          if (folded === 0) return total;
          total += folded;
        }
      } finally {
        await this.release();
      }
    });
    this.running = run.catch(() => {});
    return run;
  }

  /** Runs `work` while holding the lease (finishing an open batch first): the stats rebuild. */
  async withLease<T>(work: (keep: () => Promise<void>) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.leaseMs * 2;
    const run = this.running.then(async () => {
      while (!(await this.acquire())) {
        if (Date.now() > deadline) throw new Error('another collector holds the stats fold lease');
        await new Promise((done) => setTimeout(done, 100));
      }
      try {
        await this.finishOpenBatch();
        return await work(async () => {
          if (!(await this.acquire())) throw new Error('the stats fold lease was lost');
        });
      } finally {
        await this.release();
      }
    });
    this.running = run.catch(() => {});
    return run;
  }

  /** The current batch number (the head, or a batch a crash left beyond it). */
  async currentSeq(): Promise<number> {
    const { StatFold } = this.models;
    const head = await StatFold.findById('head', { seq: 1 }).lean();
    let seq = head?.seq ?? 0;
    while (await StatFold.findById(batchKey(seq + 1), { _id: 1 }).lean()) seq += 1;
    if (seq !== (head?.seq ?? 0)) await StatFold.updateOne({ _id: 'head' }, { $set: { seq } }, { upsert: true });
    return seq;
  }

  /** One fold batch; the number of deltas it consumed, or 'not-holder'. */
  private async pass(): Promise<number | 'not-holder'> {
    if (!(await this.acquire())) return 'not-holder';
    // Before an open batch is finished: the days it writes continue from the copies.
    if (!this.layoutChecked) await copyDaysOfBuckets(this.models, this.logger, () => this.ensureLease());
    const seq = await this.finishOpenBatch();
    if (!this.layoutChecked) {
      await reshapeLargeMonths(this.models, this.logger, () => this.ensureLease(), this.options.monthLimits);
      this.layoutChecked = true;
    }
    const pending = (await this.models.StatDelta.find({}).limit(maxDeltasPerBatch).lean()) as PendingDelta[];
    pending.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const chosen: string[] = [];
    const contributions: Contribution[] = [];
    const money: MoneyOps = { lines: [], books: [] };
    let dropped = 0;
    const dims = new DimensionReader(this.models);
    const lines = new LineReader(this.models);
    // The facts are read a few deltas at once (reads only); the batch takes them in delta order.
    const outcomes = await inLanes(pending, foldLanes, async (delta): Promise<Outcome | 'applied'> =>
      (await this.models.StatApplied.findById(delta._id, { _id: 1 }).lean())
        ? 'applied'
        : this.outcomeOf(delta, dims, lines),
    );
    for (const [i, delta] of pending.entries()) {
      if (contributions.length >= maxContributionsPerBatch) break;
      const outcome = outcomes[i]!;
      if (outcome === 'applied') {
        await this.models.StatDelta.deleteOne({ _id: delta._id });
        dropped += 1;
        continue;
      }
      if (outcome.state === 'wait') continue;
      if (outcome.state === 'drop') {
        this.logger.warn({ delta: delta._id }, 'stats delta dropped: its fact was never stored');
        await this.models.StatDelta.deleteOne({ _id: delta._id });
        dropped += 1;
        continue;
      }
      chosen.push(delta._id);
      contributions.push(...outcome.contributions);
      // The customer's first invoice is claimed here, in delta order, never by the lanes above.
      if (outcome.invoice) {
        const { customerId, eventId, contribution } = outcome.invoice;
        contributions.push(contribution(await firstInvoiceOf(this.models, customerId, eventId)));
      }
      money.lines.push(...(outcome.money?.lines ?? []));
      money.books.push(...(outcome.money?.books ?? []));
    }
    if (chosen.length === 0) return dropped;
    const { buckets, programs } = groupContributions(contributions);
    const batch: FoldBatch = {
      _id: batchKey(seq + 1),
      seq: seq + 1,
      deltas: chosen,
      buckets: [...buckets].map(([id, bucket]) => ({ id, ...bucket })),
      programs: [...programs].map(([id, program]) => ({ id, ...program })),
      money: await planMoney(this.models, money),
      createdAt: new Date(),
      done: false,
    };
    try {
      await this.models.StatFold.collection.insertOne({ ...batch, owner: this.owner } as never);
    } catch (error) {
      if (isDuplicateKey(error)) return 'not-holder';
      throw error;
    }
    await this.models.StatFold.updateOne({ _id: 'head' }, { $set: { seq: batch.seq } }, { upsert: true });
    await this.finish(batch);
    return chosen.length + dropped;
  }

  /** Finishes the last batch if a crash (or a lost lease) left it open; returns the current seq. */
  private async finishOpenBatch(): Promise<number> {
    const seq = await this.currentSeq();
    if (seq === 0) return seq;
    const last = (await this.models.StatFold.findById(batchKey(seq)).lean()) as FoldBatch | null;
    if (last && !last.done) {
      this.logger.info({ seq }, 'finishing a stats fold batch left open');
      await this.finish(last);
    }
    return seq;
  }

  private async finish(batch: FoldBatch): Promise<void> {
    const { StatBucket, StatDay, StatApplied, StatDelta, StatFold } = this.models;
    // Every document of a batch is its own (one bucket, one partner's money), so they are written
    // a few at once; each is skipped when its `seq` shows the batch applied.
    await inLanes(batch.buckets, foldLanes, async (bucket) => {
      await this.ensureLease();
      const stored = (await StatBucket.findOne(
        keyFilter(StatBucket, bucket.id, bucket.partnerId),
      ).lean()) as Bucket | null;
      if ((stored?.seq ?? 0) >= batch.seq) return;
      const next = foldIntoBucket(stored, bucket.id, bucket.partnerId, bucket.month, bucket.inc, batch.seq);
      // Its days alone first, from the same state: a bucket at this seq means they are written too.
      const { _id: dayId, ...days } = daysOf(next);
      await StatDay.collection.replaceOne(keyFilter(StatDay, dayId, bucket.partnerId) as never, days, { upsert: true });
      await StatBucket.collection.replaceOne(keyFilter(StatBucket, bucket.id, bucket.partnerId) as never, next, {
        upsert: true,
      });
      await this.options.afterBucketWrite?.(bucket.id);
    });
    await inLanes(batch.programs, foldLanes, async (program) => {
      await this.ensureLease();
      const stored = (await StatBucket.findOne(
        keyFilter(StatBucket, program.id, programPartnerId),
      ).lean()) as ProgramBucket | null;
      if ((stored?.seq ?? 0) >= batch.seq) return;
      const next = foldIntoProgram(stored, program.id, program.month, program.partners, batch.seq);
      await StatBucket.collection.replaceOne(keyFilter(StatBucket, program.id, next.partnerId) as never, next, {
        upsert: true,
      });
      await this.options.afterBucketWrite?.(program.id);
    });
    if (batch.money) {
      await finishMoney(this.models, batch.money, { seq: batch.seq, at: batch.createdAt }, () => this.ensureLease(), {
        afterWrite: this.options.afterBucketWrite,
        limits: this.options.monthLimits,
      });
    }
    await insertNew(
      StatApplied.collection,
      batch.deltas.map((id) => ({ _id: id, seq: batch.seq, at: new Date() })),
    );
    await inLanes(batch.deltas, foldLanes, (id) => StatDelta.deleteOne({ _id: id }));
    await StatFold.updateOne({ _id: batch._id }, { $set: { done: true } });
    // The journal keeps the last few batches (a crash needs only the last one).
    if (batch.seq > 10) await StatFold.deleteOne({ _id: batchKey(batch.seq - 10) });
  }

  /** Takes or renews the lease: true while this folder holds it with time to spare. */
  private async acquire(): Promise<boolean> {
    const now = Date.now();
    if (this.lease && this.lease.expiresAt - now > this.leaseMs / 2) return true;
    const { StatLease } = this.models;
    // The lease collection holds a few documents (older ones are pruned), so this scan is small.
    const [latest] = await StatLease.find({}).sort({ n: -1 }).limit(1).lean();
    if (latest && latest.owner !== this.owner && latest.expiresAt.getTime() > now) {
      this.lease = undefined;
      return false;
    }
    if (latest && this.lease && latest.n !== this.lease.n) this.lease = undefined;
    const n = (latest?.n ?? 0) + 1;
    const expiresAt = now + this.leaseMs;
    try {
      await StatLease.create({ _id: leaseKey(n), n, owner: this.owner, expiresAt: new Date(expiresAt) });
    } catch (error) {
      if (isDuplicateKey(error)) {
        this.lease = undefined;
        return false;
      }
      throw error;
    }
    this.lease = { n, expiresAt };
    if (n > 10) await StatLease.deleteOne({ _id: leaseKey(n - 10) });
    return true;
  }

  /** Hands the lease on at once (an expired lease of ours), so an idle holder never blocks others. */
  private async release(): Promise<void> {
    const held = this.lease;
    if (!held) return;
    this.lease = undefined;
    await insertNew(this.models.StatLease.collection, [
      { _id: leaseKey(held.n + 1), n: held.n + 1, owner: this.owner, expiresAt: new Date(0) },
    ]);
  }

  /** Stops a holder that cannot renew before another process could take the lease over. */
  private async ensureLease(): Promise<void> {
    // Lanes of one batch share a renewal: two of ours inserting the next lease would lose to each other.
    this.renewal ??= this.acquire().finally(() => {
      this.renewal = undefined;
    });
    if (!(await this.renewal)) throw new Error('the stats fold lease was lost; another collector finishes the batch');
  }

  private async outcomeOf(delta: PendingDelta, dims: DimensionReader, lines: LineReader): Promise<Outcome> {
    const { Click, Customer, RevenueEvent } = this.models;
    const expired = Date.now() - delta.createdAt.getTime() > this.options.graceMs;
    const absent = (): Outcome => (expired ? { state: 'drop' } : { state: 'wait' });
    switch (delta.kind) {
      case 'ledger':
      case 'claim': {
        const op = await lines.opOf(delta.ref);
        if (!op) return absent();
        // A claim announced but not written yet (or a release not done yet): wait for it, then take what is.
        if (delta.kind === 'claim' && !expired && op.claim?.payoutId !== (delta.expect ?? null))
          return { state: 'wait' };
        return { state: 'ready', contributions: [], money: { lines: [op] } };
      }
      case 'money':
        return this.refoldOutcome(delta, lines);
      case 'migrated':
        return { state: 'ready', contributions: delta.contribution ? [delta.contribution] : [] };
      case 'clicks': {
        const clicks = delta.clicks ?? [];
        if (delta.stored) {
          return {
            state: 'ready',
            contributions: delta.stored.map((position) => clickContribution(clicks[position]!)),
          };
        }
        if (!expired) return { state: 'wait' };
        // The batch's outcome was never recorded (a crash, a lost write): its own clicks say.
        const mine: Contribution[] = [];
        const seen = new Set<string>();
        for (const click of clicks) {
          if (seen.has(click.cid)) continue;
          seen.add(click.cid);
          const stored = await Click.findById(click.cid, { batch: 1 }).lean();
          if (stored?.batch === delta.ref) mine.push(clickContribution(click));
        }
        return { state: 'ready', contributions: mine };
      }
      case 'signup': {
        const customer = await Customer.findById(delta.ref, {
          partnerId: 1,
          boundAt: 1,
          bid: 1,
          clickId: 1,
          couponCode: 1,
          method: 1,
        }).lean();
        if (!customer) return absent();
        const where = await dims.of(customer);
        return {
          state: 'ready',
          contributions: [signupContribution(customer.partnerId, customer.boundAt, where)],
          money: { books: [signupBookOp(customer)] },
        };
      }
      case 'invoice':
      case 'refund': {
        const event = await RevenueEvent.findById(delta.ref).lean();
        if (!event) return absent();
        if (!event.partnerId || !event.customerId) return { state: 'ready', contributions: [] };
        const customer = await Customer.findById(event.customerId, {
          partnerId: 1,
          bid: 1,
          clickId: 1,
          couponCode: 1,
          boundAt: 1,
          method: 1,
        }).lean();
        const where = customer ? await dims.of(customer) : {};
        if (event.kind === 'invoice') {
          const { commission } = event.result as { commission: number };
          const invoice = { ...event, partnerId: event.partnerId, customerId: event.customerId };
          return {
            state: 'ready',
            contributions: [],
            money: { books: customer ? [invoiceBookOp(invoice, customer)] : [] },
            invoice: {
              customerId: event.customerId,
              eventId: event._id,
              contribution: (first) => invoiceContribution({ ...invoice, commission }, where, first),
            },
          };
        }
        const { amount, commissionReversed } = event.result as { amount: number; commissionReversed: number };
        return {
          state: 'ready',
          contributions: [
            refundContribution(
              { partnerId: event.partnerId, occurredAt: event.occurredAt, amount, commissionReversed },
              where,
            ),
          ],
        };
      }
    }
  }

  /** A migration or rebuild refold: the money read models only (the counters have their own rebuild). */
  private async refoldOutcome(delta: PendingDelta, lines: LineReader): Promise<Outcome> {
    const { Customer, RevenueEvent } = this.models;
    if (delta.fact === 'ledger') {
      const op = await lines.opOf(delta.ref);
      return op ? { state: 'ready', contributions: [], money: { lines: [op] } } : { state: 'drop' };
    }
    if (delta.fact === 'customer') {
      const customer = await Customer.findById(delta.ref).lean();
      return customer
        ? { state: 'ready', contributions: [], money: { books: [signupBookOp(customer)] } }
        : { state: 'drop' };
    }
    const event = await RevenueEvent.findById(delta.ref).lean();
    if (!event?.partnerId || !event.customerId || event.kind !== 'invoice') return { state: 'drop' };
    const customer = await Customer.findById(event.customerId).lean();
    if (!customer) return { state: 'drop' };
    const invoice = { ...event, partnerId: event.partnerId, customerId: event.customerId };
    return { state: 'ready', contributions: [], money: { books: [invoiceBookOp(invoice, customer)] } };
  }
}

/**
 * A customer counts as paying on the day of the invoice that first claimed `paying:<customerId>`
 * (a unique insert remembering the invoice), so folding the same invoice again gives the same answer.
 * Keys written before the marker named its invoice count for nobody new.
 */
export async function firstInvoiceOf(models: Models, customerId: string, eventId: string): Promise<boolean> {
  const [inserted] = await insertNew(models.FirstSeen.collection, [{ _id: `paying:${customerId}`, event: eventId }]);
  if (inserted) return true;
  const marker = await models.FirstSeen.findById(`paying:${customerId}`, { event: 1 }).lean();
  return marker?.event === eventId;
}

/** Banner, sub-IDs and landing page of the click that brought a customer (cached per fold). */
export class DimensionReader {
  private readonly cache = new Map<string, ClickDimensions>();

  constructor(private readonly models: Models) {}

  async of(customer: {
    bid?: string | null;
    clickId?: string | null;
    couponCode?: string | null;
  }): Promise<ClickDimensions> {
    // A coupon customer came through a code, not a click.
    if (customer.couponCode || !customer.clickId) return { coupon: customer.couponCode };
    let dims = this.cache.get(customer.clickId);
    if (!dims) {
      const click = await this.models.Click.findById(customer.clickId, { data1: 1, data2: 1, url: 1 }).lean();
      dims = { data1: click?.data1, data2: click?.data2, page: landingPage(click?.url) };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(customer.clickId, dims);
    }
    return { banner: customer.bid, ...dims };
  }
}
