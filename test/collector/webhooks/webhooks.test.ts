// Outbound webhooks: endpoints API, signed at-least-once delivery from the database queue,
// retries, disabling, secret rotation and no concurrent duplicate sends.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Collector } from '../../../collector/app';
import { openConnection } from '../../../collector/db/connection';
import { createModels } from '../../../collector/models';
import { purgeWebhookStrikes } from '../../../collector/services/retention';
import { createWebhookDispatcher, type DispatcherOptions } from '../../../collector/services/webhook-dispatcher';
import { testAdminKey, testCollector } from '../../support/collector';
import { engineUri, useTestDatabase } from '../../support/db';
import { createTestPartner } from '../../support/partners';
import { browserUa, clickBody, referralOf, serverKey } from '../tracking/fixtures';
import { startReceiver, verifySignature, type Receiver } from './receiver';

const db = useTestDatabase(__filename);
const admin = { Authorization: `Bearer ${testAdminKey}` };
let collector: Collector;
let receiver: Receiver;

beforeAll(async () => {
  collector = await testCollector(db.connection());
});
afterAll(() => collector.close());
beforeEach(async () => {
  receiver = await startReceiver();
  // Each test starts with no endpoint and an empty queue.
  const { models } = collector.context;
  await Promise.all([
    models.WebhookEndpoint.deleteMany({}),
    models.WebhookEvent.deleteMany({}),
    models.WebhookDue.deleteMany({}),
  ]);
});
afterEach(() => receiver.close());

const api = () => request(collector.app);
const dispatcher = (options: DispatcherOptions = {}) =>
  createWebhookDispatcher(collector.context, { timeoutMs: 2000, ...options });

async function createEndpoint(events: string[], url = receiver.url) {
  const res = await api().post('/v1/admin/webhooks').set(admin).send({ url, events }).expect(201);
  return res.body as { id: string; secret: string };
}

/** An invoice of a customer bound to a new partner: a commission.created fact, through the API. */
async function invoice(amount = 10_000) {
  const { partnerId } = await createTestPartner(collector);
  const customerId = `cus_${randomUUID()}`;
  await collector.context.models.Customer.create({
    _id: customerId,
    partnerId,
    clickId: randomUUID(),
    boundAt: new Date(),
  });
  const eventId = `inv_${randomUUID()}`;
  const body = { eventId, customerId, currency: 'USD', lines: [{ kind: 'plan', amount }] };
  await api().post('/v1/revenue').set(serverKey).send(body).expect(201);
  return { partnerId, customerId, eventId, body };
}

const later = (ms: number) => new Date(Date.now() + ms);

describe('endpoints API', () => {
  test('create answers the secret once; list hides it; update, delete; bad input is 400', async () => {
    const created = await api()
      .post('/v1/admin/webhooks')
      .set(admin)
      .send({ url: receiver.url, events: ['commission.created', 'payout.completed'], description: 'books' })
      .expect(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^we_/),
      secret: expect.stringMatching(/^whsec_/),
      status: 'enabled',
      events: ['commission.created', 'payout.completed'],
    });
    const list = await api().get('/v1/admin/webhooks').set(admin).expect(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].secret).toBeUndefined();
    const updated = await api()
      .patch(`/v1/admin/webhooks/${created.body.id}`)
      .set(admin)
      .send({ events: ['partner.created'] })
      .expect(200);
    expect(updated.body.events).toEqual(['partner.created']);
    await api()
      .post('/v1/admin/webhooks')
      .set(admin)
      .send({ url: 'ftp://x.example', events: ['partner.created'] })
      .expect(400);
    await api()
      .post('/v1/admin/webhooks')
      .set(admin)
      .send({ url: receiver.url, events: ['nope'] })
      .expect(400);
    await api().post('/v1/admin/webhooks').set(admin).send({ url: receiver.url, events: [] }).expect(400);
    await api().delete(`/v1/admin/webhooks/${created.body.id}`).set(admin).expect(204);
    const gone = await api().get(`/v1/admin/webhooks/${created.body.id}`).set(admin).expect(404);
    expect(gone.body.type).toBe('/problems/webhook-not-found');
  });

  test('the endpoints API needs admin credentials', async () => {
    await api().get('/v1/admin/webhooks').expect(401);
    await api().get('/v1/admin/webhooks').set(serverKey).expect(403);
  });
});

