import request from 'supertest';
import type { Collector } from '../../collector/app';
import { signToken } from '../../collector/auth/tokens';
import { itemEntryIds } from '../../collector/services/payout-entries';
import { abandonedAfterMs } from '../../collector/services/payouts';
import { testAdminKey, testCollector } from '../support/collector';
import { useDatabasePerTest } from '../support/db';
import { addCommission, createTestPartner, day } from '../support/partners';

const db = useDatabasePerTest(__filename);
let collector: Collector;

beforeEach(async () => {
  collector = await testCollector(db.connection());
});

const admin = () => ({ Authorization: `Bearer ${testAdminKey}` });
const api = () => request(collector.app);

interface RunAnswer {
  payoutId: string;
  items: Array<{ partnerId: string; amount: number; payoutEmail: string }>;
  withheld: Array<{ partnerId: string; balance: number; reason: string }>;
}

/** A run (201), or 200 with payoutId null when it found nobody to pay. */
async function runPayout(asOf: Date): Promise<RunAnswer> {
  const res = await api().post('/v1/admin/payouts').set(admin()).send({ asOf: asOf.toISOString() });
  expect(res.status).toBe(res.body.payoutId ? 201 : 200);
  return res.body as RunAnswer;
}

const itemOf = (run: RunAnswer, partnerId: string) => run.items.find((item) => item.partnerId === partnerId);
const withheldOf = (run: RunAnswer, partnerId: string) => run.withheld.find((item) => item.partnerId === partnerId);
const setStatus = (partnerId: string, status: string, reason = 'review') =>
  api().post(`/v1/admin/partners/${partnerId}/status`).set(admin()).send({ status, reason }).expect(200);

/** Sum of the ledger entries a payout claimed, per partner. */
async function claimedSums(payoutId: string): Promise<Map<string, number>> {
  const { models } = collector.context;
  const claims = await models.PayoutClaim.find({ payoutId }).lean();
  const entries = await models.LedgerEntry.find({ _id: { $in: claims.map((claim) => claim._id) } }).lean();
  const sums = new Map<string, number>();
  for (const entry of entries) sums.set(entry.partnerId, (sums.get(entry.partnerId) ?? 0) + entry.amount);
  return sums;
}

// Long enough ago that every run below is dated in the past.
const t0 = new Date(Date.UTC(new Date().getUTCFullYear() - 3, 0, 1, 12));
const at = (days: number, base = t0) => new Date(base.getTime() + days * day);

