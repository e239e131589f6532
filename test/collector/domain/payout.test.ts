// Payout decisions (who is paid, why others are withheld) and the two PayPal formats of a batch.
import { decidePayout, paypalMassPaymentCsv, paypalPayoutsRequest, type Batch } from '../../../collector/domain/payout';

const entry = (id: string, amount: number, kind: 'commission' | 'reversal' | 'clawback' = 'commission') => ({
  _id: id,
  kind,
  amount,
  availableAt: new Date('2026-01-01T00:00:00Z'),
});

describe('decidePayout', () => {
  const active = { status: 'active' as const, payoutEmail: 'p@paypal.example' };

  it('pays the whole available balance at or above the minimum, with the entry ids', () => {
    expect(decidePayout(active, [entry('c1', 6000), entry('c2', 5000), entry('r1', -1000, 'reversal')], 10000)).toEqual(
      {
        pay: true,
        amount: 10000,
        entryIds: ['c1', 'c2', 'r1'],
      },
    );
  });

  it('withholds below the minimum, and negative balances after a clawback', () => {
    expect(decidePayout(active, [entry('c1', 9999)], 10000)).toEqual({
      pay: false,
      balance: 9999,
      reason: 'below-minimum',
    });
    expect(decidePayout(active, [entry('k1', -500, 'clawback')], 10000)).toEqual({
      pay: false,
      balance: -500,
      reason: 'below-minimum',
    });
  });

  it('gives the status reason first, then the missing payout email', () => {
    const big = [entry('c1', 50000)];
    expect(decidePayout({ ...active, status: 'disabled' }, big, 10000)).toMatchObject({ reason: 'disabled' });
    expect(decidePayout({ ...active, status: 'frozen' }, big, 10000)).toMatchObject({ reason: 'frozen' });
    expect(decidePayout({ ...active, status: 'pending' }, big, 10000)).toMatchObject({ reason: 'unconfirmed' });
    expect(decidePayout({ status: 'active', payoutEmail: null }, big, 10000)).toMatchObject({
      reason: 'no-payout-email',
      balance: 50000,
    });
  });
});

describe('PayPal formats', () => {
  const batch: Batch = {
    payoutId: 'po_20261201_abcd',
    currency: 'USD',
    asOf: new Date('2026-12-01T00:00:00Z'),
    items: [
      { partnerId: 'p1', amount: 10000, payoutEmail: 'one@paypal.example' },
      { partnerId: 'p2', amount: 123456789, payoutEmail: 'two,"x"@paypal.example' },
    ],
  };

  it('mass payment CSV: email, decimal amount, currency, item id, note; no header; quoted where needed', () => {
    const lines = paypalMassPaymentCsv(batch).split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      'one@paypal.example,100.00,USD,p1,Ashop Partner Program commissions available by 2026-12-01 (batch po_20261201_abcd)',
    );
    expect(lines[1]).toMatch(/^"two,""x""@paypal\.example",1234567\.89,USD,p2,/);
    expect(lines[2]).toBe('');
  });

  it('Payouts API body with exact decimal strings', () => {
    const body = paypalPayoutsRequest(batch);
    expect(body.sender_batch_header).toMatchObject({ sender_batch_id: 'po_20261201_abcd' });
    expect(body.items).toEqual([
      {
        recipient_type: 'EMAIL',
        amount: { value: '100.00', currency: 'USD' },
        receiver: 'one@paypal.example',
        note: expect.any(String),
        sender_item_id: 'p1',
      },
      {
        recipient_type: 'EMAIL',
        amount: { value: '1234567.89', currency: 'USD' },
        receiver: 'two,"x"@paypal.example',
        note: expect.any(String),
        sender_item_id: 'p2',
      },
    ]);
  });
});