describe('delivery', () => {
  test('a commission reaches the receiver once, signed, with the event ID in body and header', async () => {
    const { secret, id } = await createEndpoint(['commission.created']);
    const { partnerId, eventId, body } = await invoice();
    // A replay of the same invoice records the same event: nothing new is sent.
    await api().post('/v1/revenue').set(serverKey).send(body).expect(200);
    const worker = dispatcher();
    expect(await worker.runOnce()).toMatchObject({ fannedOut: 1, attempted: 1 });
    await api().post('/v1/revenue').set(serverKey).send(body).expect(200);
    await worker.runOnce();
    await worker.runOnce();
    expect(receiver.received).toHaveLength(1);
    const [hit] = receiver.received;
    expect(verifySignature(hit!.headers['ashop-signature'], hit!.body, secret)).toBe(true);
    expect(verifySignature(hit!.headers['ashop-signature'], hit!.body, 'whsec_wrong')).toBe(false);
    expect(hit!.headers['ashop-event-id']).toBe(hit!.json.id);
    expect(hit!.headers['ashop-event-type']).toBe('commission.created');
    expect(hit!.json).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      type: 'commission.created',
      data: { _id: `commission:${eventId}`, partnerId, kind: 'commission', amount: 2500, currency: 'USD' },
    });
    const log = await api().get(`/v1/admin/webhooks/${id}/deliveries`).set(admin).expect(200);
    expect(log.body.items).toMatchObject([
      { eventId: hit!.json.id, status: 'delivered', attempts: 1, lastStatusCode: 200 },
    ]);
  });

  test('only subscribed types are sent; every program event type is emitted by its fact', async () => {
    await createEndpoint(['partner.status_changed', 'payout.created', 'payout.completed', 'commission.reversed']);
    const { partnerId, eventId } = await invoice(80_000);
    await api()
      .post('/v1/refunds')
      .set(serverKey)
      .send({ eventId: `re_${randomUUID()}`, refundOf: eventId, amount: 4_000, kind: 'refund' })
      .expect(201);
    await api()
      .post(`/v1/admin/partners/${partnerId}/status`)
      .set(admin)
      .send({ status: 'frozen', reason: 'check' })
      .expect(200);
    await api()
      .post(`/v1/admin/partners/${partnerId}/status`)
      .set(admin)
      .send({ status: 'active', reason: 'ok' })
      .expect(200);
    // Past the hold (a run's asOf is never in the future): the partner's entries became available.
    await collector.context.models.LedgerEntry.updateMany(
      { partnerId },
      { $set: { availableAt: new Date(Date.now() - 86_400_000) } },
    );
    const run = await api().post('/v1/admin/payouts').set(admin).send({}).expect(201);
    await api().post(`/v1/admin/payouts/${run.body.payoutId}/complete`).set(admin).send({}).expect(200);
    await dispatcher().runOnce();
    const types = receiver.received.map((hit) => hit.json.type).sort();
    expect(types).toEqual(
      [
        'commission.reversed',
        'partner.status_changed',
        'partner.status_changed',
        'payout.completed',
        'payout.created',
      ].sort(),
    );
    const completed = receiver.received.find((hit) => hit.json.type === 'payout.completed')!;
    expect(completed.json.data).toMatchObject({ payoutId: run.body.payoutId });
  });

  test('partner.created and customer.attributed come from a partner signup and an attributed signup', async () => {
    await createEndpoint(['partner.created', 'customer.attributed']);
    const email = `new-${randomUUID()}@partners.example`;
    const signedUp = await api()
      .post('/v1/partners')
      .send({ email, password: 'a long enough password', name: 'New Partner' })
      .expect(201);
    const { partnerId } = await createTestPartner(collector);
    const click = clickBody(partnerId);
    await api().post('/v1/clicks').set('User-Agent', browserUa).send(click).expect(202);
    const customerId = `cus_${randomUUID()}`;
    await api()
      .post('/v1/signups')
      .set(serverKey)
      .send({ customerId, referral: referralOf(click) })
      .expect(201);
    await dispatcher().runOnce();
    const byType = Object.fromEntries(receiver.received.map((hit) => [hit.json.type, hit.json.data]));
    expect(byType['partner.created']).toMatchObject({ partnerId: signedUp.body.partnerId, email, status: 'pending' });
    expect(byType['customer.attributed']).toMatchObject({ customerId, partnerId });
  });

  test('retries after a 500 and a timeout, with backoff, until delivered; the log keeps each attempt', async () => {
    const { id } = await createEndpoint(['commission.created']);
    await invoice();
    receiver.answers.push(500, 'hang');
    const worker = dispatcher({ timeoutMs: 300, retryBaseMs: 60_000 });
    await worker.runOnce();
    expect(receiver.received).toHaveLength(1);
    // Not due yet: the next attempt waits for the backoff.
    await worker.runOnce();
    expect(receiver.received).toHaveLength(1);
    await worker.runOnce(later(61_000));
    expect(receiver.received).toHaveLength(2);
    await worker.runOnce(later(61_000));
    expect(receiver.received).toHaveLength(2); // 2nd retry waits 2 minutes
    await worker.runOnce(later(121_000));
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((hit) => hit.json.id)).size).toBe(1);
    const [delivery] = (await api().get(`/v1/admin/webhooks/${id}/deliveries`).set(admin).expect(200)).body.items;
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(
      delivery.log.map((entry: { statusCode?: number; error?: string }) => entry.statusCode ?? entry.error),
    ).toEqual([500, 'timed out after 300 ms', 200]);
  });

  test('an endpoint failing again and again is disabled; a test event still goes; enabled by hand', async () => {
    const { id } = await createEndpoint(['commission.created']);
    await invoice();
    await invoice();
    receiver.answers.push(500, 500, 500, 500);
    const worker = dispatcher({ disableAfter: 2, retryBaseMs: 1 });
    await worker.runOnce();
    await worker.runOnce(later(1000));
    const endpoint = (await api().get(`/v1/admin/webhooks/${id}`).set(admin).expect(200)).body;
    expect(endpoint).toMatchObject({ status: 'disabled', disabledReason: expect.stringMatching(/failed attempts/) });
    const sent = receiver.received.length;
    expect(sent).toBeGreaterThanOrEqual(2);
    await worker.runOnce(later(60_000));
    expect(receiver.received).toHaveLength(sent);
    const test = await api().post(`/v1/admin/webhooks/${id}/test`).set(admin).expect(202);
    receiver.answers.length = 0;
    await worker.runOnce();
    expect(receiver.received.at(-1)!.json).toMatchObject({ id: test.body.eventId, type: 'webhook.test' });
    const enabled = await api().patch(`/v1/admin/webhooks/${id}`).set(admin).send({ status: 'enabled' }).expect(200);
    expect(enabled.body).toMatchObject({ status: 'enabled', consecutiveFailures: 0, disabledReason: null });
    await invoice();
    await worker.runOnce();
    expect(receiver.received.at(-1)!.json.type).toBe('commission.created');
  });

  test('retention deletes the strikes of an ended streak, never the current one: its count goes on to the disable', async () => {
    const { id } = await createEndpoint(['commission.created']);
    const { WebhookStrike } = collector.context.models;
    const strikes = async () =>
      (await WebhookStrike.find({ endpointId: id }).lean()).map((strike) => strike._id.split(':').slice(1).join(':'));
    const worker = dispatcher({ disableAfter: 3 });
    await invoice();
    receiver.answers.push(500);
    await worker.runOnce();
    const [ended] = (await strikes()).map((strike) => strike.split(':')[0]);
    // The retry succeeds: a new streak begins, and two failures count in it.
    await worker.runOnce(later(10 * 60_000));
    await invoice();
    await invoice();
    receiver.answers.push(500, 500);
    await worker.runOnce();
    const current = (await api().get(`/v1/admin/webhooks/${id}`).set(admin).expect(200)).body;
    expect(current).toMatchObject({ status: 'enabled', consecutiveFailures: 2 });
    const [streak] = (await strikes()).filter((strike) => !strike.startsWith(`${ended}:`))[0]!.split(':');
    expect((await strikes()).sort()).toEqual([`${ended}:1`, `${streak}:1`, `${streak}:2`].sort());

    // A year on: every strike is past ASHOP_DELIVERY_LOG_DAYS (those of the endpoints earlier tests deleted go too).
    const yearLater = later(365 * 86_400_000);
    const others = await WebhookStrike.countDocuments({ endpointId: { $ne: id } });
    expect(await purgeWebhookStrikes(collector.context, yearLater)).toBe(1 + others);
    expect((await strikes()).sort()).toEqual([`${streak}:1`, `${streak}:2`]);
    await invoice();
    receiver.answers.push(500);
    await worker.runOnce();
    const disabled = (await api().get(`/v1/admin/webhooks/${id}`).set(admin).expect(200)).body;
    expect(disabled).toMatchObject({ status: 'disabled', consecutiveFailures: 3 });
  });

  test('concurrent failures in three processes are counted exactly: the threshold disables once', async () => {
    const { id } = await createEndpoint(['commission.created']);
    for (let i = 0; i < 4; i++) await invoice();
    receiver.answers.push(500, 500, 500, 500);
    // Forced interleaving: every failed attempt waits until all four have failed and read the
    // endpoint, so all four count at once (a read-modify-write counter would lose some).
    let arrived = 0;
    let allArrived!: () => void;
    const together = new Promise<void>((done) => (allArrived = done));
    const beforeCount = async () => {
      arrived += 1;
      if (arrived === 4) allArrived();
      await together;
    };
    const connections = await Promise.all([1, 2, 3].map(() => openConnection(engineUri(), db.name)));
    try {
      const workers = connections.map((connection) =>
        createWebhookDispatcher(
          { models: createModels(connection), logger: collector.context.logger },
          // Each process can hold all four at the gate: with fewer slots, a delivery could wait behind
          // a slot blocked at the gate for it, and the gate would never open.
          { timeoutMs: 2000, disableAfter: 3, beforeCount, concurrency: 4 },
        ),
      );
      await Promise.all(workers.map((worker) => worker.runOnce()));
    } finally {
      await Promise.all(connections.map((connection) => connection.close()));
    }
    expect(arrived).toBe(4);
    const endpoint = (await api().get(`/v1/admin/webhooks/${id}`).set(admin).expect(200)).body;
    expect(endpoint).toMatchObject({ status: 'disabled', disabledReason: '3 failed attempts in a row' });
    const strikes = await collector.context.models.WebhookStrike.find({ endpointId: id }).lean();
    expect(strikes.map((strike) => Number(strike._id.split(':').at(-1))).sort()).toEqual([1, 2, 3, 4]);
    // Enabled by hand: a new streak, counted from 1 again.
    await api().patch(`/v1/admin/webhooks/${id}`).set(admin).send({ status: 'enabled' }).expect(200);
    await invoice();
    receiver.answers.push(500);
    await dispatcher({ disableAfter: 3 }).runOnce();
    expect((await api().get(`/v1/admin/webhooks/${id}`).set(admin).expect(200)).body).toMatchObject({
      status: 'enabled',
      consecutiveFailures: 1,
    });
  });

  test('after a rotation both secrets sign during the grace period; without grace only the new one', async () => {
    const { id, secret: old } = await createEndpoint(['commission.created']);
    const rotated = await api()
      .post(`/v1/admin/webhooks/${id}/rotate-secret`)
      .set(admin)
      .send({ graceHours: 24 })
      .expect(200);
    expect(rotated.body.secret).not.toBe(old);
    await invoice();
    await dispatcher().runOnce();
    const first = receiver.received.at(-1)!;
    expect(verifySignature(first.headers['ashop-signature'], first.body, old)).toBe(true);
    expect(verifySignature(first.headers['ashop-signature'], first.body, rotated.body.secret)).toBe(true);
    const again = await api()
      .post(`/v1/admin/webhooks/${id}/rotate-secret`)
      .set(admin)
      .send({ graceHours: 0 })
      .expect(200);
    await invoice();
    await dispatcher().runOnce();
    const second = receiver.received.at(-1)!;
    expect(verifySignature(second.headers['ashop-signature'], second.body, again.body.secret)).toBe(true);
    expect(verifySignature(second.headers['ashop-signature'], second.body, rotated.body.secret)).toBe(false);
  });
});

