// The built SDK (dist/sdk/ashop.min.js, npm run build) in headless Chromium: a page on loopback
// loads it with the README's snippet, a partner link is opened, and we look at what Chromium
// stored, what the click endpoint received and what the address bar shows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { referralCookieValue } from '../../collector/domain/tracking-http';
import { launchChromium } from '../support/browser';
import { startEndpoint, UUID_V4, type Endpoint } from '../sdk/support';

const bundle = readFileSync(join(__dirname, '../../dist/sdk/ashop.min.js'), 'utf8');
const page = (attributes = '') => `<!doctype html>
<html><head><meta charset="utf-8"><title>Pricing</title>
<script>window.ashop=window.ashop||function(){(ashop.q=ashop.q||[]).push(arguments)};</script>
<script async src="/sdk/ashop.min.js" ${attributes}></script>
</head><body><h1>Pricing</h1><form class="signup"><input name="email"></form></body></html>`;

/**
 * Runs in every document before its scripts: counts the requests (beacon or fetch) and cookie writes
 * the page makes. The SDK makes them on its load path, so once `ashop.referral` exists the counts say
 * what it did, with nothing left to wait for.
 */
function watchPage() {
  const seen = { requests: 0, cookieWrites: 0 };
  (window as unknown as { seen: typeof seen }).seen = seen;
  const beacon = navigator.sendBeacon.bind(navigator);
  navigator.sendBeacon = (...args) => (seen.requests++, beacon(...args));
  const fetch = window.fetch.bind(window);
  window.fetch = (...args) => (seen.requests++, fetch(...args));
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!;
  Object.defineProperty(document, 'cookie', {
    configurable: true,
    get: () => cookie.get!.call(document),
    set: (value: string) => (seen.cookieWrites++, cookie.set!.call(document, value)),
  });
}
const seenBy = (tab: Page) =>
  tab.evaluate(() => (window as unknown as { seen: { requests: number; cookieWrites: number } }).seen);
const sdkLoaded = (tab: Page) =>
  tab.waitForFunction(
    () => typeof (window as unknown as { ashop: { referral?: unknown } }).ashop.referral === 'function',
  );

let browser: Browser;
let context: BrowserContext;
let endpoint: Endpoint;

beforeAll(async () => {
  endpoint = await startEndpoint();
  endpoint.serve('/sdk/ashop.min.js', 'text/javascript', bundle);
  endpoint.serve('/pricing', 'text/html', page('data-forms="form.signup"'));
  endpoint.serve('/keep', 'text/html', page('data-strip-params="false"'));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await endpoint?.close();
});
beforeEach(async () => {
  endpoint.reset();
  context = await browser.newContext();
  await context.addInitScript(watchPage);
});
afterEach(() => context.close());

it('opens a partner link: 60-day Lax cookie, the click reported, the address bar cleaned', async () => {
  const tab = await context.newPage();
  const clicked = endpoint.next();
  const before = Date.now();
  await tab.goto(`${endpoint.origin}/pricing?plan=pro#a_aid=partner_1&a_bid=spring&data1=news%20letter`);
  const click = await clicked;

  expect(click.path).toBe('/v1/clicks');
  expect(click.contentType).toMatch(/^text\/plain/);
  expect(click.body).toMatchObject({
    aid: 'partner_1',
    bid: 'spring',
    data1: 'news letter',
    cid: expect.stringMatching(UUID_V4),
    vid: expect.stringMatching(UUID_V4),
    url: `${endpoint.origin}/pricing?plan=pro#a_aid=partner_1&a_bid=spring&data1=news%20letter`,
  });

  const cookies = await context.cookies();
  expect(cookies).toHaveLength(1);
  const [cookie] = cookies;
  expect(cookie).toMatchObject({
    name: 'ashop_ref',
    domain: '127.0.0.1',
    path: '/',
    sameSite: 'Lax',
    secure: false,
    httpOnly: false,
  });
  const referral = JSON.parse(decodeURIComponent(cookie!.value));
  expect(referral).toEqual({
    v: 1,
    aid: 'partner_1',
    bid: 'spring',
    cid: click.body.cid,
    vid: click.body.vid,
    ts: expect.any(Number),
  });
  expect(referral.ts).toBeGreaterThanOrEqual(before);
  // Max-Age = 60 × 86400 s from the click.
  expect(Math.abs(cookie!.expires - (referral.ts / 1000 + 60 * 86400))).toBeLessThan(2);

  expect(tab.url()).toBe(`${endpoint.origin}/pricing?plan=pro`);
  // No history entry of its own: as many as a plain visit in a fresh tab (about:blank, the page).
  const plain = await context.newPage();
  await plain.goto(`${endpoint.origin}/pricing`);
  expect(await tab.evaluate(() => history.length)).toBe(await plain.evaluate(() => history.length));
  await plain.close();
  expect(await tab.evaluate(() => localStorage.getItem('ashop_ref'))).toBe(cookie!.value);
  expect(
    await tab.evaluate(() => document.querySelector<HTMLInputElement>('form.signup input[name=ashop_ref]')?.value),
  ).toBe(cookie!.value);
  expect(await tab.evaluate(() => (window as unknown as { ashop: { referral(): unknown } }).ashop.referral())).toEqual(
    referral,
  );

  expect(await seenBy(tab)).toEqual({ requests: 1, cookieWrites: 1 });
});

