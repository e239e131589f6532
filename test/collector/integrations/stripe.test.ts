// The Stripe adapter end to end: events built and signed as Stripe does (the `stripe` package's own
// test helper), each delivered twice, with the ledger checked after.
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import request from 'supertest';
import type { Collector } from '../../../collector/app';
import { testCollector } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { createTestPartner } from '../../support/partners';
import { browserUa, clickBody, referralOf } from '../tracking/fixtures';

const db = useTestDatabase(__filename);
const secret = 'whsec_test_0123456789abcdef';
const path = '/v1/integrations/stripe/webhook';
const unix = (date: Date) => Math.floor(date.getTime() / 1000);
const stripeId = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`;

describe('Stripe billing adapter', () => {
  let collector: Collector;
  beforeAll(async () => {
    collector = await testCollector(db.connection(), { ASHOP_STRIPE_WEBHOOK_SECRET: secret });
  });
  afterAll(() => collector.close());

  function eventOf(type: string, object: Record<string, unknown>, previous?: Record<string, unknown>) {
    return {
      id: stripeId('evt'),
      object: 'event',
      api_version: '2024-06-20',
      created: unix(new Date()),
      livemode: false,
      type,
      data: { object, ...(previous ? { previous_attributes: previous } : {}) },
    };
  }

  function send(event: object, options: { secret?: string; app?: Collector['app'] } = {}) {
    const payload = JSON.stringify(event);
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? secret });
    return request(options.app ?? collector.app)
      .post(path)
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', header)
      .send(payload);
  }

  /** Delivers the event twice (Stripe retries); the second answer is the first one, marked duplicate. */
  async function deliverTwice(event: object) {
    const first = await send(event).expect(200);
    const second = await send(event).expect(200);
    expect(first.body.duplicate).toBe(false);
    expect(second.body).toEqual({ ...first.body, duplicate: true });
    return first.body as Record<string, unknown>;
  }

  /** A Stripe customer created with the referral of a fresh click, bound through customer.created. */
  async function referredCustomer() {
    const { partnerId } = await createTestPartner(collector);
    const clicked = clickBody(partnerId);
    await request(collector.app).post('/v1/clicks').set('User-Agent', browserUa).send(clicked).expect(202);
    const customerId = stripeId('cus');
    const cookie = encodeURIComponent(JSON.stringify(referralOf(clicked)));
    const outcome = await deliverTwice(
      eventOf('customer.created', {
        id: customerId,
        object: 'customer',
        email: `${customerId}@buyer.example`,
        created: unix(new Date()),
        metadata: { ashop_ref: cookie },
      }),
    );
    expect(outcome).toMatchObject({ action: 'signup', customerId, attributed: true, partnerId });
    return { partnerId, customerId };
  }

  function invoiceObject(customerId: string, lines: Array<Record<string, unknown>>, extra = {}) {
    return {
      id: stripeId('in'),
      object: 'invoice',
      customer: customerId,
      currency: 'usd',
      created: unix(new Date('2026-03-01T10:00:00Z')),
      status: 'paid',
      status_transitions: { paid_at: unix(new Date('2026-03-01T10:05:00Z')) },
      lines: { object: 'list', has_more: false, data: lines.map((line) => ({ object: 'line_item', ...line })) },
      ...extra,
    };
  }

  const ledgerOf = (partnerId: string) =>
    collector.context.models.LedgerEntry.find({ partnerId }).sort({ createdAt: 1 }).lean();

  test('without ASHOP_STRIPE_WEBHOOK_SECRET the endpoint is off and says so', async () => {
    const off = await testCollector(db.connection());
    const res = await send(eventOf('customer.created', { id: 'cus_x' }), { app: off.app }).expect(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(/ASHOP_STRIPE_WEBHOOK_SECRET/);
    await off.close();
  });

  test('a wrong, missing or stale signature is 400 problem+json and records nothing', async () => {
    const event = eventOf('customer.created', { id: stripeId('cus'), metadata: {} });
    const wrong = await send(event, { secret: 'whsec_another_secret_000000' }).expect(400);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(wrong.body.type).toBe('/problems/invalid-stripe-signature');
    await request(collector.app)
      .post(path)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(event))
      .expect(400);
    const payload = JSON.stringify(event);
    const stale = Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: unix(new Date()) - 3600 });
    await request(collector.app)
      .post(path)
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', stale)
      .send(payload)
      .expect(400);
    // A body changed after signing (here: re-serialized with other spacing) does not verify either.
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret });
    await request(collector.app)
      .post(path)
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', header)
      .send(JSON.stringify(event, null, 1))
      .expect(400);
    expect(await collector.context.models.StripeEvent.exists({ _id: event.id })).toBeNull();
  });

  test('customer.created with metadata.ashop_ref binds the Stripe customer to the partner, once', async () => {
    const { partnerId, customerId } = await referredCustomer();
    const customer = await collector.context.models.Customer.findById(customerId).lean();
    expect(customer).toMatchObject({ partnerId, email: `${customerId}@buyer.example` });
  });

  test('checkout.session.completed binds the session customer by client_reference_id', async () => {
    const { partnerId } = await createTestPartner(collector);
    const clicked = clickBody(partnerId);
    await request(collector.app).post('/v1/clicks').set('User-Agent', browserUa).send(clicked).expect(202);
    const customerId = stripeId('cus');
    const outcome = await deliverTwice(
      eventOf('checkout.session.completed', {
        id: stripeId('cs'),
        object: 'checkout.session',
        customer: customerId,
        customer_details: { email: 'checkout@buyer.example' },
        client_reference_id: JSON.stringify(referralOf(clicked)),
        metadata: {},
        created: unix(new Date()),
      }),
    );
    expect(outcome).toMatchObject({ action: 'signup', customerId, attributed: true, partnerId });
  });

  test('a customer without a referral is ignored (200)', async () => {
    const outcome = await deliverTwice(
      eventOf('customer.created', { id: stripeId('cus'), object: 'customer', email: null, metadata: {} }),
    );
    expect(outcome).toMatchObject({ action: 'ignore', reason: 'no-referral' });
  });

  test('invoice.paid: one line per invoice line, kinds from line, price or product metadata', async () => {
    const { partnerId, customerId } = await referredCustomer();
    const stripeInvoice = invoiceObject(customerId, [
      { amount: 7900, metadata: {}, price: { id: 'price_plan', metadata: {}, product: 'prod_plan' } },
      { amount: 2000, metadata: { ashop_kind: 'app' } },
      {
        amount: 30000,
        metadata: {},
        price: { id: 'price_design', metadata: {}, product: { id: 'prod_design', metadata: { ashop_kind: 'design' } } },
      },
      { amount: 500, metadata: {}, price: { id: 'price_seo', metadata: { ashop_kind: 'seo' } } },
    ]);
    const outcome = await deliverTwice(eventOf('invoice.paid', stripeInvoice));
    // 25% of the plan (default kind) and app lines: 9900 → 2475.
    expect(outcome).toMatchObject({ action: 'invoice', invoiceId: stripeInvoice.id, commission: 2475 });
    const recorded = await collector.context.models.RevenueEvent.findById(stripeInvoice.id).lean();
    expect(recorded).toMatchObject({
      customerId,
      partnerId,
      currency: 'USD',
      total: 40400,
      lines: [
        { kind: 'plan', amount: 7900 },
        { kind: 'app', amount: 2000 },
        { kind: 'design', amount: 30000 },
        { kind: 'seo', amount: 500 },
      ],
    });
    expect(recorded!.occurredAt.toISOString()).toBe('2026-03-01T10:05:00.000Z');
    // Another event about the same invoice (Stripe sends one per event type) adds nothing.
    const again = await deliverTwice(eventOf('invoice.paid', stripeInvoice));
    expect(again).toMatchObject({ invoiceId: stripeInvoice.id, recordedBefore: true });
    const ledger = await ledgerOf(partnerId);
    expect(ledger.map(({ _id, amount }) => ({ _id, amount }))).toEqual([
      { _id: `commission:${stripeInvoice.id}`, amount: 2475 },
    ]);
  });

  test('invoice.paid in another currency is 422 and records nothing', async () => {
    const { customerId } = await referredCustomer();
    const stripeInvoice = { ...invoiceObject(customerId, [{ amount: 1000, metadata: {} }]), currency: 'eur' };
    const res = await send(eventOf('invoice.paid', stripeInvoice)).expect(422);
    expect(res.body.type).toBe('/problems/currency-mismatch');
    expect(await collector.context.models.RevenueEvent.exists({ _id: stripeInvoice.id })).toBeNull();
  });

  test('charge.refunded naming its invoice and listing its refunds reverses commission pro rata', async () => {
    const { partnerId, customerId } = await referredCustomer();
    const chargeId = stripeId('ch');
    const stripeInvoice = invoiceObject(customerId, [{ amount: 10000, metadata: {} }], { charge: chargeId });
    await deliverTwice(eventOf('invoice.paid', stripeInvoice));
    const refundId = stripeId('re');
    const outcome = await deliverTwice(
      eventOf('charge.refunded', {
        id: chargeId,
        object: 'charge',
        currency: 'usd',
        invoice: stripeInvoice.id,
        amount: 10000,
        amount_refunded: 4000,
        refunded: false,
        refunds: { object: 'list', data: [{ id: refundId, amount: 4000, status: 'succeeded' }] },
      }),
    );
    expect(outcome).toMatchObject({
      action: 'refunds',
      invoiceId: stripeInvoice.id,
      refunds: [{ eventId: refundId, amount: 4000, commissionReversed: 1000 }],
    });
    expect((await ledgerOf(partnerId)).map(({ _id, amount }) => ({ _id, amount }))).toEqual([
      { _id: `commission:${stripeInvoice.id}`, amount: 2500 },
      { _id: `reversal:${refundId}`, amount: -1000 },
    ]);
  });

  test('charge.refunded of newer API versions: invoice found by payment intent, step from previous_attributes', async () => {
    const { partnerId, customerId } = await referredCustomer();
    const paymentIntent = stripeId('pi');
    const stripeInvoice = invoiceObject(customerId, [{ amount: 10000, metadata: {} }], {
      payments: { object: 'list', data: [{ payment: { type: 'payment_intent', payment_intent: paymentIntent } }] },
    });
    await deliverTwice(eventOf('invoice.paid', stripeInvoice));
    const chargeId = stripeId('ch');
    const charge = (refunded: number) => ({
      id: chargeId,
      object: 'charge',
      currency: 'usd',
      payment_intent: paymentIntent,
      amount: 10000,
      amount_refunded: refunded,
      refunded: refunded === 10000,
    });
    await deliverTwice(eventOf('charge.refunded', charge(2000), { amount_refunded: 0 }));
    const rest = await deliverTwice(
      eventOf('charge.refunded', charge(10000), { amount_refunded: 2000, refunded: false }),
    );
    expect(rest).toMatchObject({ refunds: [{ eventId: `${chargeId}:refunded:10000`, amount: 8000 }] });
    const ledger = await ledgerOf(partnerId);
    expect(ledger.map(({ _id, amount }) => ({ _id, amount }))).toEqual([
      { _id: `commission:${stripeInvoice.id}`, amount: 2500 },
      { _id: `reversal:${chargeId}:refunded:2000`, amount: -500 },
      { _id: `reversal:${chargeId}:refunded:10000`, amount: -2000 },
    ]);
  });

  test('credit_note.created is a refund of its invoice, keyed by the credit note ID', async () => {
    const { partnerId, customerId } = await referredCustomer();
    const stripeInvoice = invoiceObject(customerId, [{ amount: 8000, metadata: { ashop_kind: 'app' } }]);
    await deliverTwice(eventOf('invoice.paid', stripeInvoice));
    const noteId = stripeId('cn');
    const outcome = await deliverTwice(
      eventOf('credit_note.created', {
        id: noteId,
        object: 'credit_note',
        invoice: stripeInvoice.id,
        currency: 'usd',
        subtotal: 2000,
        total_excluding_tax: 2000,
        total: 2400,
      }),
    );
    expect(outcome).toMatchObject({ invoiceId: stripeInvoice.id, refunds: [{ eventId: noteId, amount: 2000 }] });
    expect((await ledgerOf(partnerId)).map(({ _id, amount }) => ({ _id, amount }))).toEqual([
      { _id: `commission:${stripeInvoice.id}`, amount: 2000 },
      { _id: `reversal:${noteId}`, amount: -500 },
    ]);
  });

  test('a refund of an invoice not recorded yet is 422, so Stripe retries it after the invoice', async () => {
    const { customerId } = await referredCustomer();
    const stripeInvoice = invoiceObject(customerId, [{ amount: 8000, metadata: {} }]);
    const note = eventOf('credit_note.created', {
      id: stripeId('cn'),
      invoice: stripeInvoice.id,
      currency: 'usd',
      subtotal: 8000,
    });
    await send(note).expect(422);
    await deliverTwice(eventOf('invoice.paid', stripeInvoice));
    expect(await deliverTwice(note)).toMatchObject({ refunds: [{ amount: 8000, commissionReversed: 2000 }] });
  });

  test('events the program does not use are answered 200 and ignored', async () => {
    const outcome = await deliverTwice(eventOf('payment_intent.created', { id: stripeId('pi') }));
    expect(outcome).toMatchObject({ action: 'ignore', reason: 'event-type-not-used' });
  });

  test('a mapped event whose object is unreadable is 422 naming the field', async () => {
    const res = await send(eventOf('invoice.paid', { id: stripeId('in'), currency: 'usd' })).expect(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('data.object.lines');
  });

  test('concurrent deliveries of one invoice event write one commission', async () => {
    const { partnerId, customerId } = await referredCustomer();
    const event = eventOf('invoice.paid', invoiceObject(customerId, [{ amount: 4000, metadata: {} }]));
    const answers = await Promise.all([send(event), send(event), send(event)]);
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200]);
    expect(await ledgerOf(partnerId)).toHaveLength(1);
  });
});