describe('several dispatchers', () => {
  test('a dispatcher paused after taking its lease: another one sends nothing for that delivery', async () => {
    await createEndpoint(['commission.created']);
    await invoice();
    let release!: () => void;
    let paused!: () => void;
    const isPaused = new Promise<void>((done) => (paused = done));
    const slow = dispatcher({
      beforeSend: () => {
        paused();
        return new Promise<void>((done) => (release = done));
      },
    });
    const slowPass = slow.runOnce();
    await isPaused;
    const fast = await dispatcher().runOnce();
    expect(fast.attempted).toBe(0);
    expect(receiver.received).toHaveLength(0);
    release();
    await slowPass;
    expect(receiver.received).toHaveLength(1);
  });

  test('three dispatchers on their own connections, many events: each delivered exactly once', async () => {
    await createEndpoint(['commission.created']);
    const connections = await Promise.all([1, 2, 3].map(() => openConnection(engineUri(), db.name)));
    try {
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 8; i++) await invoice(1000 + i);
        const workers = connections.map((connection) =>
          createWebhookDispatcher(
            { models: createModels(connection), logger: collector.context.logger },
            { concurrency: 4 },
          ),
        );
        await Promise.all(workers.map((worker) => worker.runOnce()));
        await Promise.all(workers.map((worker) => worker.runOnce()));
      }
      expect(receiver.received).toHaveLength(24);
      expect(new Set(receiver.received.map((hit) => hit.json.id)).size).toBe(24);
    } finally {
      await Promise.all(connections.map((connection) => connection.close()));
    }
  });
});
