// The partner's settings and the operator's console in headless Chromium, on a program with
// manual partner approval: approval queue, settings (PayPal email, notifications, password, login
// email), partner page with notes and an adjustment, payout history and an empty run, banner
// edit/delete/preview; screenshots at desktop and phone width, and no page scrolls sideways on a phone.
import type { BrowserContext, Page } from 'playwright-core';
import {
  joinProgram,
  logIn,
  operatorLogin,
  refresh,
  sidewaysOverflow,
  snapBoth,
  startDemo,
  type Demo,
  type PartnerAccount,
} from './demo-support';

jest.setTimeout(90_000);

let demo: Demo;
let partnerContext: BrowserContext;
let portal: Page;
let operator: Page;
let carol: PartnerAccount;

beforeAll(async () => {
  demo = await startDemo(__filename, { ASHOP_PARTNER_APPROVAL: 'manual' });
  partnerContext = await demo.newContext();
  portal = await partnerContext.newPage();
  operator = await (await demo.newContext()).newPage();
}, 90_000);

afterAll(async () => {
  await demo?.stop();
});

const partnerRow = (id: string) => operator.locator(`#partner-table tr[data-partner-id="${id}"]`);

test('a new partner waits for approval; the operator approves from the queue and the partner is told', async () => {
  carol = await joinProgram(portal, demo.siteUrl, 'Carol Creator', 'carol@creator.example');
  await portal.locator('[data-form="confirm"] .status', { hasText: 'waits for approval' }).waitFor();
  await logIn(portal, demo.siteUrl, carol);
  await expect(portal.locator('#portal > .status').innerText()).resolves.toMatch(/waiting for approval/);
  await expect(portal.locator('#balance-explained').innerText()).resolves.toMatch(/once your account is approved/);

  await operatorLogin(operator, demo);
  const row = operator.locator(`#approval-table tr[data-partner-id="${carol.partnerId}"]`);
  await row.waitFor();
  await snapBoth(operator, 'console-approvals');
  await row.getByRole('button', { name: 'Approve' }).click();
  const dialog = operator.getByRole('dialog');
  await expect(dialog.innerText()).resolves.toMatch(/told by email/);
  await dialog.getByLabel('Reason').fill('Good audience');
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await operator.locator('#approval-table td.empty', { hasText: 'Nobody is waiting' }).waitFor();
  await partnerRow(carol.partnerId).locator('.badge', { hasText: 'active' }).waitFor();

  const mailbox = await partnerContext.newPage();
  await mailbox.goto(`${demo.siteUrl}/mail/`);
  await mailbox.locator('article.mail', { hasText: 'Your Ashop partner account is approved' }).waitFor();
  await mailbox.close();
  await refresh(portal);
  await expect(portal.locator('#portal > .status').innerText()).resolves.toBe('');
});

