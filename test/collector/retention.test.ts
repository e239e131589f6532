import type { Collector } from '../../collector/app';
import { appliedDeltaKeepMs } from '../../collector/domain/retention';
import {
  purgeAppliedDeltas,
  purgeDeliveryLogs,
  purgeOldClicks,
  purgeReleaseDays,
  purgeWebhookStrikes,
} from '../../collector/services/retention';
import { purgeVisitorHistories } from '../../collector/services/visitor-history';
import { testCollector, testConfig } from '../support/collector';
import { cliRunner } from './cli/run-cli';
import { useTestDatabase } from '../support/db';

const db = useTestDatabase(__filename);
let collector: Collector;

beforeAll(async () => {
  collector = await testCollector(db.connection(), { ASHOP_CLICK_RETENTION_DAYS: '400' });
});
afterAll(() => collector.close());

const now = new Date('2026-11-24T12:00:00Z');
const ageMs = (ms: number) => new Date(now.getTime() - ms);
const day = 86_400_000;
const click = (id: string, occurredAt: Date) => ({ _id: id, partnerId: 'p1', counted: true, occurredAt });

it('deletes raw clicks older than the retention period and keeps the rest', async () => {
  const { Click } = collector.context.models;
  await Click.insertMany([click('old', ageMs(401 * day)), click('recent', ageMs(399 * day)), click('new', ageMs(day))]);

  expect(await purgeOldClicks(collector.context, now)).toBe(1);
  const left = await Click.find({ _id: { $in: ['old', 'recent', 'new'] } }, { _id: 1 })
    .sort({ _id: 1 })
    .lean();
  expect(left.map((c) => c._id)).toEqual(['new', 'recent']);
  expect(await purgeOldClicks(collector.context, now)).toBe(0);
});

it('keeps a click exactly 400 days old and one a millisecond younger; deletes one a millisecond older', async () => {
  const { Click } = collector.context.models;
  await Click.insertMany([
    click('at-400-days', ageMs(400 * day)),
    click('just-younger', ageMs(400 * day - 1)),
    click('just-older', ageMs(400 * day + 1)),
  ]);

  expect(await purgeOldClicks(collector.context, now)).toBe(1);
  const left = await Click.find({ _id: { $in: ['at-400-days', 'just-younger', 'just-older'] } }, { _id: 1 })
    .sort({ _id: 1 })
    .lean();
  expect(left.map((c) => c._id)).toEqual(['at-400-days', 'just-younger']);
});

it("deletes a visitor's history as a whole once its last click is past the window, never a part of it", async () => {
  const { VisitorClick } = collector.context.models;
  const now = new Date('2026-11-24T12:00:00Z');
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const entry = (vid: string, n: number, occurredAt: Date) => ({
    _id: `${vid}:${n}`,
    cid: `${vid}-${n}`,
    partnerId: 'p1',
    occurredAt,
  });
  const gone = '00000000-0000-4000-8000-000000000001';
  const kept = '00000000-0000-4000-8000-000000000002';
  // Window 60 days (+1): `gone` clicked 70 and 62 days ago; `kept` 90 days ago and yesterday.
  await VisitorClick.insertMany([
    entry(gone, 0, daysAgo(70)),
    entry(gone, 1, daysAgo(62)),
    entry(kept, 0, daysAgo(90)),
    entry(kept, 1, daysAgo(1)),
  ]);
  expect(await purgeVisitorHistories(collector.context, now)).toBe(2);
  const left = await VisitorClick.find({}, { _id: 1 }).sort({ _id: 1 }).lean();
  expect(left.map((doc) => doc._id)).toEqual([`${kept}:0`, `${kept}:1`]);
});

