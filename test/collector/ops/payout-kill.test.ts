// kill -9 of a collector in the middle of a payout run and of a completion, each at a chosen step
// (the child is held at a seam, then killed), then a restart on the same data. After each kill the
// batch is in a state the README's payout machine names, no commission is locked twice or lost,
// every partner's balance and paid total (as the operator's report shows them) equal what the ledger
// and the batches say, and the next run (or completion) finishes the work: in the end every
// commission is in exactly one paid item.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { openConnection } from '../../../collector/db/connection';
import { createModels, type Models } from '../../../collector/models';
import { webhookEventId } from '../../../collector/domain/webhooks';
import { appendLedgerEntry } from '../../../collector/services/ledger-writer';
import { createPartner } from '../../../collector/services/partner-directory';
import { itemEntryIds } from '../../../collector/services/payout-entries';
import { abandonedAfterMs, completedKey, sealedKey } from '../../../collector/services/payouts';
import { ChildCollector, withDatabase, type ChildCollectorOptions } from '../../support/child-collector';
import { testAdminKey } from '../../support/collector';
import { engineUri, testDbName } from '../../support/db';
import { day } from '../../support/partners';

const admin = { Authorization: `Bearer ${testAdminKey}` };
const partners = Array.from({ length: 6 }, (_, i) => `pk${i + 1}${randomUUID().slice(0, 4)}`);

let connection: Connection;
let models: Models;
let collector: ChildCollector;
let dataDir: string;

beforeAll(async () => {
  const dbName = testDbName(__filename);
  connection = await openConnection(engineUri(), dbName);
  models = createModels(connection);
  dataDir = mkdtempSync(join(tmpdir(), 'ashop-payout-kill-'));
  // Listed in the partner directory, which the report at the end reads.
  for (const id of partners)
    await createPartner(models, {
      _id: id,
      email: `${id}@partners.example`,
      name: id,
      passwordHash: 'no-login',
      payoutEmail: `${id}@paypal.example`,
      status: 'active',
    });
  // Subscribed to payouts, so a batch's event leaves a delivery (the port refuses: it stays pending).
  await models.WebhookEndpoint.create({
    _id: 'we_payout_kill',
    url: 'http://127.0.0.1:9/hooks',
    events: ['payout.created'],
    secret: 'whsec_test',
    status: 'enabled',
    createdAt: new Date(),
    updatedAt: new Date(),
  });
  collector = await ChildCollector.start({
    mongodbUri: withDatabase(engineUri(), dbName),
    dataDir,
    env: { ASHOP_STATS_FOLD_MS: '200' },
  });
}, 120_000);

afterAll(async () => {
  await collector.kill();
  await connection.dropDatabase();
  await connection.close();
  rmSync(dataDir, { recursive: true, force: true });
});

let invoices = 0;
/** Each partner earns commissions available for payout (one partly refunded): the next run has work. */
async function earn() {
  const occurredAt = new Date(Date.now() - 200 * day);
  const availableAt = new Date(Date.now() - 80 * day);
  const entries = partners.flatMap((partnerId, p) =>
    [4000, 5000 + p * 100, 3000].map((amount) => {
      invoices += 1;
      const eventId = `inv-${invoices}`;
      return {
        _id: `commission:${eventId}`,
        partnerId,
        kind: 'commission' as const,
        amount,
        currency: 'USD',
        customerId: `cus-${partnerId}`,
        eventId,
        occurredAt,
        availableAt,
        createdAt: new Date(),
      };
    }),
  );
  const first = entries[0]!;
  const reversal = {
    ...first,
    _id: `reversal:re-${first.eventId}`,
    kind: 'reversal' as const,
    amount: -1000,
    eventId: `re-${first.eventId}`,
    reverses: first._id,
  };
  // Through the ledger's own writer, so the money read models the report shows learn of each entry.
  for (const entry of [...entries, reversal]) await appendLedgerEntry(models, entry);
}

/** Starts a run or completion that the child holds at its seam and kills it there (it stays down). */
async function killHeldAt(holdAt: ChildCollectorOptions['holdAt'], path: string, body: object) {
  await collector.restart({ holdAt });
  const held = collector.waitForHold();
  const answer = collector.request('POST', path, { body, headers: admin, timeoutMs: 60_000 }).then(
    (res) => `answered ${res.status}: ${res.text}`,
    () => 'no answer',
  );
  await held;
  await collector.kill();
  expect(await answer).toBe('no answer');
}

