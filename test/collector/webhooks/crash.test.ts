// kill -9 of a collector process between a fact and its delivery, and in the middle of an attempt:
// the event is still delivered, once. Events recorded before their fact (customer.attributed,
// partner.status_changed): killed after the fact, the event is sent; killed before it, nothing is
// sent until the fact exists (a retried signup), and the event is dropped if the fact never comes.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import type { Collector } from '../../../collector/app';
import { webhookEventId } from '../../../collector/domain/webhooks';
import { createWebhookDispatcher } from '../../../collector/services/webhook-dispatcher';
import { testAdminKey, testCollector } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { createTestPartner } from '../../support/partners';
import { startReceiver, verifySignature, type Receiver } from './receiver';

const db = useTestDatabase(__filename);
let collector: Collector;
let receiver: Receiver;
let secret: string;
let endpointId: string;

beforeAll(async () => {
  collector = await testCollector(db.connection());
  receiver = await startReceiver();
  const res = await request(collector.app)
    .post('/v1/admin/webhooks')
    .set({ Authorization: `Bearer ${testAdminKey}` })
    .send({ url: receiver.url, events: ['commission.created', 'customer.attributed', 'partner.status_changed'] })
    .expect(201);
  secret = res.body.secret;
  endpointId = res.body.id;
});
afterAll(async () => {
  await receiver.close();
  await collector.close();
});

/** Runs the child until it prints `line`, then kills it with SIGKILL. */
async function killAfter(line: string, args: string[]): Promise<void> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'crash-child.ts'), ...args], {
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(`${line}\n`)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before "${line}"`)));
  });
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGKILL');
  await exited;
}

async function boundCustomer() {
  const { partnerId } = await createTestPartner(collector);
  const customerId = `cus_${randomUUID()}`;
  await collector.context.models.Customer.create({
    _id: customerId,
    partnerId,
    clickId: randomUUID(),
    boundAt: new Date(),
  });
  return customerId;
}

test('killed right after the fact: another process delivers its event', async () => {
  const eventId = `inv_${randomUUID()}`;
  await killAfter('recorded', ['fact', db.name, await boundCustomer(), eventId]);
  expect(receiver.received).toHaveLength(0);
  await createWebhookDispatcher(collector.context).runOnce();
  expect(receiver.received).toHaveLength(1);
  const [hit] = receiver.received;
  expect(hit!.json.data).toMatchObject({ _id: `commission:${eventId}` });
  expect(verifySignature(hit!.headers['ashop-signature'], hit!.body, secret)).toBe(true);
}, 60_000);

test('killed holding a lease, before sending: the attempt is given up after the lease time and retried', async () => {
  const eventId = `inv_${randomUUID()}`;
  await request(collector.app)
    .post('/v1/revenue')
    .set({ Authorization: 'Bearer test-server-key-0123456789' })
    .send({ eventId, customerId: await boundCustomer(), currency: 'USD', lines: [{ kind: 'plan', amount: 5000 }] })
    .expect(201);
  const before = receiver.received.length;
  await killAfter('leased', ['send', db.name]);
  const survivor = createWebhookDispatcher(collector.context, { leaseMs: 0, retryBaseMs: 1 });
  await survivor.runOnce(); // finds the dead process's lease: attempt 1 counts as failed
  await survivor.runOnce(new Date(Date.now() + 1000));
  expect(receiver.received).toHaveLength(before + 1);
  expect(receiver.received.at(-1)!.json.data).toMatchObject({ _id: `commission:${eventId}` });
  const deliveryId = `${webhookEventId(`commission.created:commission:${eventId}`)}:${endpointId}`;
  const delivery = await collector.context.models.WebhookDelivery.findById(deliveryId).lean();
  expect(delivery!.log.map((entry) => entry.statusCode ?? entry.error)).toEqual([
    'abandoned: the process sending it stopped',
    200,
  ]);
}, 60_000);

/** A partner with an active coupon code, for signups the child makes. */
async function partnerWithCoupon() {
  const { partnerId } = await createTestPartner(collector);
  const code = `CRASH${randomUUID().slice(0, 8)}`;
  await request(collector.app)
    .post('/v1/admin/coupons')
    .set({ Authorization: `Bearer ${testAdminKey}` })
    .send({ code, partnerId })
    .expect(201);
  return { partnerId, code };
}

const sentOf = (type: string, matches: (data: Record<string, unknown>) => boolean) =>
  receiver.received.filter((hit) => hit.json.type === type && matches(hit.json.data as Record<string, unknown>));

test('customer.attributed: killed right after the binding, the event is still sent', async () => {
  const { partnerId, code } = await partnerWithCoupon();
  const customerId = `cus_${randomUUID()}`;
  await killAfter('paused', ['signup', db.name, customerId, code, 'signup:bound']);
  expect(await collector.context.models.Customer.exists({ _id: customerId })).toBeTruthy();
  await createWebhookDispatcher(collector.context).runOnce();
  const sent = sentOf('customer.attributed', (data) => data.customerId === customerId);
  expect(sent.map((hit) => hit.json.data)).toEqual([
    expect.objectContaining({ customerId, partnerId, method: 'coupon', couponCode: code.toLowerCase() }),
  ]);
}, 60_000);

test('customer.attributed: killed before the binding, nothing is sent until the retried signup binds; then once', async () => {
  const { partnerId, code } = await partnerWithCoupon();
  const customerId = `cus_${randomUUID()}`;
  await killAfter('paused', ['signup', db.name, customerId, code, 'signup:event-recorded']);
  expect(await collector.context.models.Customer.exists({ _id: customerId })).toBeNull();
  const dispatcher = createWebhookDispatcher(collector.context);
  expect(await dispatcher.runOnce()).toMatchObject({ fannedOut: 0 });
  expect(sentOf('customer.attributed', (data) => data.customerId === customerId)).toEqual([]);
  // The client retries the signup (it never got an answer).
  await request(collector.app)
    .post('/v1/signups')
    .set({ Authorization: 'Bearer test-server-key-0123456789' })
    .send({ customerId, couponCode: code })
    .expect(201);
  await dispatcher.runOnce();
  await dispatcher.runOnce();
  expect(sentOf('customer.attributed', (data) => data.customerId === customerId).map((hit) => hit.json.data)).toEqual([
    expect.objectContaining({ customerId, partnerId, method: 'coupon' }),
  ]);
}, 60_000);

test('partner.status_changed: killed after the status is set it is sent; killed before, it is dropped', async () => {
  const { models } = collector.context;
  const disabled = await createTestPartner(collector);
  await killAfter('paused', ['status', db.name, disabled.partnerId, 'partner.disable:status-set']);
  const untouched = await createTestPartner(collector);
  await killAfter('paused', ['status', db.name, untouched.partnerId, 'partner.status:event-recorded']);
  expect((await models.Partner.findById(untouched.partnerId).lean())!.status).toBe('active');
  // The second child's event waits for a status change that never happened; after the wait it is dropped.
  await createWebhookDispatcher(collector.context, { factWaitMs: 0 }).runOnce(new Date(Date.now() + 1000));
  const sent = sentOf('partner.status_changed', (data) =>
    [disabled.partnerId, untouched.partnerId].includes(data.partnerId as string),
  );
  expect(sent.map((hit) => hit.json.data)).toEqual([
    { partnerId: disabled.partnerId, from: 'active', to: 'disabled', reason: 'crash test' },
  ]);
  expect(await models.WebhookEvent.countDocuments()).toBe(0);
}, 60_000);
