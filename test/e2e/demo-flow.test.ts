// The demo end to end in headless Chromium (issue 6): a partner joins and shares a link, a visitor
// follows it and creates a store, the operator bills the month, and the portal shows each step.
// The scenarios build on each other, in order, on one collector + demo site.
import type { BrowserContext, Page } from 'playwright-core';
import {
  eventually,
  joinProgram,
  openMail,
  logIn,
  metric,
  metricAfterRefresh,
  operatorLogin,
  parseReferral,
  readDownload,
  referralCookie,
  signUpStore,
  snap,
  startDemo,
  type Demo,
  type PartnerAccount,
} from './demo-support';

jest.setTimeout(90_000);

let demo: Demo;
let partnerContext: BrowserContext;
let portal: Page;
let alice: PartnerAccount;
let bob: PartnerAccount;
let bobPage: Page;
let aliceLink: string;
let visitor: BrowserContext;
let operatorContext: BrowserContext;
let operator: Page;

beforeAll(async () => {
  demo = await startDemo(__filename);
  partnerContext = await demo.newContext({ clipboard: true });
  portal = await partnerContext.newPage();
}, 90_000);

afterAll(async () => {
  await demo?.stop();
});

const deepLink = (link: string, path: string) => link.replace(/\/#/, `${path}#`);

test('1. a partner signs up, confirms from the mailbox, logs in and copies the partner link', async () => {
  alice = await joinProgram(portal, demo.siteUrl, 'Alice Agency', 'alice@agency.example');
  await expect(logIn(portal, demo.siteUrl, { ...alice, password: 'not the password' }, false)).resolves.toMatch(
    /wrong email or password/i,
  );
  await logIn(portal, demo.siteUrl, alice);

  aliceLink = await portal.locator('#partner-link').inputValue();
  expect(aliceLink).toBe(`${demo.siteUrl}/#a_aid=${alice.partnerId}`);
  await portal.locator('[data-copy="partner-link"]').click();
  await expect(portal.evaluate(() => navigator.clipboard.readText())).resolves.toBe(aliceLink);
  expect(await metric(portal, 'Clicks', 'all')).toBe('0');

  // The link builder: a deep link with a campaign and a sub-ID.
  await portal.getByLabel('Page').selectOption('/pricing');
  await portal.getByLabel('Campaign (a_bid)').fill('summer');
  await portal.getByLabel('Sub-ID data1').fill('news letter');
  await expect(portal.locator('#built-link').inputValue()).resolves.toBe(
    `${demo.siteUrl}/pricing#a_aid=${alice.partnerId}&a_bid=summer&data1=news%20letter`,
  );
});

test('2. a visitor opens the link on a deep page: cookie for about 60 days, clean address bar', async () => {
  visitor = await demo.newContext();
  const page = await visitor.newPage();
  const opened = Date.now();
  await page.goto(deepLink(aliceLink, '/pricing'));

  const cookie = await eventually(() => referralCookie(visitor), Boolean);
  expect(cookie).toBeDefined();
  expect(parseReferral(cookie!.value).aid).toBe(alice.partnerId);
  const days = (cookie!.expires * 1000 - opened) / 86_400_000;
  expect(days).toBeGreaterThan(59.9);
  expect(days).toBeLessThan(60.1);
  expect(cookie!.sameSite).toBe('Lax');
  expect(cookie!.path).toBe('/');
  await eventually(
    async () => page.url(),
    (url) => !url.includes('a_aid'),
  );
  expect(page.url()).toBe(`${demo.siteUrl}/pricing`);
});

test('3. the refreshed portal shows the click', async () => {
  expect(await metricAfterRefresh(portal, 'Clicks', 'all', '1')).toBe('1');
  expect(await metricAfterRefresh(portal, 'Clicks', 'today', '1')).toBe('1');
  expect(await metricAfterRefresh(portal, 'Unique clicks', 'month', '1')).toBe('1');
});

test('4. the visitor creates a store: the portal shows the signup and the customer', async () => {
  const page = await visitor.newPage();
  const customerId = await signUpStore(page, demo.siteUrl, 'Green Tea Shop', 'owner@greentea.example');
  expect(await metricAfterRefresh(portal, 'Signups', 'all', '1')).toBe('1');
  // Counters follow the facts within a fold interval: each of the page's requests may see a later fold.
  expect(await metricAfterRefresh(portal, 'Signups', 'today', '1')).toBe('1');
  // Bound for life to the partner; it becomes a paying customer with its first invoice (step 5).
  const customer = await demo.collector.collector.context.models.Customer.findById(customerId).lean();
  expect(customer?.partnerId).toBe(alice.partnerId);
  expect(await metric(portal, 'Paying customers', 'all')).toBe('0');
});

test('5. the operator bills the month: a pending commission of 25% of plan + app lines', async () => {
  operatorContext = await demo.newContext();
  operator = await operatorContext.newPage();
  await operator.goto(`${demo.siteUrl}/admin/`);
  await operator.getByLabel('Email').fill(demo.credentials.adminEmail);
  await operator.getByLabel('Password').fill('not the password');
  await operator.locator('#admin-login').getByRole('button', { name: 'Log in' }).click();
  await expect(operator.locator('#admin-login .status.error').innerText()).resolves.toMatch(/wrong email or password/i);
  await operatorLogin(operator, demo);
  await operator.getByRole('button', { name: 'Bill this month' }).click();
  const row = operator.locator('#billing-table tbody tr', { hasText: 'Green Tea Shop' });
  await row.waitFor();
  // Invoice: Growth $79 + reviews $9 + design $250 = $338; commission 25% × $88 = $22.00.
  await expect(row.innerText()).resolves.toMatch(/\$338\.00\s+\$22\.00\s+billed/);
  await snap(operator, 'console-billing');

  expect(await metricAfterRefresh(portal, 'Commission earned', 'month', '$22.00')).toBe('$22.00');
  expect(await metricAfterRefresh(portal, 'Paying customers', 'all', '1')).toBe('1');
  await expect(portal.locator('#balance-payable').innerText()).resolves.toBe('$0.00');
  await expect(portal.locator('#balance-pending').innerText()).resolves.toBe('$22.00');
  await expect(portal.locator('#balance-explained').innerText()).resolves.toMatch(/held 120 days.*next one on/);
  // The chart's legend shows the 30-day totals without a cursor on it (not uPlot's "--").
  await expect(portal.locator('#chart .u-legend').innerText()).resolves.toMatch(/last 30 days[\s\S]*\$22\.00/);
  const commission = portal.locator('#commissions tbody tr').first();
  await expect(commission.innerText()).resolves.toMatch(/pending.*\$22\.00/s);
  await snap(portal, 'portal');

  // Billing the same month again sends the same invoices: nothing new is earned, and it says so.
  await operator.getByRole('button', { name: 'Bill this month' }).click();
  await operator.locator('#billing-table tbody tr', { hasText: 'already billed' }).waitFor();
  await expect(operator.locator('#billing .status').innerText()).resolves.toMatch(/Nothing new to bill/);
  await portal.getByRole('button', { name: 'Refresh' }).click();
  await portal.locator('#portal[aria-busy="false"]').waitFor();
  expect(await metric(portal, 'Commission earned', 'all')).toBe('$22.00');
  await expect(portal.locator('#balance-pending').innerText()).resolves.toBe('$22.00');
});

test('6. a visitor without a partner link gets no cookie and sends no tracking request', async () => {
  const context = await demo.newContext();
  const page = await context.newPage();
  const tracking: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/ashop/v1/')) tracking.push(request.url());
  });
  for (const path of ['/', '/pricing', '/features']) {
    await page.goto(`${demo.siteUrl}${path}`, { waitUntil: 'networkidle' });
  }
  // The SDK did load (so its silence is its choice, not a missing script).
  await expect(
    page.evaluate(() => typeof (window as { ashop?: { referral?: unknown } }).ashop?.referral),
  ).resolves.toBe('function');
  expect(tracking).toEqual([]);
  expect(await context.cookies()).toEqual([]);
  await expect(page.evaluate(() => localStorage.length)).resolves.toBe(0);
  await context.close();
});