async function run() {
  const res = await collector.request('POST', '/v1/admin/payouts', { body: {}, headers: admin });
  expect([200, 201]).toContain(res.status);
  return res.body as { payoutId: string | null; items: Array<{ partnerId: string; amount: number }> };
}

async function complete(payoutId: string, failed: string[] = []) {
  const res = await collector.request('POST', `/v1/admin/payouts/${payoutId}/complete`, {
    body: { failed },
    headers: admin,
  });
  expect(res.status).toBe(200);
  return res.body as { status: string; items: Array<{ partnerId: string; status: string }> };
}

/** The batch that a kill left (the newest one). */
async function newestBatch() {
  const [batch] = await models.Payout.find({}).sort({ createdAt: -1 }).limit(1).lean();
  return batch!;
}

/** Simulates the 15 minutes after which a batch still claiming counts as dead. */
async function ageBatch(payoutId: string) {
  await models.Payout.updateOne(
    { _id: payoutId },
    { $set: { createdAt: new Date(Date.now() - abandonedAfterMs - 60_000) } },
  );
}

/** Waits for a restarted collector's start-up to move a batch on. */
async function statusBecomes(payoutId: string, status: string) {
  const deadline = Date.now() + 20_000;
  while ((await models.Payout.findById(payoutId).lean())!.status !== status) {
    if (Date.now() > deadline)
      throw new Error(`${payoutId} is not ${status} after a restart:\n${collector.recentOutput}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

const figures: string[] = [];

/**
 * The rules that hold after every kill and every recovery step: each ledger entry is held by at
 * most one batch that has not given it back, payout claims and commission fates agree with the
 * batches, every item is exactly its entries, and the report's balance and paid totals per partner
 * equal what the ledger and the batches say.
 */
async function checkMoney(step: string) {
  const [entries, claims, batches, fates] = await Promise.all([
    models.LedgerEntry.find({}).lean(),
    models.PayoutClaim.find({}).lean(),
    models.Payout.find({}).lean(),
    models.OnceClaim.find({ _id: /^fate:/, holder: /^payout:/ }).lean(),
  ]);
  const amountOf = new Map(entries.map((entry) => [entry._id, entry.amount]));
  const claimOf = new Map(claims.map((claim) => [claim._id, claim.payoutId]));
  const statusOf = new Map(batches.map((batch) => [batch._id, batch.status]));
  const problems: string[] = [];

  // Entries each batch holds: its items that did not fail; a batch still claiming, its claims.
  const heldBy = new Map<string, string[]>();
  const hold = (entryId: string, payoutId: string) => heldBy.set(entryId, [...(heldBy.get(entryId) ?? []), payoutId]);
  for (const batch of batches) {
    if (batch.status === 'abandoned') continue;
    if (batch.status === 'claiming') {
      for (const claim of claims.filter((candidate) => candidate.payoutId === batch._id)) hold(claim._id, batch._id);
      continue;
    }
    for (const item of batch.items) {
      const entryIds = await itemEntryIds(models, batch._id, item);
      const sum = entryIds.reduce((total, id) => total + (amountOf.get(id) ?? NaN), 0);
      if (sum !== item.amount) problems.push(`${batch._id}/${item.partnerId}: amount ${item.amount} ≠ entries ${sum}`);
      if (item.status === 'failed') continue;
      for (const id of entryIds) hold(id, batch._id);
    }
  }
  for (const [entryId, holders] of heldBy) {
    if (holders.length > 1) problems.push(`${entryId} held by ${holders.join(', ')}`);
    if (claimOf.get(entryId) !== holders[0])
      problems.push(`${entryId} held by ${holders[0]}, claimed by ${claimOf.get(entryId)}`);
  }
  for (const claim of claims)
    if (!heldBy.has(claim._id)) problems.push(`${claim._id} claimed by ${claim.payoutId}, which does not hold it`);
  // A commission's fate is held by the batch that locked it, or (a run killed between the two) by a
  // batch still claiming, which its abandonment releases.
  for (const fate of fates) {
    const payoutId = fate.holder.slice('payout:'.length);
    const commissionId = fate._id.slice('fate:'.length);
    if (claimOf.get(commissionId) !== payoutId && statusOf.get(payoutId) !== 'claiming')
      problems.push(`${fate._id} held by ${payoutId} (${statusOf.get(payoutId)}) without its lock`);
  }

  await readModelsSettled();
  const report = await collector.request('GET', '/v1/admin/reports/partners', { headers: admin });
  expect(report.status).toBe(200);
  const rows = (report.body as { items: Array<{ partnerId: string; balance: number; commission: { paid: number } }> })
    .items;
  let total = 0;
  let locked = 0;
  let reported = 0;
  for (const partnerId of partners) {
    const mine = entries.filter((entry) => entry.partnerId === partnerId);
    const held = mine.filter((entry) => heldBy.has(entry._id)).reduce((sum, entry) => sum + entry.amount, 0);
    const all = mine.reduce((sum, entry) => sum + entry.amount, 0);
    const row = rows.find((candidate) => candidate.partnerId === partnerId)!;
    if (row.commission.paid !== held) problems.push(`${partnerId}: report paid ${row.commission.paid} ≠ held ${held}`);
    if (row.balance !== all - held) problems.push(`${partnerId}: report balance ${row.balance} ≠ ${all - held}`);
    total += all;
    locked += held;
    reported += row.commission.paid;
  }
  const batchesByStatus = Object.entries(
    batches.reduce<Record<string, number>>(
      (count, batch) => ({ ...count, [batch.status]: (count[batch.status] ?? 0) + 1 }),
      {},
    ),
  )
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
  figures.push(
    `${step}: ledger ${total}, held by batches ${locked}, report paid ${reported}; batches ${batchesByStatus}`,
  );
  expect(problems).toEqual([]);
  return { total, locked };
}

/** The report's money comes from read models the collector folds from deltas: wait until none is left. */
async function readModelsSettled() {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const pending = await models.StatDelta.countDocuments({});
    if (pending === 0) return;
    if (Date.now() > deadline) throw new Error(`${pending} deltas still pending after 60 s`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Every entry ends in exactly one paid item of a completed batch. */
async function expectAllPaid() {
  const [entries, batches] = await Promise.all([models.LedgerEntry.find({}).lean(), models.Payout.find({}).lean()]);
  const paidIn = new Map<string, number>();
  let paidTotal = 0;
  for (const batch of batches.filter((candidate) => candidate.status === 'completed'))
    for (const item of batch.items.filter((candidate) => candidate.status === 'paid')) {
      paidTotal += item.amount;
      for (const id of await itemEntryIds(models, batch._id, item)) paidIn.set(id, (paidIn.get(id) ?? 0) + 1);
    }
  expect(entries.filter((entry) => paidIn.get(entry._id) !== 1).map((entry) => entry._id)).toEqual([]);
  expect([...paidIn.values()].every((times) => times === 1)).toBe(true);
  const ledgerTotal = entries.reduce((sum, entry) => sum + entry.amount, 0);
  figures.push(`all paid: ledger ${ledgerTotal}, paid in completed batches ${paidTotal}`);
  expect(paidTotal).toBe(ledgerTotal);
}

afterAll(() => process.stdout.write(`[payout-kill]\n  ${figures.join('\n  ')}\n`));

test('kill -9 after a run claimed some partners: the batch stays claiming, the retry pays the others, its abandonment frees the rest', async () => {
  await earn();
  await killHeldAt('payout.run:claimed#2', '/v1/admin/payouts', {});
  await collector.restart();
  const dead = await newestBatch();
  expect(dead.status).toBe('claiming');
  const lockedTo = new Set(
    (await models.PayoutClaim.find({ payoutId: dead._id }).lean()).map((claim) => claim.partnerId),
  );
  expect(lockedTo.size).toBe(2);
  await checkMoney('killed after 2 partners claimed');

  // A retry right away pays everyone the dead run did not lock, nobody twice.
  const retry = await run();
  expect(retry.items.map((item) => item.partnerId).sort()).toEqual(partners.filter((id) => !lockedTo.has(id)).sort());
  await checkMoney('retried run');

  // 15 minutes on, the next run abandons the dead batch and pays its partners.
  await ageBatch(dead._id);
  const after = await run();
  expect((await models.Payout.findById(dead._id).lean())!.status).toBe('abandoned');
  expect(after.items.map((item) => item.partnerId).sort()).toEqual([...lockedTo].sort());
  await checkMoney('dead batch abandoned, its partners paid');
  await complete(retry.payoutId!);
  await complete(after.payoutId!);
  await expectAllPaid();
}, 120_000);

test('kill -9 between taking commission fates and locking entries: nothing is lost once the batch is abandoned', async () => {
  await earn();
  await killHeldAt('payout.run:fates-taken#1', '/v1/admin/payouts', {});
  await collector.restart();
  const dead = await newestBatch();
  expect(dead.status).toBe('claiming');
  expect(await models.PayoutClaim.countDocuments({ payoutId: dead._id })).toBe(0);
  await checkMoney('killed holding fates, no locks');

  const retry = await run();
  // The first partner's commissions are still the dead batch's to decide; the rest are paid.
  expect(retry.items.map((item) => item.partnerId)).not.toContain(partners[0]);
  await ageBatch(dead._id);
  const after = await run();
  expect(after.items.map((item) => item.partnerId)).toContain(partners[0]);
  await checkMoney('fates released, first partner paid');
  await complete(retry.payoutId!);
  await complete(after.payoutId!);
  await expectAllPaid();
}, 120_000);

let sealedBatch: string;

test('kill -9 after the seal: the restart opens the batch and records its event', async () => {
  await earn();
  await killHeldAt('payout.run:sealed', '/v1/admin/payouts', {});
  const batch = await newestBatch();
  sealedBatch = batch._id;
  expect(batch.status).toBe('claiming');
  expect((await models.OnceClaim.findById(sealedKey(batch._id)).lean())?.data).toEqual({ outcome: 'open' });

  // The restarted collector opens it (no waiting: the seal decided); a run finds nobody else to pay.
  await collector.restart();
  await statusBecomes(batch._id, 'open');
  await checkMoney('killed after the seal, opened by the restart');
  expect((await run()).payoutId).toBeNull();
  // Recorded: waiting to be fanned out, or fanned out to the endpoint (never neither).
  const key = `payout.created:${batch._id}`;
  const recorded =
    (await models.WebhookEvent.countDocuments({ key })) +
    (await models.WebhookDelivery.countDocuments({ eventId: webhookEventId(key) }));
  expect(recorded).toBeGreaterThan(0);
}, 120_000);

test('kill -9 while a completion gives failed items back: the restart finishes it, the next run pays them again', async () => {
  const failed = [partners[1]!, partners[3]!];
  await killHeldAt('payout.complete:item-released#1', `/v1/admin/payouts/${sealedBatch}/complete`, { failed });
  // Decided (its claim holds the failed list), one failed item given back, the other not: the batch
  // still says open, never "completed" with entries left locked.
  expect((await models.Payout.findById(sealedBatch).lean())!.status).toBe('open');
  expect(await models.OnceClaim.findById(completedKey(sealedBatch)).lean()).toMatchObject({ data: { failed } });
  const lockedOf = (partnerId: string) => models.PayoutClaim.countDocuments({ payoutId: sealedBatch, partnerId });
  expect([await lockedOf(failed[0]!), await lockedOf(failed[1]!)]).toEqual([0, 3]);

  // The restarted collector finishes the completion by itself.
  await collector.restart();
  await statusBecomes(sealedBatch, 'completed');
  await checkMoney('restart finished the completion');

  const retry = await run();
  const finished = (await models.Payout.findById(sealedBatch).lean())!;
  expect(finished.items.filter((item) => item.status === 'failed').map((item) => item.partnerId)).toEqual(failed);
  expect(retry.items.map((item) => item.partnerId).sort()).toEqual([...failed].sort());
  // The same completion again answers the same.
  expect((await complete(sealedBatch, failed)).status).toBe('completed');
  await checkMoney('completion finished, failed items paid again');
  await complete(retry.payoutId!);
  await expectAllPaid();
}, 120_000);