describe('applied stats deltas, sent mail and the delivery log', () => {
  // ASHOP_STATS_GRACE_MS is 30 s here: applied deltas are kept a day; logs 30 days (the defaults).
  const keepApplied = day;
  const keepLogs = 30 * day;

  it('keeps applied deltas a day (exactly a day old too), deletes older ones, and stamps those without a time', async () => {
    const { StatApplied } = collector.context.models;
    await StatApplied.insertMany([
      { _id: 'invoice:at-cutoff', seq: 1, at: ageMs(keepApplied) },
      { _id: 'invoice:just-older', seq: 1, at: ageMs(keepApplied + 1) },
      { _id: 'invoice:recent', seq: 2, at: ageMs(60_000) },
      { _id: 'invoice:no-time', seq: 1 },
    ]);
    expect(await purgeAppliedDeltas(collector.context, now)).toBe(1);
    const left = await StatApplied.find({}).sort({ _id: 1 }).lean();
    expect(left.map((doc) => doc._id)).toEqual(['invoice:at-cutoff', 'invoice:no-time', 'invoice:recent']);
    // The one without a time counts from the pass that first saw it.
    expect(left.find((doc) => doc._id === 'invoice:no-time')!.at).toEqual(now);
    const dayLater = new Date(now.getTime() + keepApplied + 1);
    expect(await purgeAppliedDeltas(collector.context, dayLater)).toBe(3);
  });

  it('ties the applied-delta memory to ASHOP_STATS_GRACE_MS when ten grace times exceed a day', () => {
    expect(appliedDeltaKeepMs(30_000)).toBe(day);
    expect(appliedDeltaKeepMs(3 * 3_600_000)).toBe(30 * 3_600_000);
  });

  it('deletes sent mail and finished deliveries older than 30 days with their leases; keeps pending ones at any age', async () => {
    const { MailJob, MailLease, WebhookDelivery, WebhookLease } = collector.context.models;
    const job = (id: string, status: string, createdAt: Date) => ({
      _id: id,
      to: 'p@partners.example',
      subject: 's',
      text: 't',
      status,
      attempts: 1,
      dueAt: createdAt,
      createdAt,
    });
    await MailJob.insertMany([
      job('sent-old', 'sent', ageMs(keepLogs + 1)),
      job('failed-old', 'failed', ageMs(keepLogs + 1)),
      job('sent-at-cutoff', 'sent', ageMs(keepLogs)),
      job('pending-old', 'pending', ageMs(90 * day)),
    ]);
    const lease = (id: string, takenAt: Date) => ({ _id: id, owner: 'o', takenAt });
    await MailLease.insertMany([
      { ...lease('sent-old:1', ageMs(keepLogs + 1)), jobId: 'sent-old' },
      { ...lease('sent-at-cutoff:1', ageMs(keepLogs)), jobId: 'sent-at-cutoff' },
    ]);
    const delivery = (id: string, status: string, createdAt: Date) => ({
      _id: id,
      eventId: 'ev',
      endpointId: 'we',
      type: 'payout.created',
      body: '{}',
      status,
      eventAt: createdAt,
      createdAt,
    });
    await WebhookDelivery.insertMany([
      delivery('ev:delivered-old', 'delivered', ageMs(keepLogs + 1)),
      delivery('ev:failed-old', 'failed', ageMs(keepLogs + 1)),
      delivery('ev:delivered-at-cutoff', 'delivered', ageMs(keepLogs)),
      delivery('ev:pending-old', 'pending', ageMs(keepLogs + day)),
    ]);
    await WebhookLease.insertMany([
      { ...lease('ev:delivered-old:1', ageMs(keepLogs + 1)), deliveryId: 'ev:delivered-old' },
      { ...lease('ev:pending-old:2', ageMs(60_000)), deliveryId: 'ev:pending-old' },
    ]);

    expect(await purgeDeliveryLogs(collector.context, now)).toEqual({
      mailJobs: 2,
      mailLeases: 1,
      webhookDeliveries: 2,
      webhookLeases: 1,
    });
    const ids = async (model: { find(filter: object): { lean(): Promise<Array<{ _id: string }>> } }) =>
      (await model.find({}).lean()).map((doc) => doc._id).sort();
    expect(await ids(MailJob)).toEqual(['pending-old', 'sent-at-cutoff']);
    expect(await ids(MailLease)).toEqual(['sent-at-cutoff:1']);
    expect(await ids(WebhookDelivery)).toEqual(['ev:delivered-at-cutoff', 'ev:pending-old']);
    expect(await ids(WebhookLease)).toEqual(['ev:pending-old:2']);
  });

  it('deletes old strikes of ended failure streaks and of deleted endpoints; keeps the current streak at any age', async () => {
    const { WebhookEndpoint, WebhookStrike } = collector.context.models;
    const endpoint = (id: string, streak?: string) => ({
      _id: id,
      url: 'https://hooks.example/a',
      events: ['payout.created'],
      secret: 'whsec_x',
      status: 'enabled',
      consecutiveFailures: 2,
      ...(streak ? { streak } : {}),
      createdAt: ageMs(90 * day),
      updatedAt: ageMs(90 * day),
    });
    // we_b was made before streaks existed: its current streak is "0".
    await WebhookEndpoint.insertMany([endpoint('we_a', 'cur'), endpoint('we_b')]);
    const strike = (id: string, at: Date) => ({ _id: id, endpointId: id.split(':')[0], deliveryId: 'd', at });
    await WebhookStrike.insertMany([
      strike('we_a:cur:1', ageMs(90 * day)),
      strike('we_a:cur:2', ageMs(keepLogs + 1)),
      strike('we_a:old:1', ageMs(keepLogs + 1)),
      strike('we_a:old:2', ageMs(keepLogs)),
      // A streak whose ID begins like the current one's is another streak.
      strike('we_a:cur0:1', ageMs(keepLogs + 1)),
      strike('we_b:0:1', ageMs(90 * day)),
      strike('we_b:prev:1', ageMs(90 * day)),
      strike('we_gone:s:1', ageMs(keepLogs + 1)),
      strike('we_gone:s:2', ageMs(day)),
    ]);

    expect(await purgeWebhookStrikes(collector.context, now)).toBe(4);
    const left = (await WebhookStrike.find({}, { _id: 1 }).lean()).map((doc) => doc._id).sort();
    expect(left).toEqual(['we_a:cur:1', 'we_a:cur:2', 'we_a:old:2', 'we_b:0:1', 'we_gone:s:2']);
    expect(await purgeWebhookStrikes(collector.context, now)).toBe(0);
    await WebhookStrike.deleteMany({});
    await WebhookEndpoint.deleteMany({});
  });

  it('deletes release days before the day before yesterday (UTC): no balance reads them', async () => {
    const { ReleaseDay } = collector.context.models;
    const releaseDay = (day: string) => ({ _id: `p1|${day}`, partnerId: 'p1', day, seq: 1, at: { '1': 100 } });
    // `now` is 2026-11-24 12:00 UTC.
    await ReleaseDay.insertMany(
      ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-12-24'].map(releaseDay),
    );
    expect(await purgeReleaseDays(collector.context, now)).toBe(2);
    expect((await ReleaseDay.find({}).lean()).map((doc) => doc.day).sort()).toEqual([
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
      '2026-12-24',
    ]);
    await ReleaseDay.deleteMany({});
  });

  it('`retention run` runs every purge and says what it deleted', async () => {
    const cli = cliRunner(testConfig, db.connection);
    const { StatApplied } = collector.context.models;
    await StatApplied.create({ _id: 'signup:long-ago', seq: 1, at: new Date(Date.now() - 2 * day) });
    const first = await cli('retention', 'run');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^Deleted .*\b1 appliedDeltas\b/);
    expect((await cli('retention', 'run')).out).toBe('Nothing to delete.');
  });
});
