// What a partner checks their money with, in headless Chromium, with mail over a real SMTP server:
// the new-signup and first-invoice emails (once each) with the site's unsubscribe page, which asks
// before it turns anything off; performance per banner and sub-ID with its CSV; statement lines
// with base, rate, refunds and the binding click, paged with "More"; the book of business; the
// balance with its release calendar. Screenshots at desktop and phone width, no sideways scroll.
import type { BrowserContext, Page } from 'playwright-core';
import { addCommission, day } from '../support/partners';
import { startSmtpInbox, type ReceivedMail, type SmtpInbox } from '../support/smtp-inbox';
import {
  eventually,
  logIn,
  operatorLogin,
  readDownload,
  refresh,
  sidewaysOverflow,
  signUpStore,
  snapBoth,
  startDemo,
  type Demo,
  type PartnerAccount,
} from './demo-support';

jest.setTimeout(90_000);

let inbox: SmtpInbox;
let demo: Demo;
let partnerContext: BrowserContext;
let portal: Page;
let pat: PartnerAccount;
let customerId: string;

beforeAll(async () => {
  inbox = await startSmtpInbox();
  demo = await startDemo(__filename, { SMTP_URL: inbox.url });
  partnerContext = await demo.newContext();
  portal = await partnerContext.newPage();
}, 90_000);

afterAll(async () => {
  await demo?.stop();
  await inbox?.close();
});

/** The mail to `address` whose subject matches, once the collector's background sender sent it. */
async function mailTo(address: string, subject: RegExp): Promise<ReceivedMail> {
  const found = await eventually(
    async () => inbox.to(address).filter((mail) => subject.test(mail.subject)),
    (mails) => mails.length > 0,
  );
  if (!found.length) throw new Error(`no mail to ${address} with subject ${subject}`);
  return found[0]!;
}
const today = () => new Date().toISOString().slice(0, 10);
const models = () => demo.collector.collector.context.models;

test('a partner joins (confirmed over SMTP); a store signs up through a banner link: the new-signup email arrives', async () => {
  const email = 'pat@publisher.example';
  pat = { name: 'Pat Publisher', email, password: 'correct horse battery', partnerId: '' };
  await portal.goto(`${demo.siteUrl}/partners/signup`);
  await portal.getByLabel('Name').fill(pat.name);
  await portal.getByLabel('Email', { exact: true }).fill(email);
  await portal.getByLabel('Password').fill(pat.password);
  await portal.getByLabel('PayPal email').fill(email);
  await portal.getByRole('button', { name: 'Create partner account' }).click();
  const created = await portal.locator('form .status.ok').innerText();
  pat.partnerId = /partner ID is ([A-Za-z0-9_-]+)/.exec(created)![1]!;
  const confirm = await mailTo(email, /confirm/i);
  await portal.goto(/(http\S+\/partners\/confirm\?token=\S+)/.exec(confirm.text)![1]!);
  await portal.getByRole('heading', { name: 'Your email is confirmed' }).waitFor();
  await logIn(portal, demo.siteUrl, pat);

  const visitor = await (await demo.newContext()).newPage();
  await visitor.goto(`${demo.siteUrl}/pricing#a_aid=${pat.partnerId}&a_bid=spring&data1=yt`);
  await eventually(
    async () => (await visitor.context().cookies()).some((cookie) => cookie.name === 'ashop_ref'),
    (has) => has,
  );
  customerId = await signUpStore(visitor, demo.siteUrl, 'Tea Garden', 'tea@garden.example');
  await visitor.close();

  const signup = await mailTo(email, /signed up through you/);
  expect(signup.text).toContain(`Customer ID: ${customerId}`);
  expect(signup.text).toContain('your link (banner spring)');
});

test('billing mails the first invoice once; its link opens a page that asks before it unsubscribes', async () => {
  const operator = await (await demo.newContext()).newPage();
  await operatorLogin(operator, demo);
  await operator.getByRole('button', { name: 'Bill this month' }).click();
  await operator.locator('#billing-table tbody tr', { hasText: 'Tea Garden' }).waitFor();
  const mail = await mailTo(pat.email, /first invoice/);
  expect(mail.text).toContain(`customer ${customerId} paid their first invoice`);
  expect(mail.text).toContain('Your commission on it: 22.00 USD');
  expect(mail.headers.get('list-unsubscribe')).toMatch(/^<http:\/\/localhost:\d+\/v1\/partners\/unsubscribe\?token=/);
  expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
  const link = /Stop these emails: (\S+)/.exec(mail.text)![1]!;
  expect(link.startsWith(`${demo.siteUrl}/partners/unsubscribe?token=`)).toBe(true);

  const page = await (await demo.newContext()).newPage();
  await page.goto(link);
  const form = page.locator('form[data-form="unsubscribe"]');
  await form.getByText('We email you when a customer you referred pays a first invoice. Stop these emails?').waitFor();
  // Opening the page (as a mail scanner would) turned nothing off.
  const prefs = async () => (await models().Partner.findById(pat.partnerId).lean())!.notifications;
  expect((await prefs())?.firstInvoice).not.toBe(false);
  await snapBoth(page, 'portal-unsubscribe');
  await page.getByRole('button', { name: 'Stop these emails' }).click();
  await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
  await expect(form.locator('.status.ok').innerText()).resolves.toBe(
    'Done: we no longer email you when a customer you referred pays a first invoice.',
  );
  expect(await prefs()).toMatchObject({ firstInvoice: false });
  await page.reload();
  await form.getByText('Emails when a customer you referred pays a first invoice are already off.').waitFor();
  await page.goto(`${demo.siteUrl}/partners/unsubscribe?token=${pat.partnerId}.newSignup.forged`);
  await page.getByRole('heading', { name: 'This link did not work' }).waitFor();
  await operator.close();
  await page.close();
  expect(inbox.to(pat.email).filter((received) => /first invoice/.test(received.subject))).toHaveLength(1);
});

