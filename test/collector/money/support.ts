// A bound customer's money through the real API, and the ledger rules every race must leave true.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Collector } from '../../../collector/app';
import { summarizeLedger } from '../../../collector/domain/ledger';
import { itemEntryIds } from '../../../collector/services/payout-entries';
import { testAdminKey, testServerKey } from '../../support/collector';
import { createTestPartner, day } from '../../support/partners';

export const admin = { Authorization: `Bearer ${testAdminKey}` };
export const server = { Authorization: `Bearer ${testServerKey}` };

export function moneyApi(collector: () => Collector) {
  const api = () => request(collector().app);
  return {
    api,
    /** An active partner with one bound customer. */
    async partnerWithCustomer() {
      const partner = await createTestPartner(collector());
      const customerId = `cus_${randomUUID()}`;
      await collector().context.models.Customer.create({
        _id: customerId,
        partnerId: partner.partnerId,
        clickId: randomUUID(),
        boundAt: new Date(),
      });
      return { ...partner, customerId };
    },
    /** An invoice of `amount` plan cents (25%: commission amount / 4), dated `daysAgo` days ago. */
    invoice(customerId: string, amount: number, daysAgo = 200, eventId = `inv_${randomUUID()}`) {
      return api()
        .post('/v1/revenue')
        .set(server)
        .send({
          eventId,
          customerId,
          occurredAt: new Date(Date.now() - daysAgo * day).toISOString(),
          lines: [{ kind: 'plan', amount }],
        });
    },
    refund(refundOf: string, amount?: number) {
      return api()
        .post('/v1/refunds')
        .set(server)
        .send({ eventId: `re_${randomUUID()}`, refundOf, kind: 'refund', ...(amount ? { amount } : {}) });
    },
    disable(partnerId: string) {
      return api()
        .post(`/v1/admin/partners/${partnerId}/status`)
        .set(admin)
        .send({ status: 'disabled', reason: 'fraud' });
    },
    run() {
      return api().post('/v1/admin/payouts').set(admin).send({});
    },
    complete(payoutId: string, failed: string[]) {
      return api().post(`/v1/admin/payouts/${payoutId}/complete`).set(admin).send({ failed });
    },
  };
}

export interface PartnerMoney {
  commissions: number;
  /** Taken back before payout (reversals) and after (clawbacks), as positive numbers. */
  reversed: number;
  clawedBack: number;
  /** Sum of the entries locked to a payout batch. */
  locked: number;
}

/**
 * The partner's ledger, after checking the rules that hold whatever the interleaving: no
 * commission loses more than its amount, none is both locked to a batch and reversed by a disable,
 * each batch item is exactly its locked entries, and a disabled partner keeps nothing unpaid.
 */
export async function checkedLedger(collector: Collector, partnerId: string): Promise<PartnerMoney> {
  const { models } = collector.context;
  const [entries, claims, partner, batches] = await Promise.all([
    models.LedgerEntry.find({ partnerId }).lean(),
    models.PayoutClaim.find({ partnerId }).lean(),
    models.Partner.findById(partnerId).lean(),
    models.Payout.find({ 'items.partnerId': partnerId }).lean(),
  ]);
  const locked = new Map(claims.map((claim) => [claim._id, claim.payoutId]));
  const money: PartnerMoney = { commissions: 0, reversed: 0, clawedBack: 0, locked: 0 };
  for (const entry of entries) {
    if (entry.kind === 'commission') money.commissions += entry.amount;
    if (entry.kind === 'reversal') money.reversed -= entry.amount;
    if (entry.kind === 'clawback') money.clawedBack -= entry.amount;
    if (locked.has(entry._id)) money.locked += entry.amount;
  }
  for (const commission of entries.filter((entry) => entry.kind === 'commission')) {
    const taken = entries
      .filter((entry) => entry.reverses === commission._id)
      .reduce((sum, entry) => sum - entry.amount, 0);
    expect(taken).toBeLessThanOrEqual(commission.amount);
    const reversed = entries
      .filter((entry) => entry.reverses === commission._id && entry.kind === 'reversal')
      .reduce((sum, entry) => sum - entry.amount, 0);
    if (locked.has(commission._id)) {
      expect(entries.some((entry) => entry._id === `disable-reversal:${commission._id}`)).toBe(false);
    } else if (partner?.status === 'disabled') {
      expect(reversed).toBe(commission.amount);
    }
  }
  for (const batch of batches.filter((candidate) => candidate.status !== 'abandoned')) {
    for (const item of batch.items.filter((candidate) => candidate.partnerId === partnerId)) {
      const entryIds = await itemEntryIds(collector.context.models, batch._id, item);
      const sum = entries.filter((entry) => entryIds.includes(entry._id)).reduce((s, e) => s + e.amount, 0);
      expect(item.amount).toBe(sum);
      const stillLocked = entryIds.every((id) => locked.get(id) === batch._id);
      expect(stillLocked).toBe(item.status !== 'failed');
    }
  }
  return money;
}

/** A partner with a customer bound by a click on banner `summer` (the click stored, as tracking stores it). */
export async function partnerWithBoundCustomer(collector: Collector) {
  const partner = await createTestPartner(collector);
  const { models } = collector.context;
  const clickId = randomUUID();
  const clickedAt = new Date(Date.now() - 300 * day);
  await models.Click.collection.insertOne({
    _id: clickId as never,
    partnerId: partner.partnerId,
    bid: 'summer',
    occurredAt: clickedAt,
  });
  const customerId = `cus_${randomUUID()}`;
  const boundAt = new Date(Date.now() - 299 * day);
  await models.Customer.create({
    _id: customerId,
    partnerId: partner.partnerId,
    clickId,
    bid: 'summer',
    method: 'link',
    boundAt,
  });
  return { ...partner, customerId, clickedAt, boundAt };
}

/** What the ledger itself says (the old way: every entry and claim of the partner). */
export async function fromLedger(collector: Collector, partnerId: string, asOf: Date) {
  const { models } = collector.context;
  const entries = await models.LedgerEntry.find({ partnerId }).lean();
  const claims = await models.PayoutClaim.find({ partnerId }).lean();
  return summarizeLedger(entries, new Set(claims.map((claim) => claim._id)), asOf);
}