test('a visitor whose ad-blocker drops the SDK still gets a store (not attributed)', async () => {
  const context = await demo.newContext();
  await context.route('**/ashop/**', (route) => route.abort('blockedbyclient'));
  const page = await context.newPage();
  await page.goto(deepLink(aliceLink, '/pricing'));
  const customerId = await signUpStore(page, demo.siteUrl, 'Blocked Books', 'owner@blockedbooks.example');
  expect(await demo.collector.collector.context.models.Customer.findById(customerId).lean()).toBeNull();
  await context.close();
});

test("7. a second partner's link after the first does not take the customer (first click wins)", async () => {
  bobPage = await partnerContext.newPage();
  bob = await joinProgram(bobPage, demo.siteUrl, 'Bob Blogger', 'bob@blog.example');

  const context = await demo.newContext();
  const page = await context.newPage();
  await page.goto(deepLink(aliceLink, '/features'));
  await eventually(() => referralCookie(context), Boolean);
  await page.goto(`${demo.siteUrl}/pricing#a_aid=${bob.partnerId}`);
  await eventually(
    async () => page.url(),
    (url) => !url.includes('a_aid'),
  );
  expect(parseReferral((await referralCookie(context))!.value).aid).toBe(alice.partnerId);

  const customerId = await signUpStore(page, demo.siteUrl, 'Blue Bikes', 'owner@bluebikes.example');
  expect(await metricAfterRefresh(portal, 'Signups', 'all', '2')).toBe('2');

  const { models } = demo.collector.collector.context;
  expect((await models.Customer.findById(customerId).lean())?.partnerId).toBe(alice.partnerId);
  await logIn(bobPage, demo.siteUrl, bob);
  expect(await metric(bobPage, 'Signups', 'all')).toBe('0');
  await context.close();
});