test('settings: PayPal email, notifications, password change (ends other sessions), login email change', async () => {
  // The same tab: the login token lives in the tab's sessionStorage.
  const settings = portal;
  await settings.getByRole('link', { name: 'Settings' }).click();
  await settings.locator('#settings[aria-busy="false"]').waitFor();
  await expect(settings.getByLabel('PayPal email').inputValue()).resolves.toBe(carol.email);
  // The browser accepts an ftp: address in a URL field; the collector does not, and says so plainly.
  await settings.getByLabel(/^Website/).fill('ftp://files.example');
  await settings.getByRole('button', { name: 'Save profile' }).click();
  await expect(settings.locator('#profile-form .status.error').innerText()).resolves.toMatch(
    /^Website: invalid URL\.?$/i,
  );
  await settings.getByLabel(/^Website/).fill('https://carol.example');
  await settings.getByLabel('PayPal email').fill('carol.pay@paypal.example');
  await settings.getByRole('button', { name: 'Save profile' }).click();
  await settings.locator('#profile-form .status.ok').waitFor();

  await settings.getByLabel('a payout is sent').uncheck();
  await settings.getByRole('button', { name: 'Save notifications' }).click();
  await settings.locator('#notify-form .status.ok').waitFor();
  await settings.reload();
  await settings.locator('#settings[aria-busy="false"]').waitFor();
  await expect(settings.getByLabel('a payout is sent').isChecked()).resolves.toBe(false);
  await expect(settings.getByLabel('PayPal email').inputValue()).resolves.toBe('carol.pay@paypal.example');
  await snapBoth(settings, 'portal-settings');

  // Another device's session ends when the password changes; this one goes on.
  const otherDevice = await (await demo.newContext()).newPage();
  await logIn(otherDevice, demo.siteUrl, carol);
  await settings.getByLabel('Current password', { exact: true }).last().fill('wrong password');
  await settings.getByLabel('New password').fill('a fresh passphrase');
  await settings.getByRole('button', { name: 'Change password' }).click();
  await expect(settings.locator('#password-form .status.error').innerText()).resolves.toMatch(
    /Current password is not your current password/,
  );
  await settings.locator('#password-form').getByLabel('Current password').fill(carol.password);
  await settings.getByRole('button', { name: 'Change password' }).click();
  await settings.locator('#password-form .status.ok').waitFor();
  carol = { ...carol, password: 'a fresh passphrase' };
  await otherDevice.getByRole('button', { name: 'Refresh' }).click();
  await otherDevice.waitForURL('**/partners/login');

  await settings.getByLabel('New login email').fill('carol@studio.example');
  await settings.locator('#email-form').getByLabel('Current password').fill(carol.password);
  await settings.getByRole('button', { name: 'Change email' }).click();
  await settings.locator('#pending-email:not([hidden])').waitFor();
  await settings.getByRole('button', { name: 'Resend link' }).click();
  await settings.locator('#email-form .status.ok', { hasText: 'earlier links no longer work' }).waitFor();

  const mailbox = await partnerContext.newPage();
  await mailbox.goto(`${demo.siteUrl}/mail/`);
  await mailbox
    .locator('article.mail', { hasText: 'To carol@studio.example' })
    .first()
    .locator('a[href*="/partners/confirm-email?token="]')
    .click();
  await mailbox.getByRole('heading', { name: 'Your new email is confirmed' }).waitFor();
  await mailbox.close();
  carol = { ...carol, email: 'carol@studio.example' };
  await logIn(portal, demo.siteUrl, carol);
});

test('the partner page: history with reasons, a note, an adjustment the partner sees; payout history and an empty run', async () => {
  await operator.reload();
  await operator.locator('#partner-table tbody tr').first().waitFor();
  await partnerRow(carol.partnerId).getByRole('button', { name: 'Carol Creator' }).click();
  const page = operator.locator('#partner-page');
  await page.locator('#partner-history li', { hasText: 'pending_approval → active: Good audience' }).waitFor();
  await expect(page.locator('#partner-profile').innerText()).resolves.toMatch(/carol\.pay@paypal\.example/);

  await page.getByLabel('New note').fill('Runs a design studio; wants a custom banner');
  await page.getByRole('button', { name: 'Add note' }).click();
  await page.locator('#partner-notes li', { hasText: 'custom banner' }).waitFor();

  await page.getByLabel(/Amount in dollars/).fill('150');
  await page.getByLabel(/^Reason/).fill('Launch bonus');
  await page.getByRole('button', { name: 'Add adjustment' }).click();
  await page.locator('#partner-commissions tr', { hasText: 'Adjustment: Launch bonus' }).waitFor();
  await expect(page.locator('#partner-audit').innerText()).resolves.toMatch(/partner\.adjustment: Launch bonus/);
  await snapBoth(operator, 'console-partner-page');

  await refresh(portal);
  await expect(
    portal.locator('#commissions tbody tr', { hasText: 'Bonus: Launch bonus' }).innerText(),
  ).resolves.toMatch(/payable.*\$150\.00/s);
  await expect(portal.locator('#balance-payable').innerText()).resolves.toBe('$150.00');
  await expect(portal.locator('#balance-explained').innerText()).resolves.toMatch(/paid to you in the next payout run/);
  // The chart's legend shows the 30-day figures without a cursor on it, never uPlot's "--".
  const legend = await portal.locator('#chart .u-legend').innerText();
  expect(legend).toMatch(/last 30 days/);
  expect(legend).not.toContain('--');
  await snapBoth(portal, 'portal-balance');

  await operator.getByRole('button', { name: 'Run payouts' }).click();
  await operator.locator('#payout-result h3', { hasText: 'Batch' }).waitFor();
  const history = operator.locator('#payout-history tbody tr', { hasText: '$150.00' });
  await expect(history.innerText()).resolves.toMatch(/open\s+1\s+\$150\.00/);
  await operator.getByRole('button', { name: 'Mark batch paid' }).click();
  await operator.locator('#payouts .status.ok', { hasText: 'completed' }).waitFor();
  await operator.locator('#payout-history tbody tr', { hasText: 'completed' }).waitFor();
  await history.getByRole('button', { name: 'Details' }).click();
  await expect(operator.locator('#payout-result').innerText()).resolves.toMatch(
    /carol\.pay@paypal\.example\s+\$150\.00/,
  );

  // Nobody left to pay: the run says so instead of offering a $0.00 batch to download.
  await operator.getByRole('button', { name: 'Run payouts' }).click();
  await operator.locator('#payout-result .notice', { hasText: 'Nobody to pay' }).waitFor();
  await expect(operator.locator('#payout-result').getByRole('button', { name: 'PayPal CSV' }).count()).resolves.toBe(0);
  await snapBoth(operator, 'console-payouts');
});

