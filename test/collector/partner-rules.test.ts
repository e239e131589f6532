// Pure rules of issue 5: payout decisions and PayPal formats, CSV, partner IDs, day ranges,
// banner HTML, passwords and one-time tokens.
import { bannerHtml, bannerLink } from '../../collector/domain/banner-html';
import { csvField, csvRows, toCsv } from '../../collector/domain/csv';
import { dayRangeSchema, eachDay } from '../../collector/domain/day-range';
import { generatePartnerId, partnerIdAlphabet } from '../../collector/domain/partner-id';
import { decidePayout, paypalMassPaymentCsv, paypalPayoutsRequest, type Batch } from '../../collector/domain/payout';
import { issueToken, parseToken, tokenMatches } from '../../collector/auth/one-time-tokens';
import { hashPassword, verifyPassword } from '../../collector/auth/passwords';

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

describe('CSV (RFC 4180)', () => {
  it('quotes commas, quotes and line breaks; CRLF line ends', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05.000Z');
    expect(toCsv(['a', 'b'], [[1, 'x,y']])).toBe('a,b\r\n1,"x,y"\r\n');
    expect(csvRows([])).toBe('');
  });

  it('spreadsheet-safe mode defuses formulas but not numbers', () => {
    const safe = { spreadsheetSafe: true };
    expect(csvField('=SUM(A1)', safe)).toBe("'=SUM(A1)");
    expect(csvField('@cmd', safe)).toBe("'@cmd");
    expect(csvField('+1 555', safe)).toBe("'+1 555");
    expect(csvField('-12.50', safe)).toBe('-12.50');
    expect(csvField(-5, safe)).toBe('-5');
    expect(csvField('=a,b', safe)).toBe(`"'=a,b"`);
  });
});

describe('partner IDs', () => {
  it('are 10 typeable characters of the link charset, without look-alikes, and random', () => {
    const ids = new Set(Array.from({ length: 2000 }, generatePartnerId));
    expect(ids.size).toBe(2000);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(id).toHaveLength(10);
      expect([...id].every((char) => partnerIdAlphabet.includes(char))).toBe(true);
    }
    expect(partnerIdAlphabet).not.toMatch(/[01ilo]/);
  });
});

describe('day ranges', () => {
  const schema = dayRangeSchema(() => new Date('2026-11-24T15:00:00Z'));

  it('defaults to the 30 days ending today (UTC)', () => {
    expect(schema.parse({})).toEqual({ from: '2026-10-26', to: '2026-11-24' });
    expect(schema.parse({ to: '2026-03-31' })).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    expect(schema.parse({ from: '2026-03-01' })).toEqual({ from: '2026-03-01', to: '2026-03-30' });
    expect(eachDay({ from: '2026-02-27', to: '2026-03-01' })).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });

  it('refuses bad dates, reversed and too long ranges', () => {
    expect(schema.safeParse({ from: '2026-02-29' }).success).toBe(false);
    expect(schema.safeParse({ from: '2026-3-1' }).success).toBe(false);
    expect(schema.safeParse({ from: '2026-03-02', to: '2026-03-01' }).success).toBe(false);
    expect(schema.safeParse({ from: '2025-01-01', to: '2026-01-01' }).success).toBe(true); // 366 days
    expect(schema.safeParse({ from: '2025-01-01', to: '2026-01-02' }).success).toBe(false);
  });
});

describe('banner HTML', () => {
  const banner = {
    _id: 'sum_1',
    name: 'x',
    imageUrl: '/b.png',
    width: 728,
    height: 90,
    targetPath: '/pricing?plan=pro',
    altText: '<Ashop> & "you"',
  };

  it('links with a_aid and a_bid in the hash, keeps the target query, escapes everything', () => {
    expect(bannerLink('https://ashop.example', 'abc', banner)).toBe(
      'https://ashop.example/pricing?plan=pro#a_aid=abc&a_bid=sum_1',
    );
    expect(bannerHtml('https://ashop.example', 'abc', banner)).toBe(
      '<a href="https://ashop.example/pricing?plan=pro#a_aid=abc&amp;a_bid=sum_1" rel="sponsored">' +
        '<img src="https://ashop.example/b.png" width="728" height="90" alt="&lt;Ashop&gt; &amp; &quot;you&quot;"></a>',
    );
  });
});

describe('passwords and one-time tokens', () => {
  it('hashes with scrypt and a salt per password; verifies in constant time; rejects malformed hashes', async () => {
    const [one, two] = await Promise.all([hashPassword('secret password'), hashPassword('secret password')]);
    expect(one).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(one).not.toBe(two);
    expect(await verifyPassword('secret password', one)).toBe(true);
    expect(await verifyPassword('secret passwore', one)).toBe(false);
    expect(await verifyPassword('secret password', 'plain')).toBe(false);
    expect(await verifyPassword('secret password', one.replace('scrypt', 'md5'))).toBe(false);
  });

  it('issues tokens that name the account and match only their own hash', () => {
    const issued = issueToken('abc123');
    const parsed = parseToken(issued.token)!;
    expect(parsed.accountId).toBe('abc123');
    expect(tokenMatches(parsed.secret, issued.hash)).toBe(true);
    expect(tokenMatches(parsed.secret, issueToken('abc123').hash)).toBe(false);
    expect(tokenMatches(parsed.secret, undefined)).toBe(false);
    expect(parseToken('no-dot')).toBeUndefined();
    expect(parseToken('.x')).toBeUndefined();
  });
});