test('8. the operator freezes a partner: its new clicks no longer count', async () => {
  await operator.reload();
  await operator.locator('#partner-table tbody tr').first().waitFor();
  const row = operator.locator(`#partner-table tr[data-partner-id="${alice.partnerId}"]`);
  await row.getByRole('button', { name: 'Freeze' }).click();
  const dialog = operator.getByRole('dialog');
  await dialog.getByLabel('Reason').fill('Traffic under review');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await operator
    .locator(`#partner-table tr[data-partner-id="${alice.partnerId}"] .badge`, { hasText: 'frozen' })
    .waitFor();
  await snap(operator, 'console-partners');

  await portal.getByRole('button', { name: 'Refresh' }).click();
  await portal.locator('#portal[aria-busy="false"]').waitFor();
  await expect(portal.locator('#portal > .status').innerText()).resolves.toMatch(/under review/);
  const clicksBefore = await metric(portal, 'Clicks', 'all');

  // No wait: the collector that froze the partner drops its cached status at once.
  const { models } = demo.collector.collector.context;
  const storedBefore = await models.Click.countDocuments({ partnerId: alice.partnerId });
  const context = await demo.newContext();
  const page = await context.newPage();
  await page.goto(deepLink(aliceLink, '/pricing'));
  // The click reaches the collector and is stored, as not counting.
  const stored = await eventually(
    () => models.Click.countDocuments({ partnerId: alice.partnerId }),
    (n) => n > storedBefore,
  );
  expect(stored).toBe(storedBefore + 1);
  const latest = await models.Click.findOne({ partnerId: alice.partnerId }).sort({ occurredAt: -1 }).lean();
  expect(latest?.counted).toBe(false);

  await portal.getByRole('button', { name: 'Refresh' }).click();
  await portal.locator('#portal[aria-busy="false"]').waitFor();
  expect(await metric(portal, 'Clicks', 'all')).toBe(clicksBefore);
  await context.close();
});