describe('hold and minimum', () => {
  it('pays nothing at day 119 and pays at day 121', async () => {
    const partner = await createTestPartner(collector);
    await addCommission(collector, partner.partnerId, 25000, t0);
    const early = await runPayout(at(119));
    expect(itemOf(early, partner.partnerId)).toBeUndefined();
    expect(withheldOf(early, partner.partnerId)).toBeUndefined();
    const late = await runPayout(at(121));
    expect(itemOf(late, partner.partnerId)).toEqual({
      partnerId: partner.partnerId,
      amount: 25000,
      payoutEmail: `paypal-${partner.email}`,
    });
    // Claimed entries are paid once: the next run has nothing for them.
    expect(itemOf(await runPayout(at(150)), partner.partnerId)).toBeUndefined();
  });

  it('previews a run without locking anything', async () => {
    const partner = await createTestPartner(collector);
    const base = t0;
    await addCommission(collector, partner.partnerId, 15000, base);
    const payoutsBefore = await collector.context.models.Payout.countDocuments();
    const preview = await api()
      .post('/v1/admin/payouts')
      .set(admin())
      .send({ asOf: at(121, base).toISOString(), preview: true })
      .expect(200);
    expect(preview.body.payoutId).toBeNull();
    expect(itemOf(preview.body, partner.partnerId)?.amount).toBe(15000);
    expect(await collector.context.models.Payout.countDocuments()).toBe(payoutsBefore);
    expect(await collector.context.models.PayoutClaim.countDocuments({ partnerId: partner.partnerId })).toBe(0);
    expect(itemOf(await runPayout(at(121, base)), partner.partnerId)?.amount).toBe(15000);
  });

  it('withholds $99.99 and pays it with the next run once the balance passes $100', async () => {
    const partner = await createTestPartner(collector);
    const base = t0;
    await addCommission(collector, partner.partnerId, 9999, base);
    const first = await runPayout(at(121, base));
    expect(itemOf(first, partner.partnerId)).toBeUndefined();
    expect(withheldOf(first, partner.partnerId)).toEqual({
      partnerId: partner.partnerId,
      balance: 9999,
      reason: 'below-minimum',
    });
    await addCommission(collector, partner.partnerId, 1, at(5, base));
    const second = await runPayout(at(126, base));
    expect(itemOf(second, partner.partnerId)?.amount).toBe(10000);
  });

  it('withholds pending partners and partners without a payout email, with the reason', async () => {
    const pending = await createTestPartner(collector, { status: 'pending' });
    const noEmail = await createTestPartner(collector, { payoutEmail: null });
    const base = t0;
    await addCommission(collector, pending.partnerId, 50000, base);
    await addCommission(collector, noEmail.partnerId, 50000, base);
    const run = await runPayout(at(121, base));
    expect(withheldOf(run, pending.partnerId)?.reason).toBe('unconfirmed');
    expect(withheldOf(run, noEmail.partnerId)?.reason).toBe('no-payout-email');
    expect(run.items.filter((item) => [pending.partnerId, noEmail.partnerId].includes(item.partnerId))).toEqual([]);
  });

  it('nets a clawback against the next payout', async () => {
    const partner = await createTestPartner(collector);
    const { config, models } = collector.context;
    const base = t0;
    const commissionId = await addCommission(collector, partner.partnerId, 20000, base);
    expect(itemOf(await runPayout(at(121, base)), partner.partnerId)?.amount).toBe(20000);
    await models.LedgerEntry.create({
      _id: 'clawback:refund-1',
      partnerId: partner.partnerId,
      kind: 'clawback',
      amount: -5000,
      currency: config.currency,
      eventId: 'refund-1',
      reverses: commissionId,
      occurredAt: at(130, base),
      availableAt: at(130, base),
      createdAt: new Date(),
    });
    await addCommission(collector, partner.partnerId, 20000, at(20, base));
    expect(itemOf(await runPayout(at(141, base)), partner.partnerId)?.amount).toBe(15000);
  });
});

