// `stats rebuild`: recomputes the counters of a period from the facts (clicks, customers, invoices,
// refunds) and replaces those days in the read models; other days are kept. Safe on a live system:
// it holds the fold lease (no fold runs meanwhile) and leaves out every fact whose delta is still
// pending, which the folder counts after it as usual. Running it twice gives the same counters.
// A batch job: it streams the facts of the period (a scan), holding per-bucket sums in memory.
import { eachDay, type DayRange } from '../domain/day-range';
import { utcDay } from '../domain/days';
import {
  clickContribution,
  dimensions,
  emptyIncrements,
  foldIntoBucket,
  foldIntoProgram,
  daysOf,
  groupContributions,
  invoiceContribution,
  landingPage,
  monthsOf,
  programPartnerId,
  refundContribution,
  replaceDays,
  signupContribution,
  type Bucket,
  type Contribution,
  type DayCounters,
  type ProgramBucket,
} from '../domain/stat-layout';
import { keyFilter } from '../db/key-filter';
import type { Models } from '../models';
import { DimensionReader, firstInvoiceOf, type StatsFolder } from './stats-folder';

export interface RebuildResult {
  months: number;
  facts: { clicks: number; signups: number; invoices: number; refunds: number; pending: number };
  buckets: number;
}

const chunkSize = 5000;

export async function rebuildStats(
  models: Models,
  folder: StatsFolder,
  range: DayRange,
  progress: (line: string) => void,
): Promise<RebuildResult> {
  return folder.withLease(async (keepLease) => {
    const start = new Date(`${range.from}T00:00:00.000Z`);
    const end = new Date(Date.parse(`${range.to}T00:00:00.000Z`) + 86_400_000);
    const period = { $gte: start, $lt: end };
    const facts: RebuildResult['facts'] = { clicks: 0, signups: 0, invoices: 0, refunds: 0, pending: 0 };
    const fresh = { buckets: new Map<string, Bucket>(), programs: new Map<string, ProgramBucket>() };
    let contributions: Contribution[] = [];
    const add = async (contribution: Contribution) => {
      contributions.push(contribution);
      if (contributions.length < chunkSize) return;
      foldFresh(fresh, contributions);
      contributions = [];
      await keepLease();
    };
    // Facts whose delta is still pending are the folder's to count, after this rebuild.
    const pendingCache = new Map<string, boolean>();
    const pending = async (deltaId: string) => {
      let known = pendingCache.get(deltaId);
      if (known === undefined) {
        known = (await models.StatDelta.findById(deltaId, { _id: 1 }).lean()) !== null;
        if (pendingCache.size > 100_000) pendingCache.clear();
        pendingCache.set(deltaId, known);
      }
      if (known) facts.pending += 1;
      return known;
    };
    const report = (what: string, count: number) =>
      progress(`stats rebuild ${range.from}..${range.to}: ${count.toLocaleString('en')} ${what} read`);

    for await (const click of models.Click.find({ occurredAt: period, counted: true }).lean().cursor()) {
      if (click.batch && (await pending(`clicks:${click.batch}`))) continue;
      facts.clicks += 1;
      if (facts.clicks % 50_000 === 0) report('clicks', facts.clicks);
      await add(
        clickContribution({
          cid: click._id,
          partnerId: click.partnerId,
          day: utcDay(click.occurredAt),
          bid: click.bid,
          data1: click.data1,
          data2: click.data2,
          page: landingPage(click.url),
          unique: click.unique,
        }),
      );
    }
    report('clicks', facts.clicks);

    const dims = new DimensionReader(models);
    for await (const customer of models.Customer.find({ boundAt: period }).lean().cursor()) {
      if (await pending(`signup:${customer._id}`)) continue;
      facts.signups += 1;
      await add(signupContribution(customer.partnerId, customer.boundAt, await dims.of(customer)));
    }
    report('customers', facts.signups);

    const firsts = new FirstInvoices(models);
    for await (const event of models.RevenueEvent.find({ occurredAt: period }).lean().cursor()) {
      if (!event.partnerId || !event.customerId) continue;
      const refund = event.kind !== 'invoice';
      if (await pending(`${refund ? 'refund' : 'invoice'}:${event._id}`)) continue;
      const customer = await models.Customer.findById(event.customerId, { bid: 1, clickId: 1, couponCode: 1 }).lean();
      const where = customer ? await dims.of(customer) : {};
      if (refund) {
        facts.refunds += 1;
        const { amount, commissionReversed } = event.result as { amount: number; commissionReversed: number };
        await add(refundContribution({ ...event, partnerId: event.partnerId, amount, commissionReversed }, where));
      } else {
        facts.invoices += 1;
        const { commission } = event.result as { commission: number };
        const first = await firsts.is(event.customerId, event._id);
        await add(invoiceContribution({ ...event, partnerId: event.partnerId, commission }, where, first));
      }
      if ((facts.invoices + facts.refunds) % 50_000 === 0) report('billing events', facts.invoices + facts.refunds);
    }
    report('billing events', facts.invoices + facts.refunds);
    foldFresh(fresh, contributions);

    const seq = await folder.currentSeq();
    let written = 0;
    const months = monthsOf(range);
    for (const month of months) {
      await keepLease();
      const daysOfMonth = new Set(
        eachDay(range)
          .filter((day) => day.startsWith(month))
          .map((day) => day.slice(8)),
      );
      const stored = (await models.StatBucket.find({ month }).lean()) as unknown as Array<Bucket | ProgramBucket>;
      const ids = new Set([
        ...stored.map((doc) => doc._id),
        ...[...fresh.buckets.values(), ...fresh.programs.values()].filter((d) => d.month === month).map((d) => d._id),
      ]);
      const storedById = new Map(stored.map((doc) => [doc._id, doc]));
      for (const id of ids) {
        const before = storedById.get(id);
        const next = id.startsWith(`${programPartnerId}|`)
          ? rebuiltProgram(before as ProgramBucket | undefined, fresh.programs.get(id), id, month, daysOfMonth, seq)
          : rebuiltBucket(before as Bucket | undefined, fresh.buckets.get(id), id, month, daysOfMonth, seq);
        if (!('partners' in next)) {
          const { _id: dayId, ...days } = daysOf(next);
          await models.StatDay.collection.replaceOne(keyFilter(models.StatDay, dayId, next.partnerId) as never, days, {
            upsert: true,
          });
        }
        await models.StatBucket.collection.replaceOne(keyFilter(models.StatBucket, id, next.partnerId) as never, next, {
          upsert: true,
        });
        written += 1;
      }
      progress(`stats rebuild: ${month} written (${ids.size} documents)`);
    }
    return { months: months.length, facts, buckets: written };
  });
}