test('the operator unfreezes, overrides a rate, bills, previews and runs a payout; the partner sees it paid', async () => {
  const row = () => operator.locator(`#partner-table tr[data-partner-id="${alice.partnerId}"]`);
  await row().getByRole('button', { name: 'Unfreeze' }).click();
  await operator.getByRole('dialog').getByLabel('Reason').fill('Review passed');
  await operator.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await row().locator('.badge', { hasText: 'active' }).waitFor();

  await row()
    .getByLabel(/Commission rate/)
    .fill('100');
  await row().getByRole('button', { name: 'Set %' }).click();
  await row().getByRole('button', { name: 'Default' }).waitFor();

  // Blue Bikes' first invoice, at the new rate: 100% × ($79 + $9) = $88; Green Tea's is billed already.
  await operator.getByRole('button', { name: 'Bill this month' }).click();
  await expect(operator.locator('#billing-table tbody tr', { hasText: 'Blue Bikes' }).innerText()).resolves.toMatch(
    /\$338\.00\s+\$88\.00\s+billed/,
  );
  await expect(operator.locator('#billing-table tbody tr', { hasText: 'Green Tea Shop' }).innerText()).resolves.toMatch(
    /already billed/,
  );

  // 121 days later, after the 120-day hold: $22 + $88 = $110, over the US$100 minimum. Runs are
  // never dated in the future, so the hold is made to have passed (the entries' availableAt moved
  // back) and the run is as of today.
  await demo.collector.collector.context.models.LedgerEntry.updateMany(
    {},
    { $set: { availableAt: new Date(Date.now() - 86_400_000) } },
  );
  await operator.getByLabel('As of').fill(new Date().toISOString().slice(0, 10));
  await operator.getByRole('button', { name: 'Preview' }).click();
  await operator.locator('#payout-result h3', { hasText: 'Preview' }).waitFor();
  await expect(operator.locator('#payout-result').innerText()).resolves.toMatch(/alice@agency\.example\s+\$110\.00/);

  await operator.getByRole('button', { name: 'Run payouts' }).click();
  await operator.locator('#payout-result h3', { hasText: 'Batch' }).waitFor();
  const [download] = await Promise.all([
    operator.waitForEvent('download'),
    operator.getByRole('button', { name: 'PayPal CSV' }).click(),
  ]);
  const csv = await readDownload(download);
  expect(csv).toMatch(/alice@agency\.example,110\.00,USD/);
  await operator.getByRole('button', { name: 'Mark batch paid' }).click();
  await operator.locator('#payouts .status.ok', { hasText: 'completed' }).waitFor();
  await snap(operator, 'console-payout');

  await portal.getByRole('button', { name: 'Refresh' }).click();
  await portal.locator('#portal[aria-busy="false"]').waitFor();
  await expect(portal.locator('#balance-paid').innerText()).resolves.toBe('$110.00');
  await expect(portal.locator('#payouts tbody tr').first().innerText()).resolves.toMatch(/paid\s+\$110\.00/);
  const [report] = await Promise.all([
    portal.waitForEvent('download'),
    portal.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  const lines = (await readDownload(report)).trim().split(/\r?\n/);
  expect(lines).toHaveLength(3);
  expect(lines.slice(1).every((line) => line.includes(',paid,'))).toBe(true);
});

test('a partner resets a forgotten password from the emailed link', async () => {
  const page = await partnerContext.newPage();
  await page.goto(`${demo.siteUrl}/partners/reset`);
  await page.getByLabel('Email').fill(alice.email);
  await page.getByRole('button', { name: 'Email me a reset link' }).click();
  await page.locator('form .status.ok').waitFor();

  await (
    await openMail(page, demo.siteUrl, 'Reset your Ashop partner password')
  )
    .locator('a[href*="/partners/reset?token="]')
    .click();
  await page.getByLabel('New password').fill('a brand new passphrase');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await page.locator('form[data-form="reset-confirm"] .status.ok').waitFor();

  await logIn(page, demo.siteUrl, { ...alice, password: 'a brand new passphrase' });
  await expect(page.locator('#partner-link').inputValue()).resolves.toBe(aliceLink);
});

test('the operator disables a partner with a reason: the open portal ends, and login is refused', async () => {
  const row = operator.locator(`#partner-table tr[data-partner-id="${bob.partnerId}"]`);
  await row.getByRole('button', { name: 'Disable' }).click();
  const dialog = operator.getByRole('dialog');
  // The dialog says what a disable does before it is confirmed.
  await expect(dialog.innerText()).resolves.toMatch(
    /unpaid commission is reversed[\s\S]*links stop counting[\s\S]*can no longer log in/,
  );
  // No reason, no change: the dialog insists.
  await dialog.getByRole('button', { name: 'Disable partner' }).click();
  await expect(dialog.isVisible()).resolves.toBe(true);
  await dialog.getByLabel('Reason').fill('Spam links');
  await dialog.getByRole('button', { name: 'Disable partner' }).click();
  await row.locator('.badge', { hasText: 'disabled' }).waitFor();

  await bobPage.getByRole('button', { name: 'Refresh' }).click();
  await bobPage.waitForURL('**/partners/login');
  await expect(logIn(bobPage, demo.siteUrl, bob, false)).resolves.toMatch(/disabled/i);
});
