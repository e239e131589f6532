import { DomainError } from '../../../collector/domain/errors';
import { stripeActionOf, type StripeEventLike } from '../../../collector/domain/stripe';

const event = (type: string, object: Record<string, unknown>, previous?: object): StripeEventLike => ({
  id: 'evt_1',
  type,
  created: 1_780_000_000,
  data: { object, ...(previous ? { previous_attributes: previous } : {}) },
});
const invoice = (lines: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) =>
  event('invoice.paid', {
    id: 'in_1',
    customer: { id: 'cus_1', object: 'customer' },
    currency: 'usd',
    created: 1_780_000_000,
    lines: { data: lines, has_more: false },
    ...extra,
  });
const linesOf = (e: StripeEventLike) => {
  const action = stripeActionOf(e, 'plan');
  if (action.kind !== 'invoice') throw new Error(`not an invoice: ${JSON.stringify(action)}`);
  return action.lines;
};

describe('Stripe events → program actions', () => {
  test('line amounts are net of their discounts; the kind falls back to the default', () => {
    expect(linesOf(invoice([{ amount: 10000, discount_amounts: [{ amount: 2000 }, { amount: 500 }] }]))).toEqual([
      { kind: 'plan', amount: 7500 },
    ]);
  });

  test('the line metadata wins over the price, the price over the product (newer pricing shape too)', () => {
    const product = { id: 'prod', metadata: { ashop_kind: 'design' } };
    expect(
      linesOf(
        invoice([
          { amount: 1, metadata: { ashop_kind: 'app' }, price: { metadata: { ashop_kind: 'seo' }, product } },
          { amount: 2, price: { metadata: { ashop_kind: 'seo' }, product } },
          { amount: 3, price: { metadata: {}, product } },
          { amount: 4, pricing: { price_details: { price: 'price_1', product } } },
        ]),
      ),
    ).toEqual([
      { kind: 'app', amount: 1 },
      { kind: 'seo', amount: 2 },
      { kind: 'design', amount: 3 },
      { kind: 'design', amount: 4 },
    ]);
  });

  test('credits (negative lines) are netted per kind; a kind netted to nothing is dropped', () => {
    expect(
      linesOf(
        invoice([
          { amount: 5000 },
          { amount: -2000 },
          { amount: 800, metadata: { ashop_kind: 'app' } },
          { amount: -800, metadata: { ashop_kind: 'app' } },
        ]),
      ),
    ).toEqual([{ kind: 'plan', amount: 3000 }]);
  });

  test('lines beyond the page the event carries become one line of the default kind', () => {
    const e = invoice([{ amount: 1000, metadata: { ashop_kind: 'app' } }], { total_excluding_tax: 4000 });
    (e.data.object as { lines: { has_more: boolean } }).lines.has_more = true;
    expect(linesOf(e)).toEqual([
      { kind: 'app', amount: 1000 },
      { kind: 'plan', amount: 3000 },
    ]);
  });

  test('a zero invoice (a trial) is ignored; an unusable ashop_kind is refused', () => {
    expect(stripeActionOf(invoice([{ amount: 0 }]), 'plan')).toEqual({ kind: 'ignore', reason: 'nothing-paid' });
    expect(() => stripeActionOf(invoice([{ amount: 10, metadata: { ashop_kind: 'Plan!' } }]), 'plan')).toThrow(
      DomainError,
    );
  });

  test('charge.refunded without a refund list and without the previous amount: only a full refund is usable', () => {
    const charge = { id: 'ch_1', currency: 'usd', invoice: 'in_1', amount_refunded: 500 };
    expect(stripeActionOf(event('charge.refunded', { ...charge, refunded: false }), 'plan')).toEqual({
      kind: 'ignore',
      reason: 'partial-refund-without-amount',
    });
    expect(stripeActionOf(event('charge.refunded', { ...charge, refunded: true }), 'plan')).toMatchObject({
      kind: 'refunds',
      invoiceId: 'in_1',
      refunds: [{ eventId: 'ch_1:refunded:500', amount: undefined }],
    });
  });

  test('failed refunds in the list are not refunds', () => {
    const action = stripeActionOf(
      event('charge.refunded', {
        id: 'ch_1',
        currency: 'usd',
        invoice: { id: 'in_1' },
        amount_refunded: 300,
        refunds: {
          data: [
            { id: 're_1', amount: 300, status: 'succeeded' },
            { id: 're_2', amount: 700, status: 'failed' },
          ],
        },
      }),
      'plan',
    );
    expect(action).toMatchObject({ invoiceId: 'in_1', refunds: [{ eventId: 're_1', amount: 300 }] });
  });
});
