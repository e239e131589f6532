// The demo as `npm start` runs it, on the test engine: a collector service on a fresh database and
// the demo site in front of it, each on a free port, plus headless Chromium and page helpers.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import pino from 'pino';
import { freePort } from '../../collector/db/engine';
import { startCollectorService, type CollectorService } from '../../collector/service';
import { startDemoSite, type DemoSite } from '../../demo-site/server';
import { ensureDemoBanners, ensureDemoCredentials, type DemoCredentials } from '../../demo-site/setup';
import { launchChromium } from '../support/browser';
import { testConfig } from '../support/collector';
import { engineUri, testDbName } from '../support/db';

export const artifacts = join(__dirname, 'artifacts');

export interface Demo {
  siteUrl: string;
  collector: CollectorService;
  site: DemoSite;
  browser: Browser;
  credentials: DemoCredentials;
  /** A context that looks like an ordinary desktop Chrome (headless Chromium's own user agent is a bot's). */
  newContext(options?: { clipboard?: boolean; phone?: boolean }): Promise<BrowserContext>;
  stop(): Promise<void>;
}

/** `env` adds to the test configuration (e.g. ASHOP_PARTNER_APPROVAL). */
export async function startDemo(testFile: string, env: NodeJS.ProcessEnv = {}): Promise<Demo> {
  const dbName = testDbName(testFile);
  const storeDbName = `${dbName}_store`;
  const dataDir = mkdtempSync(join(tmpdir(), 'ashop-e2e-'));
  const [port, sitePort] = [await freePort(), await freePort()];
  const siteUrl = `http://localhost:${sitePort}`;
  const config = testConfig({
    MONGODB_URI: engineUri(),
    PORT: String(port),
    SITE_PORT: String(sitePort),
    ASHOP_SITE_URL: siteUrl,
    ASHOP_DATA_DIR: dataDir,
    ...env,
  });
  const logger = pino({ level: 'silent' });
  const collector = await startCollectorService(config, logger, () => {}, dbName);
  const { models } = collector.collector.context;
  const credentials = await ensureDemoCredentials(models, dataDir, config.serverKey);
  await ensureDemoBanners(models);
  const site = await startDemoSite({
    port: sitePort,
    config,
    collectorUrl: `http://127.0.0.1:${port}`,
    connection: collector.connection,
    models,
    storeDbName,
    serverKey: credentials.serverKey,
    logger,
  });
  const browser = await launchChromium();
  const userAgent = (
    await browser.newPage().then(async (page) => {
      const agent = await page.evaluate(() => navigator.userAgent);
      await page.close();
      return agent;
    })
  ).replace('HeadlessChrome', 'Chrome');
  mkdirSync(artifacts, { recursive: true });
  return {
    siteUrl,
    collector,
    site,
    browser,
    credentials,
    newContext: async ({ clipboard = false, phone = false } = {}) => {
      const context = await browser.newContext({
        userAgent,
        ...(phone
          ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
          : { viewport: { width: 1366, height: 900 } }),
      });
      if (clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: siteUrl });
      return context;
    },
    stop: async () => {
      await browser.close();
      await site.close();
      await collector.connection.useDb(storeDbName).dropDatabase();
      await collector.connection.dropDatabase();
      await collector.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `read` until `accept` holds (10 s), returning the last value read; the caller asserts it. */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

export interface PartnerAccount {
  name: string;
  email: string;
  password: string;
  partnerId: string;
}

/**
 * Opens the dev mailbox once it shows a mail containing `text` (mail is queued and sent in the
 * background), and returns that mail's article.
 */
export async function openMail(page: Page, siteUrl: string, text: string) {
  const message = page.locator('article.mail', { hasText: text }).first();
  await eventually(
    async () => {
      await page.goto(`${siteUrl}/mail/`);
      return message.count();
    },
    (count) => count > 0,
  );
  return message;
}

/** Signs up on /partners/signup and confirms from the dev mailbox, as a person would. */
export async function joinProgram(page: Page, siteUrl: string, name: string, email: string): Promise<PartnerAccount> {
  const password = 'correct horse battery';
  await page.goto(`${siteUrl}/partners/signup`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('PayPal email').fill(email);
  await page.getByRole('button', { name: 'Create partner account' }).click();
  const status = page.locator('form .status.ok');
  await status.waitFor();
  const partnerId = /partner ID is ([A-Za-z0-9_-]+)/.exec(await status.innerText())?.[1];
  if (!partnerId) throw new Error(`no partner ID in "${await status.innerText()}"`);

  const message = await openMail(page, siteUrl, `To ${email}`);
  await message.locator('a[href*="/partners/confirm?token="]').click();
  await page.getByRole('heading', { name: 'Your email is confirmed' }).waitFor();
  return { name, email, password, partnerId };
}

/** Logs in on /partners/login and waits for the portal; with `succeed` false, returns the error shown. */
export async function logIn(page: Page, siteUrl: string, account: PartnerAccount, succeed = true): Promise<string> {
  await page.goto(`${siteUrl}/partners/login`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  if (!succeed) return page.locator('form .status.error').innerText();
  await page.waitForURL('**/partners/portal');
  await page.locator('#portal[aria-busy="false"]').waitFor();
  return page.url();
}

export type Column = 'today' | 'month' | 'all';
const columnIndex: Record<Column, number> = { today: 2, month: 3, all: 4 };

/** A cell of the portal's stats table, e.g. metric(page, 'Clicks', 'all') → "1". */
export function metric(page: Page, label: string, column: Column): Promise<string> {
  return page.locator(`#stats tr[data-metric="${label}"] > :nth-child(${columnIndex[column]})`).innerText();
}

/** Presses Refresh and waits for the portal to finish loading. */
export async function refresh(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.locator('#portal[aria-busy="false"]').waitFor();
}

/** Refreshes the portal until the metric shows `expected` (the collector's queues apply counters within milliseconds). */
export async function metricAfterRefresh(page: Page, label: string, column: Column, expected: string): Promise<string> {
  return eventually(
    async () => {
      await refresh(page);
      return metric(page, label, column);
    },
    (value) => value === expected,
  );
}

export async function referralCookie(context: BrowserContext) {
  const cookies = await context.cookies();
  return cookies.find((cookie) => cookie.name === 'ashop_ref');
}

export function parseReferral(value: string): { aid: string; cid: string; ts: number } {
  return JSON.parse(decodeURIComponent(value)) as { aid: string; cid: string; ts: number };
}

/** Creates a store on /signup as a visitor: plan Growth ($79), the reviews app ($9) and the design service ($250). */
export async function signUpStore(page: Page, siteUrl: string, storeName: string, email: string): Promise<string> {
  await page.goto(`${siteUrl}/signup`);
  await page.getByLabel('Store name').fill(storeName);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Growth').check();
  await page.getByLabel('Product reviews').check();
  await page.getByLabel('Store design service').check();
  await page.getByRole('button', { name: 'Create my store' }).click();
  const status = page.locator('#store-signup .status.ok');
  await status.waitFor();
  const customerId = /customer (st_[0-9a-f]+)/.exec(await status.innerText())?.[1];
  if (!customerId) throw new Error(`no customer ID in "${await status.innerText()}"`);
  return customerId;
}

export async function operatorLogin(page: Page, demo: Demo): Promise<void> {
  await page.goto(`${demo.siteUrl}/admin/`);
  await page.getByLabel('Email').fill(demo.credentials.adminEmail);
  await page.getByLabel('Password').fill(demo.credentials.adminPassword);
  await page.locator('#admin-login').getByRole('button', { name: 'Log in' }).click();
  await page.locator('#console:not([hidden])').waitFor();
  await page.locator('#partner-table tbody tr').first().waitFor();
}

/** A full-page screenshot into test/e2e/artifacts/, taken from the top (so the sticky header stays there). */
export async function snap(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

export async function readDownload(download: Download): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Screenshots of the page at desktop (1366×900) and phone (390×844) width: `<name>.png`, `<name>-phone.png`. */
export async function snapBoth(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1366, height: 900 });
  await snap(page, name);
  await page.setViewportSize({ width: 390, height: 844 });
  await snap(page, `${name}-phone`);
  await page.setViewportSize({ width: 1366, height: 900 });
}

/**
 * How far the page scrolls sideways (0 when everything fits the viewport's width), with the
 * outermost elements that stick out (not counting content inside a scroll box) to say why.
 */
export function sidewaysOverflow(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const culprits: string[] = [];
    for (const element of document.body.querySelectorAll<HTMLElement>('*')) {
      if (element.getBoundingClientRect().right <= width + 0.5) continue;
      const positioned = ['absolute', 'fixed'].includes(getComputedStyle(element).position);
      if (!positioned && element.parentElement?.closest('.scroll')) continue;
      const parent = element.parentElement;
      if (parent && parent.getBoundingClientRect().right > width + 0.5 && parent !== document.body) continue;
      culprits.push(`${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}.${element.className}`);
    }
    return { overflow: document.documentElement.scrollWidth - width, culprits: culprits.slice(0, 5) };
  });
}
