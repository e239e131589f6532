// A dead partner's link followed by a live partner's, in headless Chromium against a real collector
// on the page's own origin (same-site, as through the demo site's /ashop proxy): the live partner
// gets the customer under both attribution models, and the browser keeps no dead referral.
import type { Server } from 'node:http';
import express from 'express';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Collector } from '../../collector/app';
import { freePort } from '../../collector/db/engine';
import { signupSignature } from '../../collector/domain/signup-signature';
import { launchChromium } from '../support/browser';
import { testCollector } from '../support/collector';
import { useTestDatabase } from '../support/db';
import { createTestPartner } from '../support/partners';

const db = useTestDatabase(__filename);
let browser: Browser;
let userAgent: string;
let visits = 0;

beforeAll(async () => {
  browser = await launchChromium();
  const page = await browser.newPage();
  // Headless Chromium's own agent is a bot's: look like the desktop browser it is.
  userAgent = (await page.evaluate(() => navigator.userAgent)).replace('HeadlessChrome', 'Chrome');
  await page.close();
});
afterAll(() => browser?.close());

describe.each(['first', 'last'] as const)('%s attribution', (model) => {
  let collector: Collector;
  let server: Server;
  let origin: string;
  let context: BrowserContext;

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    collector = await testCollector(db.connection(), { ASHOP_SITE_URL: origin, ASHOP_ATTRIBUTION: model });
    const site = express();
    site.get('/pricing', (_req, res) => {
      res.type('html').send(`<!doctype html><html><head><meta charset="utf-8"><title>Pricing</title>
<script>window.ashop=window.ashop||function(){(ashop.q=ashop.q||[]).push(arguments)};</script>
<script async src="/sdk/ashop.min.js" data-attribution="${model}"></script></head><body>Pricing</body></html>`);
    });
    site.use(collector.app);
    server = await new Promise<Server>((resolve) => {
      const listening = site.listen(port, '127.0.0.1', () => resolve(listening));
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await collector.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ userAgent });
  });
  afterEach(() => context.close());

  const referralCookie = async () => (await context.cookies()).find((cookie) => cookie.name === 'ashop_ref');
  const decoded = async () => {
    const value = (await referralCookie())?.value;
    return value ? (JSON.parse(decodeURIComponent(value)) as { aid: string; cid: string; p?: string }) : undefined;
  };
  /** Opens a partner link and waits until the collector stored its click and answered it. */
  async function openLink(page: Page, partnerId: string): Promise<void> {
    const answered = page.waitForResponse((res) => res.url().endsWith('/v1/clicks'));
    // A new document each time (a hash change alone would not load the page again).
    await page.goto(`${origin}/pricing?visit=${++visits}#a_aid=${partnerId}`);
    expect((await answered).status()).toBe(202);
  }
  async function signUp(page: Page, customerId: string) {
    await page.waitForFunction(
      () => typeof (window as unknown as { ashop: { signup?: unknown } }).ashop.signup === 'function',
    );
    const signature = signupSignature(collector.context.config.signupSecret, customerId);
    return page.evaluate(
      ([id, sig]) =>
        new Promise((resolve) =>
          (window as unknown as { ashop: (...args: unknown[]) => void }).ashop(
            'signup',
            { customerId: id, signature: sig },
            (_error: unknown, answer: unknown) => resolve(answer),
          ),
        ),
      [customerId, signature] as const,
    );
  }

  test("a dead partner's link, then a live partner's: the live partner gets the customer", async () => {
    const dead = await createTestPartner(collector, { status: 'disabled' });
    const live = await createTestPartner(collector);
    const page = await context.newPage();

    await openLink(page, dead.partnerId);
    // The collector's answer emptied the dead referral; the storage copy is not restored over it.
    expect((await referralCookie())?.value).toBe('');
    await page.reload();
    await page.waitForFunction(
      () => typeof (window as unknown as { ashop: { referral?: unknown } }).ashop.referral === 'function',
    );
    expect(await page.evaluate(() => (window as unknown as { ashop: { referral(): unknown } }).ashop.referral())).toBe(
      null,
    );

    await openLink(page, live.partnerId);
    expect(await decoded()).toMatchObject({ aid: live.partnerId, p: 's' });
    const answer = await signUp(page, `cus_${model}_dead_live`);
    expect(answer).toEqual({ attributed: true, partnerId: live.partnerId, method: 'link' });
  });

  test("a live partner's link, then a dead one's: the live referral stays (first) or comes back (last)", async () => {
    const live = await createTestPartner(collector);
    const dead = await createTestPartner(collector, { status: 'frozen' });
    const page = await context.newPage();
    await openLink(page, live.partnerId);
    const kept = await decoded();
    await openLink(page, dead.partnerId);
    // first: the SDK never wrote the dead click; last: it did, and the collector put the visitor's
    // live referral back from its history.
    expect(await decoded()).toMatchObject({ aid: live.partnerId, cid: kept!.cid });
    const answer = await signUp(page, `cus_${model}_live_dead`);
    expect(answer).toEqual({ attributed: true, partnerId: live.partnerId, method: 'link' });
  });
});