describe('partner status', () => {
  it('withholds a frozen partner and pays once unfrozen', async () => {
    const partner = await createTestPartner(collector);
    const base = t0;
    await addCommission(collector, partner.partnerId, 30000, base);
    await setStatus(partner.partnerId, 'frozen', 'unusual traffic');
    const frozen = await runPayout(at(121, base));
    expect(withheldOf(frozen, partner.partnerId)).toEqual({
      partnerId: partner.partnerId,
      balance: 30000,
      reason: 'frozen',
    });
    // Commissions keep accruing while frozen.
    await addCommission(collector, partner.partnerId, 1000, at(1, base));
    await setStatus(partner.partnerId, 'active', 'traffic checked, fine');
    expect(itemOf(await runPayout(at(122, base)), partner.partnerId)?.amount).toBe(31000);
  });

  it('reverses every unpaid commission of a disabled partner, leaving paid ones alone', async () => {
    const partner = await createTestPartner(collector);
    const { models } = collector.context;
    const base = t0;
    const paid = await addCommission(collector, partner.partnerId, 12000, base);
    expect(itemOf(await runPayout(at(121, base)), partner.partnerId)?.amount).toBe(12000);
    const payable = await addCommission(collector, partner.partnerId, 8000, at(1, base));
    const pending = await addCommission(collector, partner.partnerId, 4000, at(100, base));
    // A partial refund before payout already took 3000 of the payable one.
    await models.LedgerEntry.create({
      _id: 'reversal:r-1',
      partnerId: partner.partnerId,
      kind: 'reversal',
      amount: -3000,
      currency: 'USD',
      eventId: 'r-1',
      reverses: payable,
      occurredAt: at(2, base),
      availableAt: at(121, base),
      createdAt: new Date(),
    });

    const res = await setStatus(partner.partnerId, 'disabled', 'fraudulent signups');
    expect(res.body).toMatchObject({ status: 'disabled', from: 'active', reversed: { count: 2, amount: -9000 } });
    const reversals = await models.LedgerEntry.find({ partnerId: partner.partnerId, _id: /^disable-reversal:/ })
      .sort({ _id: 1 })
      .lean();
    expect(
      reversals.map(({ _id, amount, reverses }) => ({ _id, amount, reverses })).sort((a, b) => a.amount - b.amount),
    ).toEqual([
      { _id: `disable-reversal:${payable}`, amount: -5000, reverses: payable },
      { _id: `disable-reversal:${pending}`, amount: -4000, reverses: pending },
    ]);
    expect(await models.LedgerEntry.exists({ _id: `disable-reversal:${paid}` })).toBeNull();

    // Disabling again adds nothing; no later run pays them.
    const again = await setStatus(partner.partnerId, 'disabled', 'still fraud');
    expect(again.body.reversed).toEqual({ count: 0, amount: 0 });
    const later = await runPayout(at(400, base));
    expect(itemOf(later, partner.partnerId)).toBeUndefined();
    expect(withheldOf(later, partner.partnerId)).toBeUndefined();

    const audit = await models.AuditEntry.find({ subject: `partner:${partner.partnerId}` })
      .sort({ at: 1 })
      .lean();
    expect(audit.map((entry) => [entry.action, entry.actor, entry.reason])).toEqual([
      ['partner.status', 'key:env:ASHOP_ADMIN_KEY', 'fraudulent signups'],
      ['partner.status', 'key:env:ASHOP_ADMIN_KEY', 'still fraud'],
    ]);
  });

  it('requires a reason and a known status', async () => {
    const partner = await createTestPartner(collector);
    const noReason = await api()
      .post(`/v1/admin/partners/${partner.partnerId}/status`)
      .set(admin())
      .send({ status: 'frozen' })
      .expect(400);
    expect(noReason.body.errors[0].field).toBe('reason');
    await api()
      .post(`/v1/admin/partners/${partner.partnerId}/status`)
      .set(admin())
      .send({ status: 'pending', reason: 'x' })
      .expect(400);
    await api().post('/v1/admin/partners/nope/status').set(admin()).send({ status: 'frozen', reason: 'x' }).expect(404);
  });
});

describe('concurrent runs', () => {
  it('never claims an entry for two batches, and every cent is paid exactly once in the end', async () => {
    const base = t0;
    const partners = await Promise.all(Array.from({ length: 12 }, () => createTestPartner(collector)));
    const ids = new Set(partners.map((partner) => partner.partnerId));
    let total = 0;
    for (const [i, partner] of partners.entries()) {
      for (let k = 0; k < 3; k++) {
        const amount = 4000 + i * 100 + k;
        total += amount;
        await addCommission(collector, partner.partnerId, amount, at(k, base));
      }
    }
    const runs = await Promise.all([runPayout(at(130, base)), runPayout(at(130, base)), runPayout(at(130, base))]);
    const { models } = collector.context;
    const batches = await models.Payout.find({ _id: { $in: runs.map((run) => run.payoutId) } }).lean();
    const seen = new Set<string>();
    for (const batch of batches) {
      for (const item of batch.items.filter((candidate) => ids.has(candidate.partnerId))) {
        // The batch names how many entries an item pays; the entries are stored apart from it.
        expect(item.entryIds).toBeUndefined();
        expect(await itemEntryIds(models, batch._id, item)).toHaveLength(item.entries!);
        for (const entryId of await itemEntryIds(models, batch._id, item)) {
          expect(seen.has(entryId)).toBe(false);
          seen.add(entryId);
        }
      }
      // Each batch's amounts are exactly its claimed entries.
      const sums = await claimedSums(batch._id);
      for (const item of batch.items) expect(item.amount).toBe(sums.get(item.partnerId));
    }
    const paidNow = runs.flatMap((run) => run.items).filter((item) => ids.has(item.partnerId));
    // Whatever a run lost to another is carried forward; a later run pays the rest.
    const rest = await runPayout(at(131, base));
    const paidTotal = [...paidNow, ...rest.items.filter((item) => ids.has(item.partnerId))].reduce(
      (sum, item) => sum + item.amount,
      0,
    );
    expect(paidTotal).toBe(total);
  });
});