test('banners: edit, preview and delete in the console; partners see the change', async () => {
  const row = operator.locator('#banner-table tr[data-banner-id="leaderboard"]');
  await expect(
    row.locator('img.banner-thumb').evaluate((img: HTMLImageElement) => img.naturalWidth),
  ).resolves.toBeGreaterThan(0);
  await row.getByRole('button', { name: 'Edit' }).click();
  await operator.locator('#banner-form').getByLabel('Name').fill('Leaderboard, winter');
  await operator.getByRole('button', { name: 'Save banner' }).click();
  await operator
    .locator('#banner-table tr[data-banner-id="leaderboard"]', { hasText: 'Leaderboard, winter' })
    .waitFor();

  await operator
    .locator('#banner-table tr[data-banner-id="rectangle"]')
    .getByRole('button', { name: 'Delete' })
    .click();
  await operator.locator('#confirm-dialog').getByRole('button', { name: 'Delete banner' }).click();
  await operator.locator('#banners .status.ok', { hasText: 'deleted' }).waitFor();
  await operator.locator('#banner-table tr[data-banner-id="rectangle"]').waitFor({ state: 'detached' });
  await snapBoth(operator, 'console-banners');

  await refresh(portal);
  await expect(portal.locator('#banners').innerText()).resolves.toMatch(/Leaderboard, winter/);
  await expect(portal.locator('#banners').innerText()).resolves.not.toMatch(/Rectangle/);
});

test('the report: period labelled, sorted column marked, focus kept after sorting', async () => {
  await expect(operator.locator('#report-period').innerText()).resolves.toMatch(/last 30 days by default/);
  const header = operator.locator('#report-table th[data-key="clicks"]');
  await header.getByRole('button').focus();
  await operator.keyboard.press('Enter');
  await operator.locator('#report-table th[data-key="clicks"][aria-sort="descending"]').waitFor();
  await expect(operator.evaluate(() => document.activeElement?.closest('th')?.getAttribute('data-key'))).resolves.toBe(
    'clicks',
  );
});

test('no page scrolls sideways on a 390 px phone', async () => {
  const pages: Array<[Page, string]> = [
    [portal, '/partners/portal'],
    [portal, '/partners/settings'],
    [portal, '/partners/'],
    [portal, '/partners/signup'],
    [portal, '/'],
    [portal, '/pricing'],
    [portal, '/signup'],
    [portal, '/mail/'],
    [operator, '/admin/'],
  ];
  const overflowing: string[] = [];
  for (const [page, path] of pages) {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${demo.siteUrl}${path}`, { waitUntil: 'networkidle' });
    if (path === '/admin/') await page.locator('#partner-table tbody tr').first().waitFor();
    if (path === '/admin/') await page.locator('#partner-table button.linklike').first().click();
    const { overflow, culprits } = await sidewaysOverflow(page);
    if (overflow > 0) overflowing.push(`${path}: ${overflow}px (${culprits.join(', ')})`);
  }
  await snapBoth(operator, 'console');
  expect(overflowing).toEqual([]);
});
