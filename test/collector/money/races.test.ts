// Every race between money operations, forced both ways at a seam and then run concurrently over
// several rounds; the ledger must add up exactly after each.
import type { Collector } from '../../../collector/app';
import { abandonedAfterMs } from '../../../collector/services/payouts';
import { testCollector } from '../../support/collector';
import { useDatabasePerTest } from '../../support/db';
import { holdAt } from '../../support/seams';
import { checkedLedger, moneyApi } from './support';

const db = useDatabasePerTest(__filename);
let collector: Collector;
beforeEach(async () => {
  collector = await testCollector(db.connection());
});
afterEach(() => collector.close());
const { invoice, refund, disable, run, complete, partnerWithCustomer } = moneyApi(() => collector);
const rounds = 8;

/** A partner with one payable commission of 20,000 (an 80,000 invoice dated 200 days ago). */
async function payablePartner() {
  const partner = await partnerWithCustomer();
  const res = await invoice(partner.customerId, 80000);
  expect(res.body.commission).toBe(20000);
  return { ...partner, eventId: res.body.eventId as string };
}

const statuses = (answers: Array<{ status: number }>) => answers.map((answer) => answer.status).sort();

describe('complete × complete', () => {
  it('forced: the first completion decides; a different one meanwhile is 409', async () => {
    const a = await payablePartner();
    const b = await payablePartner();
    const batch = await run().expect(201);
    const held = holdAt('payout.complete:decided');
    const first = complete(batch.body.payoutId, [b.partnerId]).then((res) => res);
    await held.reached;
    await complete(batch.body.payoutId, []).expect(409);
    held.release();
    expect((await first).status).toBe(200);
    expect(await checkedLedger(collector, a.partnerId)).toMatchObject({ locked: 20000 });
    expect(await checkedLedger(collector, b.partnerId)).toMatchObject({ locked: 0 });
    // The same completion again is the same answer.
    await complete(batch.body.payoutId, [b.partnerId]).expect(200);
    const next = await run().expect(201);
    expect(next.body.items).toEqual([expect.objectContaining({ partnerId: b.partnerId, amount: 20000 })]);
  });

  it(`stress: two different completions at once, ${rounds} rounds`, async () => {
    for (let round = 0; round < rounds; round++) {
      const a = await payablePartner();
      const b = await payablePartner();
      const batch = await run().expect(201);
      const answers = await Promise.all([
        complete(batch.body.payoutId, [b.partnerId]),
        complete(batch.body.payoutId, []),
      ]);
      expect(statuses(answers)).toEqual([200, 409]);
      const winner = answers.find((answer) => answer.status === 200)!;
      const bFailed = winner.body.items.find((item: { partnerId: string }) => item.partnerId === b.partnerId)
        .status as string;
      expect(await checkedLedger(collector, a.partnerId)).toMatchObject({ locked: 20000 });
      expect(await checkedLedger(collector, b.partnerId)).toMatchObject({ locked: bFailed === 'failed' ? 0 : 20000 });
    }
  });
});

describe('refund × disable', () => {
  it('forced: a refund holding its slot, then the disable: together exactly the commission', async () => {
    const p = await payablePartner();
    const held = holdAt('refund:slot-taken');
    const refunding = refund(p.eventId, 40000).then((res) => res);
    await held.reached;
    await disable(p.partnerId).expect(200);
    held.release();
    expect((await refunding).status).toBe(201);
    expect(await checkedLedger(collector, p.partnerId)).toEqual({
      commissions: 20000,
      reversed: 20000,
      clawedBack: 0,
      locked: 0,
    });
  });

  it('forced: a disable holding before its sweep, then the refund: together exactly the commission', async () => {
    const p = await payablePartner();
    const held = holdAt('partner.disable:status-set');
    const disabling = disable(p.partnerId).then((res) => res);
    await held.reached;
    const refunded = await refund(p.eventId, 40000).expect(201);
    expect(refunded.body.commissionReversed).toBe(10000);
    held.release();
    expect((await disabling).status).toBe(200);
    expect(await checkedLedger(collector, p.partnerId)).toMatchObject({ commissions: 20000, reversed: 20000 });
  });

  it(`stress: full and partial refunds beside a disable, ${rounds} rounds`, async () => {
    for (let round = 0; round < rounds; round++) {
      const p = await payablePartner();
      const answers = await Promise.all([refund(p.eventId, round % 2 ? undefined : 30000), disable(p.partnerId)]);
      expect(statuses(answers)).toEqual([200, 201]);
      expect(await checkedLedger(collector, p.partnerId)).toEqual({
        commissions: 20000,
        reversed: 20000,
        clawedBack: 0,
        locked: 0,
      });
    }
  });
});

describe('invoice × disable', () => {
  it('forced: an invoice priced before the disable reverses its own fresh commission', async () => {
    const p = await partnerWithCustomer();
    const held = holdAt('revenue:priced');
    const invoicing = invoice(p.customerId, 80000).then((res) => res);
    await held.reached;
    await disable(p.partnerId).expect(200);
    held.release();
    expect((await invoicing).body.commission).toBe(20000);
    expect(await checkedLedger(collector, p.partnerId)).toMatchObject({ commissions: 20000, reversed: 20000 });
  });

  it(`stress: an invoice beside a disable, ${rounds} rounds`, async () => {
    for (let round = 0; round < rounds; round++) {
      const p = await partnerWithCustomer();
      await Promise.all([invoice(p.customerId, 80000).expect(201), disable(p.partnerId).expect(200)]);
      const money = await checkedLedger(collector, p.partnerId);
      expect(money.reversed).toBe(money.commissions);
    }
  });
});