describe('a run that died while claiming', () => {
  it('frees its claims for the next run, which pays them; the dead batch is abandoned, audited, and cannot be completed', async () => {
    const base = t0;
    const partner = await createTestPartner(collector);
    const entryId = await addCommission(collector, partner.partnerId, 25000, base);
    const { models } = collector.context;
    // What a crash leaves: a batch still claiming, its claim written, no items.
    const deadId = 'po_dead_run';
    const longAgo = new Date(Date.now() - abandonedAfterMs - 60_000);
    await models.Payout.create({
      _id: deadId,
      asOf: at(121, base),
      currency: 'USD',
      status: 'claiming',
      items: [],
      withheld: [],
      createdBy: 'test',
      createdAt: longAgo,
    });
    await models.PayoutClaim.create({
      _id: entryId,
      payoutId: deadId,
      partnerId: partner.partnerId,
      claimedAt: longAgo,
    });

    const run = await runPayout(at(121, base));
    expect(itemOf(run, partner.partnerId)).toMatchObject({ amount: 25000 });
    expect(await models.PayoutClaim.findById(entryId).lean()).toMatchObject({ payoutId: run.payoutId });
    expect(await models.Payout.findById(deadId).lean()).toMatchObject({ status: 'abandoned' });
    expect(await models.Payout.findById(run.payoutId).lean()).toMatchObject({ status: 'open' });
    expect(
      await models.AuditEntry.findOne({ action: 'payout.abandon', subject: `payout:${deadId}` }).lean(),
    ).toMatchObject({
      details: { releasedEntries: 1 },
    });
    await api().post(`/v1/admin/payouts/${deadId}/complete`).set(admin()).send({}).expect(409);
  });

  it('leaves a run that is still claiming alone', async () => {
    const base = t0;
    const partner = await createTestPartner(collector);
    const entryId = await addCommission(collector, partner.partnerId, 25000, base);
    const { models } = collector.context;
    await models.Payout.create({
      _id: 'po_busy_run',
      asOf: at(121, base),
      currency: 'USD',
      status: 'claiming',
      items: [],
      withheld: [],
      createdBy: 'test',
      createdAt: new Date(),
    });
    await models.PayoutClaim.create({
      _id: entryId,
      payoutId: 'po_busy_run',
      partnerId: partner.partnerId,
      claimedAt: new Date(),
    });

    const run = await runPayout(at(121, base));
    expect(itemOf(run, partner.partnerId)).toBeUndefined();
    expect(await models.PayoutClaim.findById(entryId).lean()).toMatchObject({ payoutId: 'po_busy_run' });
  });
});