it("takes the collector's own cookie, never writes over it on later page views, and restores it from the copy", async () => {
  // What the collector answers a same-site click with (docs/CONTRACTS.md §2): the same record at its own time.
  const serverTs = Date.now() - 60_000;
  endpoint.answer('/v1/clicks', ({ body }) => ({
    status: 202,
    json: { cid: body.cid },
    headers: {
      'Set-Cookie': `ashop_ref=${referralCookieValue({ v: 1, aid: body.aid, bid: body.bid, cid: body.cid, vid: body.vid, ts: serverTs })}; Max-Age=${60 * 86400}; Path=/; SameSite=Lax`,
    },
  }));
  const tab = await context.newPage();
  const clicked = endpoint.next();
  await tab.goto(`${endpoint.origin}/pricing#a_aid=partner_3&a_bid=b3`);
  const click = await clicked;
  // The answer's Set-Cookie lands after the click was received: wait for the page to see it.
  await tab.waitForFunction((ts) => decodeURIComponent(document.cookie).includes(`"ts":${ts}`), serverTs);
  const [collectorCookie] = await context.cookies();
  if (!collectorCookie) throw new Error("the collector's cookie is missing");
  expect(JSON.parse(decodeURIComponent(collectorCookie.value))).toMatchObject({
    aid: 'partner_3',
    bid: 'b3',
    cid: click.body.cid,
    vid: click.body.vid,
  });

  // Later page views read it and leave it as it is.
  await tab.goto(`${endpoint.origin}/pricing`);
  await sdkLoaded(tab);
  expect(await seenBy(tab)).toEqual({ requests: 0, cookieWrites: 0 });
  expect(await context.cookies()).toEqual([collectorCookie]);
  expect(
    await tab.evaluate(() => (window as unknown as { ashop: { referral(): { ts: number } } }).ashop.referral().ts),
  ).toBe(serverTs);

  // A lost cookie comes back from the localStorage copy (written at click time) for the time it had left.
  await context.clearCookies();
  await tab.reload();
  await tab.waitForFunction(() => document.cookie.includes('ashop_ref='));
  const [restored] = await context.cookies();
  const referral = JSON.parse(decodeURIComponent(restored!.value));
  expect(referral).toMatchObject({ aid: 'partner_3', cid: click.body.cid, vid: click.body.vid });
  expect(Math.abs(restored!.expires - (referral.ts / 1000 + 60 * 86400))).toBeLessThan(2);
  expect(endpoint.received).toHaveLength(1);
});

it('reports the click once across reloads, also without cleaning the address, and keeps the cookie', async () => {
  const tab = await context.newPage();
  const clicked = endpoint.next();
  await tab.goto(`${endpoint.origin}/keep#a_aid=partner_2`);
  await clicked;
  const [first] = await context.cookies();
  expect(tab.url()).toBe(`${endpoint.origin}/keep#a_aid=partner_2`);

  await tab.reload();
  await sdkLoaded(tab);
  expect(await seenBy(tab)).toEqual({ requests: 0, cookieWrites: 0 });
  expect(endpoint.received).toHaveLength(1);
  expect(await context.cookies()).toEqual([first]);
});

it('leaves a visitor without partner link alone: no cookie, no storage, no request', async () => {
  const tab = await context.newPage();
  await tab.goto(`${endpoint.origin}/pricing?plan=pro`);
  await sdkLoaded(tab);
  expect(await seenBy(tab)).toEqual({ requests: 0, cookieWrites: 0 });
  expect(await context.cookies()).toEqual([]);
  expect(await tab.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
  expect(endpoint.received).toHaveLength(0);
});
