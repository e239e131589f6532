// Partner notification emails over a real SMTP server: a new attributed signup, a customer's first
// paid invoice, a payout sent and a status change; each once per fact (replays and concurrent
// duplicates included), only while the partner's preference is on, with an unsubscribe link to
// the site's page and a one-click `List-Unsubscribe` header that POSTs to the API.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Collector } from '../../collector/app';
import { changePartnerStatus } from '../../collector/services/partner-status';
import { drainMail, testAdminKey, testCollector, testServerKey } from '../support/collector';
import { useTestDatabase } from '../support/db';
import { addCommission, createTestPartner, day, type TestPartner } from '../support/partners';
import { startSmtpInbox, type SmtpInbox } from '../support/smtp-inbox';

const db = useTestDatabase(__filename);
let collector: Collector;
let inbox: SmtpInbox;

beforeAll(async () => {
  inbox = await startSmtpInbox();
  collector = await testCollector(db.connection(), {
    SMTP_URL: inbox.url,
    ASHOP_PUBLIC_URL: 'http://collector.example',
    ASHOP_SITE_URL: 'http://site.example',
  });
});
afterAll(async () => {
  await collector.close();
  await inbox.close();
});

const api = () => request(collector.app);
const serverKey = { Authorization: `Bearer ${testServerKey}` };
const admin = { Authorization: `Bearer ${testAdminKey}` };

const mailsTo = async (to: string) => {
  await drainMail(collector);
  return inbox.to(to);
};
const change = (partnerId: string, status: 'active' | 'frozen') =>
  changePartnerStatus(collector.context, { partnerId, status, reason: 'test', actor: 'admin:test' });
const setPreference = (partner: TestPartner, kind: string, on: boolean) =>
  api()
    .patch('/v1/me/notifications')
    .set('Authorization', `Bearer ${partner.token}`)
    .send({ [kind]: on })
    .expect(200);

/** A customer bound to the partner by a real click and a server signup. */
async function signupThrough(partner: TestPartner, customerId = `cus_${randomUUID()}`, bid = 'spring') {
  const click = { aid: partner.partnerId, bid, cid: randomUUID(), vid: randomUUID(), url: 'http://site.example/' };
  await api().post('/v1/clicks').set('User-Agent', 'Mozilla/5.0 Chrome/126.0').send(click).expect(202);
  const referral = { v: 1, aid: partner.partnerId, bid, cid: click.cid, vid: click.vid, ts: Date.now() };
  return api().post('/v1/signups').set(serverKey).send({ customerId, referral });
}
const invoiceBody = (customerId: string, eventId = `inv_${randomUUID()}`) => ({
  eventId,
  customerId,
  currency: 'USD',
  occurredAt: '2026-01-15T10:00:00.000Z',
  lines: [{ kind: 'plan', amount: 7900 }],
});
const invoice = (body: ReturnType<typeof invoiceBody>) => api().post('/v1/revenue').set(serverKey).send(body);