describe('exports and completion', () => {
  const base = t0;
  let run: RunAnswer;
  let a: string;
  let b: string;

  beforeEach(async () => {
    const first = await createTestPartner(collector, { payoutEmail: 'ann, "the best"@paypal.example' });
    const second = await createTestPartner(collector);
    a = first.partnerId;
    b = second.partnerId;
    await addCommission(collector, a, 12345, base);
    await addCommission(collector, a, 10001, at(1, base));
    await addCommission(collector, b, 20050, base);
    run = await runPayout(at(122, base));
  });

  const cents = (value: string) => {
    const [whole, fraction] = value.split('.');
    return Number(whole) * 100 + Number(fraction);
  };

  it('the PayPal CSV and Payouts JSON amounts add up to the locked entries', async () => {
    const sums = await claimedSums(run.payoutId);
    expect(itemOf(run, a)?.amount).toBe(22346);
    expect(itemOf(run, b)?.amount).toBe(20050);

    const csv = await api().get(`/v1/admin/payouts/${run.payoutId}/paypal.csv`).set(admin()).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text).toContain(
      `"paypal-ann, ""the best""@paypal.example",223.46,USD,${a},`.replace('paypal-ann', 'ann'),
    );
    const rows = csv.text.trimEnd().split('\r\n');
    expect(rows).toHaveLength(run.items.length);
    for (const row of rows) {
      const match = /,(\d+\.\d{2}),USD,([^,]+),/.exec(row)!;
      expect(cents(match[1]!)).toBe(sums.get(match[2]!));
    }

    const json = await api().get(`/v1/admin/payouts/${run.payoutId}/paypal.json`).set(admin()).expect(200);
    expect(json.body.sender_batch_header).toMatchObject({
      sender_batch_id: run.payoutId,
      email_subject: expect.any(String),
    });
    expect(json.body.items).toHaveLength(run.items.length);
    for (const item of json.body.items) {
      expect(item).toMatchObject({
        recipient_type: 'EMAIL',
        amount: { currency: 'USD', value: expect.stringMatching(/^\d+\.\d{2}$/) },
      });
      expect(cents(item.amount.value)).toBe(sums.get(item.sender_item_id));
    }
    const totalJson = json.body.items.reduce(
      (sum: number, item: { amount: { value: string } }) => sum + cents(item.amount.value),
      0,
    );
    expect(totalJson).toBe([...sums.values()].reduce((sum, value) => sum + value, 0));
  });

  it('complete marks items paid; failed items return to the balance and are paid by the next run', async () => {
    const token = signToken(collector.context.config.jwtSecret, b, 'partner');
    const done = await api()
      .post(`/v1/admin/payouts/${run.payoutId}/complete`)
      .set(admin())
      .send({ failed: [b], note: 'PayPal: receiver unconfirmed' })
      .expect(200);
    expect(done.body.status).toBe('completed');
    expect(done.body.items.find((item: { partnerId: string }) => item.partnerId === a).status).toBe('paid');
    expect(done.body.items.find((item: { partnerId: string }) => item.partnerId === b).status).toBe('failed');

    const stats = await api().get('/v1/me/stats').set('Authorization', `Bearer ${token}`).expect(200);
    // Back to unpaid, and payable again.
    expect(stats.body.totals.commission).toMatchObject({ payable: 20050, paid: 0 });
    const payouts = await api().get('/v1/me/payouts').set('Authorization', `Bearer ${token}`).expect(200);
    expect(payouts.body.items[0]).toMatchObject({ payoutId: run.payoutId, amount: 20050, status: 'failed' });

    // The same completion again is a no-op; another one conflicts.
    await api()
      .post(`/v1/admin/payouts/${run.payoutId}/complete`)
      .set(admin())
      .send({ failed: [b] })
      .expect(200);
    await api().post(`/v1/admin/payouts/${run.payoutId}/complete`).set(admin()).send({ failed: [] }).expect(409);

    const next = await runPayout(at(123, base));
    expect(itemOf(next, b)?.amount).toBe(20050);
    expect(itemOf(next, a)).toBeUndefined();

    // The partner's list, a page at a time by key: newest first, each batch's outcome its own.
    const newest = await api().get('/v1/me/payouts').query({ limit: 1 }).set('Authorization', `Bearer ${token}`);
    expect(newest.body.items).toEqual([expect.objectContaining({ payoutId: next.payoutId, status: 'pending' })]);
    const older = await api()
      .get('/v1/me/payouts')
      .query({ limit: 1, cursor: newest.body.nextCursor })
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(older.body.items).toEqual([expect.objectContaining({ payoutId: run.payoutId, status: 'failed' })]);
    expect(older.body.nextCursor).toBeNull();
    await api()
      .get('/v1/me/payouts')
      .query({ cursor: 'not-a-cursor' })
      .set('Authorization', `Bearer ${token}`)
      .expect(400);

    const audit = await api()
      .get('/v1/admin/audit')
      .query({ subject: `payout:${run.payoutId}` })
      .set(admin())
      .expect(200);
    expect(audit.body.items.map((entry: { action: string }) => entry.action)).toEqual([
      'payout.complete',
      'payout.run',
    ]);
    expect(audit.body.items[0]).toMatchObject({
      actor: 'key:env:ASHOP_ADMIN_KEY',
      reason: 'PayPal: receiver unconfirmed',
      details: { failed: [b] },
    });
  });

  it('answers bad input with 4xx problems', async () => {
    const bad = await api().post('/v1/admin/payouts').set(admin()).send({ asOf: 'tomorrow' }).expect(400);
    expect(bad.body.errors[0].field).toBe('asOf');
    await api()
      .post(`/v1/admin/payouts/${run.payoutId}/complete`)
      .set(admin())
      .send({ failed: ['someone-else'] })
      .expect(400);
    await api().get('/v1/admin/payouts/po_nope/paypal.csv').set(admin()).expect(404);
    await api().post('/v1/admin/payouts').send({}).expect(401);
  });
});