function foldFresh(
  fresh: { buckets: Map<string, Bucket>; programs: Map<string, ProgramBucket> },
  contributions: Contribution[],
): void {
  const { buckets, programs } = groupContributions(contributions);
  for (const [id, bucket] of buckets)
    fresh.buckets.set(
      id,
      foldIntoBucket(fresh.buckets.get(id) ?? null, id, bucket.partnerId, bucket.month, bucket.inc, 0),
    );
  for (const [id, program] of programs)
    fresh.programs.set(id, foldIntoProgram(fresh.programs.get(id) ?? null, id, program.month, program.partners, 0));
}

function rebuiltBucket(
  stored: Bucket | undefined,
  fresh: Bucket | undefined,
  id: string,
  month: string,
  daysOfMonth: ReadonlySet<string>,
  seq: number,
): Bucket {
  const empty = emptyIncrements();
  const partnerId = stored?.partnerId ?? fresh!.partnerId;
  const days = replaceDays({ all: stored?.days ?? {} }, { all: fresh?.days ?? {} }, daysOfMonth).all ?? {};
  const dims = { ...empty.dims };
  for (const dimension of dimensions)
    dims[dimension] = replaceDays(stored?.dims[dimension] ?? {}, fresh?.dims[dimension] ?? {}, daysOfMonth);
  return { _id: id, partnerId, month, seq: stored?.seq ?? seq, days, dims };
}

function rebuiltProgram(
  stored: ProgramBucket | undefined,
  fresh: ProgramBucket | undefined,
  id: string,
  month: string,
  daysOfMonth: ReadonlySet<string>,
  seq: number,
): ProgramBucket {
  const partners: Record<string, DayCounters> = replaceDays(stored?.partners ?? {}, fresh?.partners ?? {}, daysOfMonth);
  return { _id: id, partnerId: programPartnerId, month, seq: stored?.seq ?? seq, partners };
}

/**
 * Which invoice made a customer paying: the one its `paying:` marker names. Markers written before
 * they named it are completed once from the customer's earliest invoice (one scan of invoices,
 * done only if such a marker is met).
 */
class FirstInvoices {
  private earliest: Map<string, { id: string; at: number }> | undefined;

  constructor(private readonly models: Models) {}

  async is(customerId: string, eventId: string): Promise<boolean> {
    const marker = await this.models.FirstSeen.findById(`paying:${customerId}`, { event: 1 }).lean();
    if (!marker) return firstInvoiceOf(this.models, customerId, eventId);
    if (marker.event) return marker.event === eventId;
    this.earliest ??= await this.scan();
    const first = this.earliest.get(customerId)?.id;
    if (!first) return false;
    await this.models.FirstSeen.updateOne({ _id: `paying:${customerId}` }, { $set: { event: first } });
    return first === eventId;
  }

  private async scan(): Promise<Map<string, { id: string; at: number }>> {
    const earliest = new Map<string, { id: string; at: number }>();
    const invoices = this.models.RevenueEvent.find({ kind: 'invoice' }, { customerId: 1, occurredAt: 1 }).lean();
    for await (const invoice of invoices.cursor()) {
      if (!invoice.customerId) continue;
      const at = invoice.occurredAt.getTime();
      const known = earliest.get(invoice.customerId);
      if (!known || at < known.at || (at === known.at && invoice._id < known.id))
        earliest.set(invoice.customerId, { id: invoice._id, at });
    }
    return earliest;
  }
}