describe('status change notifications', () => {
  it('mails a change; the link opens the site page; GET changes nothing, POST (one-click) turns it off', async () => {
    const partner = await createTestPartner(collector);
    await change(partner.partnerId, 'frozen');
    const [mail, ...more] = await mailsTo(partner.email);
    expect(more).toHaveLength(0);
    expect(mail!.subject).toBe('Your Ashop partner account is now frozen');
    expect(mail!.text).toContain('changed from active to frozen');
    const token = /Stop these emails: http:\/\/site\.example\/partners\/unsubscribe\?token=(\S+)/.exec(mail!.text)![1]!;
    const oneClick = /^<http:\/\/collector\.example(\/v1\/partners\/unsubscribe\?token=\S+)>$/.exec(
      mail!.headers.get('list-unsubscribe')!,
    )![1]!;
    expect(oneClick).toBe(`/v1/partners/unsubscribe?token=${token}`);
    expect(mail!.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    // A scanner prefetching the link (the site page reads this) unsubscribes nobody.
    for (let i = 0; i < 2; i++) await api().get(oneClick).expect(200, { kind: 'statusChange', subscribed: true });
    // What a mail client's one-click button sends (RFC 8058): a form POST.
    await api()
      .post(oneClick)
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(200, { unsubscribed: 'statusChange' });
    await api().get(oneClick).expect(200, { kind: 'statusChange', subscribed: false });
    const settings = await api().get('/v1/me/settings').set('Authorization', `Bearer ${partner.token}`).expect(200);
    expect(settings.body.notifications).toMatchObject({ statusChange: false, payoutSent: true });
    await change(partner.partnerId, 'active');
    expect(await mailsTo(partner.email)).toHaveLength(1);
  });

  it('refuses a forged or altered unsubscribe token', async () => {
    const partner = await createTestPartner(collector);
    const other = await createTestPartner(collector);
    await change(partner.partnerId, 'frozen');
    const [mail] = await mailsTo(partner.email);
    const token = decodeURIComponent(/token=(\S+)/.exec(mail!.text)![1]!);
    const [, kind, mac] = token.split('.');
    for (const bad of [`${other.partnerId}.${kind}.${mac}`, `${partner.partnerId}.payoutSent.${mac}`, 'garbage']) {
      for (const method of ['get', 'post'] as const) {
        const res = await api()[method]('/v1/partners/unsubscribe').query({ token: bad }).expect(400);
        expect(res.headers['content-type']).toMatch(/problem\+json/);
      }
    }
    await api().post('/v1/partners/unsubscribe').expect(400);
    const stored = await collector.context.models.Partner.findById(partner.partnerId).lean();
    expect(stored!.notifications?.statusChange).not.toBe(false);
  });
});

describe('new attributed signup', () => {
  it('mails the partner once per customer (a replayed signup mails nothing), with the banner', async () => {
    const partner = await createTestPartner(collector);
    const customerId = `cus_${randomUUID()}`;
    expect((await signupThrough(partner, customerId)).status).toBe(201);
    expect((await signupThrough(partner, customerId)).body).toEqual({ attributed: false, reason: 'already_bound' });
    const mails = await mailsTo(partner.email);
    expect(mails.map((mail) => mail.subject)).toEqual(['A new customer signed up through you']);
    expect(mails[0]!.text).toContain(`Customer ID: ${customerId}`);
    expect(mails[0]!.text).toContain('your link (banner spring)');
    expect(mails[0]!.headers.get('list-unsubscribe')).toMatch(/token=.*newSignup/);
  });

  it('sends nothing while the preference is off', async () => {
    const partner = await createTestPartner(collector);
    await setPreference(partner, 'newSignup', false);
    expect((await signupThrough(partner)).status).toBe(201);
    expect(await mailsTo(partner.email)).toEqual([]);
  });
});

describe('first paid invoice', () => {
  it('mails once for the first invoice, not for replays, concurrent duplicates or later invoices', async () => {
    const partner = await createTestPartner(collector);
    const customerId = `cus_${randomUUID()}`;
    await signupThrough(partner, customerId);
    const first = invoiceBody(customerId);
    const answers = await Promise.all([invoice(first), invoice(first), invoice(first)]);
    expect(answers.map((res) => res.status).sort()).toEqual([200, 200, 201]);
    await invoice(first).expect(200);
    // Two more invoices at once, then none is the first.
    await Promise.all([invoice(invoiceBody(customerId)), invoice(invoiceBody(customerId))]);
    const mails = (await mailsTo(partner.email)).filter((mail) => mail.subject.includes('first invoice'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('A customer you referred paid their first invoice');
    expect(mails[0]!.text).toContain(`customer ${customerId} paid their first invoice on 2026-01-15`);
    expect(mails[0]!.text).toContain('Your commission on it: 19.75 USD');
  });

  it('concurrent first invoices of one customer (different events) mail once', async () => {
    const partner = await createTestPartner(collector);
    const customerId = `cus_${randomUUID()}`;
    await signupThrough(partner, customerId);
    await Promise.all(Array.from({ length: 4 }, () => invoice(invoiceBody(customerId)).expect(201)));
    const mails = (await mailsTo(partner.email)).filter((mail) => mail.subject.includes('first invoice'));
    expect(mails).toHaveLength(1);
  });

  it('with the preference off at the first invoice, no later invoice mails as "first"', async () => {
    const partner = await createTestPartner(collector);
    await setPreference(partner, 'firstInvoice', false);
    const customerId = `cus_${randomUUID()}`;
    await signupThrough(partner, customerId);
    await invoice(invoiceBody(customerId)).expect(201);
    await setPreference(partner, 'firstInvoice', true);
    await invoice(invoiceBody(customerId)).expect(201);
    expect((await mailsTo(partner.email)).filter((mail) => mail.subject.includes('first invoice'))).toEqual([]);
  });
});

describe('payout sent', () => {
  const asOf = new Date(Date.now() - day);
  const fundPartner = async (partner: TestPartner) =>
    addCommission(collector, partner.partnerId, 15000, new Date(asOf.getTime() - 130 * day));

  it('mails each paid item once (a repeated completion mails nothing), not failed items or opted-out partners', async () => {
    const paid = await createTestPartner(collector);
    const failed = await createTestPartner(collector);
    const quiet = await createTestPartner(collector);
    for (const partner of [paid, failed, quiet]) await fundPartner(partner);
    await setPreference(quiet, 'payoutSent', false);
    const run = await api().post('/v1/admin/payouts').set(admin).send({ asOf: asOf.toISOString() }).expect(201);
    const payoutId = run.body.payoutId as string;
    expect(await mailsTo(paid.email)).toEqual([]); // a run is not a payment
    for (let i = 0; i < 2; i++)
      await api()
        .post(`/v1/admin/payouts/${payoutId}/complete`)
        .set(admin)
        .send({ failed: [failed.partnerId] })
        .expect(200);
    const mails = await mailsTo(paid.email);
    expect(mails.map((mail) => mail.subject)).toEqual(['Your Ashop commission payout of 150.00 USD was sent']);
    expect(mails[0]!.text).toContain(`via PayPal to paypal-${paid.email} (payout ${payoutId})`);
    expect(await mailsTo(failed.email)).toEqual([]);
    expect(await mailsTo(quiet.email)).toEqual([]);
  });
});