describe('payout run × disable', () => {
  it('forced: a run that claimed before the disable swept gives the entries back and reverses them', async () => {
    const p = await payablePartner();
    const held = holdAt('payout.run:claimed');
    const running = run().then((res) => res);
    await held.reached;
    expect((await disable(p.partnerId).expect(200)).body.reversed).toEqual({ count: 0, amount: 0 });
    held.release();
    const answer = await running;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ payoutId: null, items: [] });
    expect(answer.body.withheld).toEqual([{ partnerId: p.partnerId, balance: 20000, reason: 'disabled' }]);
    expect(await checkedLedger(collector, p.partnerId)).toMatchObject({ reversed: 20000, locked: 0 });
    expect(await collector.context.models.Payout.countDocuments()).toBe(0);
  });

  it('forced: a run that planned before the disable loses the commission to it', async () => {
    const p = await payablePartner();
    const held = holdAt('payout.run:planned');
    const running = run().then((res) => res);
    await held.reached;
    expect((await disable(p.partnerId).expect(200)).body.reversed).toEqual({ count: 1, amount: -20000 });
    held.release();
    expect((await running).body).toMatchObject({ payoutId: null, items: [] });
    expect(await checkedLedger(collector, p.partnerId)).toMatchObject({ reversed: 20000, locked: 0 });
  });

  it(`stress: a run beside a disable, ${rounds} rounds: paid or reversed, never both`, async () => {
    for (let round = 0; round < rounds; round++) {
      const p = await payablePartner();
      await Promise.all([run(), disable(p.partnerId).expect(200)]);
      const money = await checkedLedger(collector, p.partnerId);
      expect([money.locked, money.reversed].sort()).toEqual([0, 20000]);
    }
  });
});

describe('payout run × abandon', () => {
  const backdate = (payoutId: string) =>
    collector.context.models.Payout.updateOne(
      { _id: payoutId },
      { $set: { createdAt: new Date(Date.now() - abandonedAfterMs - 60_000) } },
    );
  const claimingBatch = async () => (await collector.context.models.Payout.findOne({ status: 'claiming' }).lean())!;

  it('forced: a run too slow to seal is abandoned by the next run and never reopened', async () => {
    const p = await payablePartner();
    const held = holdAt('payout.run:sealing');
    const slow = run().then((res) => res);
    await held.reached;
    const dead = await claimingBatch();
    await backdate(dead._id);
    const next = await run().expect(201);
    expect(next.body.items).toEqual([expect.objectContaining({ partnerId: p.partnerId, amount: 20000 })]);
    held.release();
    const late = await slow;
    expect(late.status).toBe(409);
    expect(late.body.type).toMatch(/payout-abandoned$/);
    expect(await collector.context.models.Payout.findById(dead._id).lean()).toMatchObject({ status: 'abandoned' });
    await complete(dead._id, []).expect(409);
    expect(await checkedLedger(collector, p.partnerId)).toMatchObject({ locked: 20000 });
    expect(await collector.context.models.PayoutClaim.countDocuments({ payoutId: dead._id })).toBe(0);
  });

  it('forced: a run that seals first keeps its batch open against a late abandoner', async () => {
    const p = await payablePartner();
    const sealing = holdAt('payout.run:sealing');
    const slow = run().then((res) => res);
    await sealing.reached;
    const batch = await claimingBatch();
    await backdate(batch._id);
    const listed = holdAt('payout.abandon:listed');
    const next = run().then((res) => res);
    await listed.reached;
    sealing.release();
    expect((await slow).status).toBe(201);
    listed.release();
    expect((await next).body).toMatchObject({ payoutId: null, items: [] });
    expect(await collector.context.models.Payout.findById(batch._id).lean()).toMatchObject({ status: 'open' });
    await complete(batch._id, []).expect(200);
    expect(await checkedLedger(collector, p.partnerId)).toMatchObject({ locked: 20000 });
  });

  it(`stress: two runs abandoning one dead batch at once, ${rounds} rounds`, async () => {
    const { models } = collector.context;
    for (let round = 0; round < rounds; round++) {
      const p = await payablePartner();
      const entryId = `commission:${p.eventId}`;
      const deadId = `po_dead_${round}`;
      const longAgo = new Date(Date.now() - abandonedAfterMs - 60_000);
      await models.Payout.create({
        _id: deadId,
        asOf: new Date(),
        currency: 'USD',
        status: 'claiming',
        items: [],
        withheld: [],
        createdBy: 'test',
        createdAt: longAgo,
      });
      await models.PayoutClaim.create({ _id: entryId, payoutId: deadId, partnerId: p.partnerId, claimedAt: longAgo });
      await models.OnceClaim.create({ _id: `fate:${entryId}`, holder: `payout:${deadId}`, at: longAgo });
      const answers = await Promise.all([run(), run()]);
      const paid = answers.flatMap((answer) => answer.body.items as Array<{ partnerId: string; amount: number }>);
      expect(paid.filter((item) => item.partnerId === p.partnerId)).toEqual([
        expect.objectContaining({ amount: 20000 }),
      ]);
      expect(await models.Payout.findById(deadId).lean()).toMatchObject({ status: 'abandoned' });
      expect(await models.AuditEntry.countDocuments({ action: 'payout.abandon', subject: `payout:${deadId}` })).toBe(1);
      expect(await checkedLedger(collector, p.partnerId)).toMatchObject({ locked: 20000 });
    }
  });
});