test('performance per banner and sub-ID over a chosen period, with the CSV of the same rows', async () => {
  const row = portal.locator('#performance-table tbody tr[data-key="spring"]');
  await eventually(
    async () => {
      await refresh(portal);
      return (await row.count()) ? row.innerText() : '';
    },
    (text) => /\$22\.00/.test(text),
  );
  // 1 click, 1 unique, 1 signup, 1 paying customer, 100 % conversion, $22.00 earned, EPC $2,200.00 per 100 clicks.
  await expect(row.innerText()).resolves.toMatch(
    /^spring\s+1\s+1\s+1\s+1\s+100\.00 %\s+\$[\d,.]+\s+\$22\.00\s+\$2,200\.00$/,
  );
  await expect(portal.locator('#performance-period').innerText()).resolves.toMatch(/to \d{4}-\d\d-\d\d \(UTC days/);

  const form = portal.locator('#performance-form');
  await form.getByLabel('Group by').selectOption('data1');
  await form.getByLabel('From').fill(today());
  await form.getByRole('button', { name: 'Show' }).click();
  await portal.locator('#performance-table tbody tr[data-key="yt"]').waitFor();
  await expect(portal.locator('#performance-key').textContent()).resolves.toBe('Sub-ID data1');
  const [download] = await Promise.all([
    portal.waitForEvent('download'),
    portal.getByRole('button', { name: 'Download performance CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`ashop-performance-data1-${today()}-${today()}.csv`);
  const lines = (await readDownload(download)).trim().split('\r\n');
  expect(lines[0]).toBe(
    'data1,clicks,unique_clicks,signups,paying_customers,conversion_rate_percent,revenue,earnings,epc_per_100_clicks,currency',
  );
  expect(lines[1]).toMatch(/^yt,1,1,1,1,100\.00,[\d.]+,22\.00,2200\.00,USD$/);
  await snapBoth(portal, 'portal-performance');
});

test('statement lines (base, rate, refunds, binding click) paged with More; customers; release calendar', async () => {
  const line = portal.locator('#commissions tbody tr').first();
  await expect(line.innerText()).resolves.toMatch(
    new RegExp(
      `Invoice of customer ${customerId}\\s+click ${today()} · banner spring\\s+pending\\s+\\d{4}-\\d\\d-\\d\\d\\s+\\$88\\.00\\s+25\\.00 %\\s+\\$22\\.00\\s+–\\s+\\$22\\.00`,
    ),
  );
  const customer = portal.locator(`#customer-table tr[data-customer="${customerId}"]`);
  await expect(customer.innerText()).resolves.toMatch(
    new RegExp(
      `${customerId}\\s+${today()}\\s+link · banner spring\\s+${today()}\\s+${today()}\\s+\\$88\\.00\\s+\\$88\\.00\\s+\\$22\\.00\\s+active`,
    ),
  );
  const invoiceDay = new Date(Date.parse(`${today()}T00:00:00Z`) + 120 * day);
  await expect(portal.locator('#releases tbody').innerText()).resolves.toMatch(
    new RegExp(`${invoiceDay.toISOString().slice(0, 7)}\\s+\\$22\\.00`),
  );
  await expect(portal.locator('#balance-explained').innerText()).resolves.toMatch(/next one on \d{4}-\d\d-\d\d/);

  // Thirty older commissions over three months: a first page of 25 lines, "More" for the rest.
  const start = Date.now() - 100 * day;
  for (let i = 0; i < 30; i++)
    await addCommission(demo.collector.collector, pat.partnerId, 100, new Date(start + i * 2 * day));
  await refresh(portal);
  await expect(portal.locator('#commissions tbody tr').count()).resolves.toBe(25);
  await portal.getByRole('button', { name: 'More' }).first().click();
  await eventually(
    () => portal.locator('#commissions tbody tr').count(),
    (rows) => rows === 31,
  );
  await expect(portal.locator('#commissions tbody tr').count()).resolves.toBe(31);
  await expect(portal.locator('#commissions-more').isHidden()).resolves.toBe(true);
  await expect(portal.locator('#releases tbody tr').count()).resolves.toBeGreaterThan(2);
  await snapBoth(portal, 'portal-statements');
});

test('no sideways scroll at 390 px on the portal (with its new sections) and the unsubscribe page', async () => {
  const overflowing: string[] = [];
  await portal.setViewportSize({ width: 390, height: 844 });
  for (const path of ['/partners/portal', '/partners/unsubscribe?token=x']) {
    await portal.goto(`${demo.siteUrl}${path}`, { waitUntil: 'networkidle' });
    if (path === '/partners/portal') await portal.locator('#customer-table tbody tr[data-customer]').first().waitFor();
    const { overflow, culprits } = await sidewaysOverflow(portal);
    if (overflow > 0) overflowing.push(`${path}: ${overflow}px (${culprits.join(', ')})`);
  }
  expect(overflowing).toEqual([]);
});
