/** @jest-environment @happy-dom/jest-environment */
// The tracker (sdk/tracker.ts through createTracker) in happy-dom: cookie, storage copy,
// attribution, transport, consent, forms and the rules for visitors without a referral. Requests
// go to a real HTTP endpoint on loopback.
import { createTracker, type Referral, type SignupAnswer, type Tracker, type TrackerOptions } from '../../sdk/index';
import { startEndpoint, UUID_V4, watchRequests, type Endpoint, type Received, type RequestWatch } from './support';

const DAY = 86_400_000;
const site = 'http://www.shop.example';
const cid = '0b5c9a8e-3f4d-4c1b-9a2e-7d6f5e4c3b2a';
const vid = '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d';

let endpoint: Endpoint;
let requests: RequestWatch;
const happyDOM = () => (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM;
const visit = async (url: string) => happyDOM().setURL(url);

const cookieValue = () => document.cookie.match(/(?:^|; )ashop_ref=([^;]*)/)?.[1];
const decode = (value: string | null | undefined): Referral => JSON.parse(decodeURIComponent(value!));
const encode = (referral: object) => encodeURIComponent(JSON.stringify(referral));
const stored = () => ({
  cookie: cookieValue(),
  local: localStorage.getItem('ashop_ref'),
  session: sessionStorage.getItem('ashop_ref'),
});

// Browser APIs replaced for one test (to watch them, or to make them throw like a locked-down
// browser), restored after it.
const restores: (() => void)[] = [];
function override(target: object, name: string, descriptor: PropertyDescriptor) {
  const own = Object.getOwnPropertyDescriptor(target, name);
  Object.defineProperty(target, name, { configurable: true, ...descriptor });
  restores.push(() =>
    own ? Object.defineProperty(target, name, own) : delete (target as Record<string, unknown>)[name],
  );
}
function inherited(target: object, name: string): PropertyDescriptor {
  for (let o = Object.getPrototypeOf(target); o; o = Object.getPrototypeOf(o)) {
    const descriptor = Object.getOwnPropertyDescriptor(o, name);
    if (descriptor) return descriptor;
  }
  throw new Error(`no ${name}`);
}
const denied = () => {
  throw new DOMException('The operation is insecure.', 'SecurityError');
};

/** The cookie strings the SDK writes, passed on to happy-dom's cookie jar. */
function cookieWrites(): string[] {
  const writes: string[] = [];
  const { get, set } = inherited(document, 'cookie');
  override(document, 'cookie', {
    get: () => get!.call(document),
    set: (value: string) => {
      writes.push(value);
      set!.call(document, value);
    },
  });
  return writes;
}

/** For tests about storage on pages whose click cannot reach the test endpoint (https, the page's own origin): the beacon is taken and dropped. */
const dropClicks = () => jest.spyOn(navigator, 'sendBeacon').mockReturnValue(true);

const track = (options: TrackerOptions = {}): Tracker => createTracker({ endpoint: endpoint.origin, ...options });

async function clearBrowser() {
  for (const url of [`${site}/`, 'https://www.shop.example/', 'https://app.shop.example/']) {
    await visit(url);
    for (const domain of ['', ';Domain=shop.example']) document.cookie = `ashop_ref=;Max-Age=-1;Path=/${domain}`;
  }
  localStorage.clear();
  sessionStorage.clear();
  document.body.innerHTML = '';
}

beforeAll(async () => {
  endpoint = await startEndpoint();
});
afterAll(() => endpoint.close());
beforeEach(async () => {
  await clearBrowser();
  endpoint.reset();
  requests = watchRequests();
});
afterEach(async () => {
  await requests.settled();
  jest.restoreAllMocks();
  while (restores.length) restores.pop()!();
  requests.restore();
});

describe('a partner link', () => {
  it('stores the referral cookie and its copy, reports the click once by beacon and cleans the address', async () => {
    await visit(`${site}/pricing?plan=pro#a_aid=p1&a_bid=summer&data1=sub%201&data2=x`);
    const cookies = cookieWrites();
    const beacon = jest.spyOn(navigator, 'sendBeacon');
    const historyLength = history.length;
    const before = Date.now();

    const tracker = track();
    expect(requests.started).toHaveLength(1);

    const referral = decode(cookieValue());
    expect(referral).toEqual({
      v: 1,
      aid: 'p1',
      bid: 'summer',
      cid: expect.stringMatching(UUID_V4),
      vid: expect.stringMatching(UUID_V4),
      ts: expect.any(Number),
    });
    expect(referral.ts).toBeGreaterThanOrEqual(before);
    expect(referral.ts).toBeLessThanOrEqual(Date.now());
    expect(referral.cid).not.toBe(referral.vid);
    expect(cookies).toEqual([`ashop_ref=${encode(referral)};Max-Age=${60 * 86400};Path=/;SameSite=Lax`]);
    expect(localStorage.getItem('ashop_ref')).toBe(cookieValue());
    expect(tracker.referral()).toEqual(referral);

    expect(location.href).toBe(`${site}/pricing?plan=pro`);
    expect(history.length).toBe(historyLength);

    const click = await endpoint.next();
    expect(click).toMatchObject({ method: 'POST', path: '/v1/clicks', origin: site });
    expect(click.contentType).toMatch(/^text\/plain/);
    expect(click.body).toMatchObject({
      aid: 'p1',
      bid: 'summer',
      data1: 'sub 1',
      data2: 'x',
      cid: referral.cid,
      vid: referral.vid,
      url: `${site}/pricing?plan=pro#a_aid=p1&a_bid=summer&data1=sub%201&data2=x`,
    });
    expect(beacon).toHaveBeenCalledTimes(1);
    await requests.settled();
    expect(endpoint.received).toHaveLength(1);
  });

  it('falls back to fetch with keepalive where sendBeacon is missing', async () => {
    await visit(`${site}/#a_aid=p1`);
    Object.defineProperty(navigator, 'sendBeacon', { value: undefined, configurable: true });
    const fetchSpy = jest.spyOn(window, 'fetch');
    try {
      track();
    } finally {
      delete (navigator as { sendBeacon?: unknown }).sendBeacon;
    }
    const click = await endpoint.next();
    expect(click.body).toMatchObject({ aid: 'p1', cid: decode(cookieValue()).cid });
    expect(click.contentType).toMatch(/^text\/plain/);
    expect(fetchSpy).toHaveBeenCalledWith(
      `${endpoint.origin}/v1/clicks`,
      expect.objectContaining({ method: 'POST', keepalive: true }),
    );
  });

  it('falls back to fetch when the browser refuses the beacon', async () => {
    await visit(`${site}/#a_aid=p1`);
    jest.spyOn(navigator, 'sendBeacon').mockReturnValue(false);
    const fetchSpy = jest.spyOn(window, 'fetch');
    track();
    expect((await endpoint.next()).body).toMatchObject({ aid: 'p1' });
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it("stores a redirect link's click ID and reports it with the visitor ID (the collector links, not counts, it)", async () => {
    await visit(`${site}/#a_aid=p1&a_bid=b1&a_cid=${cid}`);
    track();
    const referral = decode(cookieValue());
    expect(referral).toMatchObject({ aid: 'p1', bid: 'b1', cid });
    expect(location.href).toBe(`${site}/`);
    expect((await endpoint.next()).body).toMatchObject({ aid: 'p1', bid: 'b1', cid, vid: referral.vid });
    expect(requests.started).toHaveLength(1);
    await requests.settled();
    expect(endpoint.received).toHaveLength(1);
  });

  it('is reported once across a reload, with or without cleaning the address', async () => {
    await visit(`${site}/a?x=1#a_aid=p1`);
    track();
    await endpoint.next();
    const value = cookieValue();
    // The reload loads the cleaned address.
    await visit(location.href);
    track();

    await visit(`${site}/b#a_aid=p1`);
    track({ stripParams: false });
    await endpoint.next();
    expect(location.href).toBe(`${site}/b#a_aid=p1`);
    const second = cookieValue();
    expect(second).not.toBe(value);
    const cookies = cookieWrites();
    await visit(`${site}/b#a_aid=p1`);
    track({ stripParams: false });

    expect(requests.started).toHaveLength(2);
    await requests.settled();
    expect(endpoint.received).toHaveLength(2);
    expect(cookies).toEqual([]);
    expect(cookieValue()).toBe(second);
  });
});

describe('attribution', () => {
  const clickOf = async (url: string, options: TrackerOptions = {}) => {
    await visit(url);
    track(options);
    return (await endpoint.next()).body;
  };

  it('first: keeps an unexpired referral of another partner, and reports the click with the kept visitor ID', async () => {
    const first = await clickOf(`${site}/#a_aid=p1`);
    const before = stored();
    const cookies = cookieWrites();
    await visit(`${site}/other#a_aid=p2`);
    track();
    const second = (await endpoint.next()).body;
    expect(second).toMatchObject({ aid: 'p2', vid: first.vid, cid: expect.stringMatching(UUID_V4) });
    expect(second.cid).not.toBe(first.cid);
    expect(stored().cookie).toBe(before.cookie);
    expect(stored().local).toBe(before.local);
    expect(cookies).toEqual([]);
    expect(location.href).toBe(`${site}/other`);
  });

  it('first: a new click of the same partner refreshes the referral, keeping the visitor ID', async () => {
    const first = await clickOf(`${site}/#a_aid=p1&a_bid=b1`);
    const firstReferral = decode(cookieValue());
    const second = await clickOf(`${site}/again#a_aid=p1&a_bid=b2`);
    const referral = decode(cookieValue());
    expect(referral).toMatchObject({ aid: 'p1', bid: 'b2', vid: first.vid });
    expect(referral.cid).not.toBe(first.cid);
    expect(second).toMatchObject({ cid: referral.cid, vid: first.vid });
    expect(referral.ts).toBeGreaterThanOrEqual(firstReferral.ts);
  });

  it('last: every partner click replaces the referral, keeping the visitor ID', async () => {
    const first = await clickOf(`${site}/#a_aid=p1`, { attribution: 'last' });
    const second = await clickOf(`${site}/other#a_aid=p2`, { attribution: 'last' });
    expect(decode(cookieValue())).toMatchObject({ aid: 'p2', cid: second.cid, vid: first.vid });
    expect(decode(localStorage.getItem('ashop_ref'))).toMatchObject({ aid: 'p2' });
  });

  it('first: an expired referral (storage copy past its days) does not hold off another partner', async () => {
    localStorage.setItem('ashop_ref', encode({ v: 1, aid: 'old', cid, vid, ts: Date.now() - 61 * DAY }));
    await visit(`${site}/#a_aid=p2`);
    const tracker = track();
    expect(tracker.referral()).toMatchObject({ aid: 'p2' });
    expect((await endpoint.next()).body.aid).toBe('p2');
  });
});

describe('the storage copy', () => {
  it('restores a lost cookie for the time it had left', async () => {
    const referral = { v: 1, aid: 'p1', bid: 'b1', cid, vid, ts: Date.now() - 10 * DAY };
    localStorage.setItem('ashop_ref', encode(referral));
    await visit(`${site}/`);
    const cookies = cookieWrites();
    // Marked as restored (p: 'r') for the collector's attribution health.
    expect(track().referral()).toEqual({ ...referral, p: 'r' });
    expect(decode(cookieValue())).toEqual({ ...referral, p: 'r' });
    const [write] = cookies;
    const maxAge = Number(write!.match(/Max-Age=(\d+)/)![1]);
    expect(Math.abs(maxAge - 50 * 86400)).toBeLessThanOrEqual(1);
  });

  it('follows cookie-days for expiry', async () => {
    localStorage.setItem('ashop_ref', encode({ v: 1, aid: 'p1', cid, vid, ts: Date.now() - 8 * DAY }));
    await visit(`${site}/`);
    expect(track({ cookieDays: 7 }).referral()).toBeNull();
    expect(track({ cookieDays: 9 }).referral()).toMatchObject({ aid: 'p1' });
  });

  it("is not restored over an empty cookie: the collector's word that the referral was dead", async () => {
    await visit(`${site}/page`);
    document.cookie = 'ashop_ref=;Max-Age=5184000;Path=/';
    localStorage.setItem('ashop_ref', encode({ v: 1, aid: 'dead', cid, vid, ts: Date.now() - DAY }));
    const cookies = cookieWrites();
    expect(track().referral()).toBeNull();
    expect(cookies).toEqual([]);
    // A live partner's link is then kept (first attribution holds nothing off).
    await visit(`${site}/#a_aid=p2`);
    expect(track().referral()).toMatchObject({ aid: 'p2' });
    expect((await endpoint.next()).body.aid).toBe('p2');
  });

  it('never replaces a cookie that is there (it may be the collector’s own)', async () => {
    await visit(`${site}/page`);
    const serverCookie = encode({ v: 1, aid: 'p1', cid, vid, ts: Date.now() - DAY });
    document.cookie = `ashop_ref=${serverCookie};Max-Age=5184000;Path=/`;
    localStorage.setItem('ashop_ref', encode({ v: 1, aid: 'p1', cid, vid, ts: Date.now() - 2 * DAY }));
    const cookies = cookieWrites();
    expect(track().referral()).toEqual(decode(serverCookie));
    expect(cookies).toEqual([]);
  });
});

describe('cookie scope', () => {
  it('is Secure on https and shared with sibling hosts when cookieDomain is set', async () => {
    dropClicks();
    await visit(`https://www.shop.example/#a_aid=p1&a_cid=${cid}`);
    const cookies = cookieWrites();
    track({ cookieDomain: '.shop.example' });
    const value = cookieValue();
    expect(cookies).toEqual([
      `ashop_ref=${value};Max-Age=${60 * 86400};Path=/;SameSite=Lax;Secure;Domain=.shop.example`,
    ]);
    await visit('https://app.shop.example/');
    expect(cookieValue()).toBe(value);
    await visit('http://app.shop.example/');
    expect(cookieValue()).toBeUndefined();
  });

  it('is host-only by default', async () => {
    dropClicks();
    await visit(`https://www.shop.example/#a_aid=p1&a_cid=${cid}`);
    track();
    expect(cookieValue()).toBeDefined();
    await visit('https://app.shop.example/');
    expect(cookieValue()).toBeUndefined();
  });

  it('accepts the host itself as cookieDomain and refuses another site with a warning', async () => {
    dropClicks();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    await visit(`https://www.shop.example/#a_aid=p1&a_cid=${cid}`);
    const cookies = cookieWrites();
    track({ cookieDomain: 'www.shop.example' });
    track({ cookieDomain: 'evil.example' });
    expect(cookies[0]).toMatch(/;Domain=www\.shop\.example$/);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('ashop', 'cookieDomain');
  });
});

describe('broken cookies and storage', () => {
  it.each([
    ['garbage', 'garbage'],
    ['malformed escapes', '%E0%A4%A'],
    ['truncated JSON', encodeURIComponent('{"v":1,"aid":"p1"')],
    ['an unknown version', encode({ v: 2, aid: 'p1', cid, vid, ts: Date.now() })],
    ['missing IDs', encode({ v: 1, aid: 'p1', ts: Date.now() })],
    ['an invalid partner ID', encode({ v: 1, aid: 'a b', cid, vid, ts: Date.now() })],
    ['JSON null', 'null'],
  ])('ignores a cookie or storage value with %s', async (_, value) => {
    document.cookie = `ashop_ref=${value};Path=/`;
    localStorage.setItem('ashop_ref', value);
    await visit(`${site}/`);
    expect(track().referral()).toBeNull();
    // A corrupt referral holds off nobody (first attribution).
    await visit(`${site}/#a_aid=p2`);
    expect(track().referral()).toMatchObject({ aid: 'p2' });
    expect((await endpoint.next()).body.aid).toBe('p2');
  });

  it('survives storage that throws (private mode, blocked storage): the cookie and the click still work', async () => {
    override(window, 'localStorage', { get: denied });
    override(window, 'sessionStorage', { get: denied });
    await visit(`${site}/#a_aid=p1`);
    const tracker = track();
    expect(tracker.referral()).toMatchObject({ aid: 'p1' });
    expect((await endpoint.next()).body.aid).toBe('p1');
    expect(() => tracker.consent(false)).not.toThrow();
  });

  it('survives cookies that throw: the storage copy and the click still work', async () => {
    override(document, 'cookie', { get: denied, set: denied });
    await visit(`${site}/#a_aid=p1`);
    const tracker = track();
    expect(decode(localStorage.getItem('ashop_ref'))).toMatchObject({ aid: 'p1' });
    expect((await endpoint.next()).body.aid).toBe('p1');
    expect(tracker.referral()).toMatchObject({ aid: 'p1' });
  });
});

describe('a visitor without partner link or referral', () => {
  it('gets no cookie, no storage and no request', async () => {
    await visit(`${site}/pricing?data1=own#faq`);
    const cookies = cookieWrites();
    const beacon = jest.spyOn(navigator, 'sendBeacon');
    const fetchSpy = jest.spyOn(window, 'fetch');
    const tracker = track({ forms: 'form.no-referral' });
    tracker.ready(() => {});
    expect(tracker.referral()).toBeNull();
    expect(cookies).toEqual([]);
    expect(document.cookie).toBe('');
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
    expect(beacon).not.toHaveBeenCalled();
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(requests.started).toHaveLength(0);
    expect(location.href).toBe(`${site}/pricing?data1=own#faq`);
  });

  it('gets none for a link with an invalid partner ID either', async () => {
    await visit(`${site}/#a_aid=bad%20id`);
    const cookies = cookieWrites();
    track();
    expect(cookies).toEqual([]);
    expect(localStorage.length + sessionStorage.length).toBe(0);
    expect(requests.started).toHaveLength(0);
    expect(location.href).toBe(`${site}/#a_aid=bad%20id`);
  });
});

describe('consent', () => {
  it('required: nothing is stored or sent before consent(true), then the link on this page counts', async () => {
    await visit(`${site}/landing#a_aid=p1`);
    const cookies = cookieWrites();
    const beacon = jest.spyOn(navigator, 'sendBeacon');
    const tracker = track({ consent: 'required' });
    const seen: (Referral | null)[] = [];
    tracker.ready((referral) => seen.push(referral));
    expect(tracker.referral()).toBeNull();
    expect(cookies).toEqual([]);
    expect(localStorage.length + sessionStorage.length).toBe(0);
    expect(beacon).not.toHaveBeenCalled();
    expect(requests.started).toHaveLength(0);
    expect(location.href).toBe(`${site}/landing`);

    tracker.consent(true);
    expect(tracker.referral()).toMatchObject({ aid: 'p1' });
    expect((await endpoint.next()).body).toMatchObject({ aid: 'p1', url: `${site}/landing#a_aid=p1` });
    tracker.ready((referral) => seen.push(referral));
    expect(seen).toEqual([null, expect.objectContaining({ aid: 'p1' })]);
  });

  it('required: a stored referral is not read before consent', async () => {
    await visit(`${site}/`);
    document.cookie = `ashop_ref=${encode({ v: 1, aid: 'p1', cid, vid, ts: Date.now() })};Path=/`;
    const tracker = track({ consent: 'required' });
    expect(tracker.referral()).toBeNull();
    tracker.consent(true);
    expect(tracker.referral()).toMatchObject({ aid: 'p1' });
  });

  it('false deletes the cookie, its copy and the reload marker, and stops tracking', async () => {
    dropClicks();
    await visit(`https://www.shop.example/#a_aid=p1&a_cid=${cid}`);
    const tracker = track({ cookieDomain: 'shop.example' });
    expect(stored().cookie).toBeDefined();
    // A host-only cookie too, as the collector sets through the site's proxy.
    document.cookie = `ashop_ref=${cookieValue()};Path=/;Secure`;
    tracker.consent(false);
    expect(stored()).toEqual({ cookie: undefined, local: null, session: null });
    expect(tracker.referral()).toBeNull();
    await visit('https://app.shop.example/');
    expect(cookieValue()).toBeUndefined();
  });
});

describe('forms', () => {
  const inputOf = (form: Element | null) => form?.querySelector<HTMLInputElement>('input[name=ashop_ref]');

  it('gives matching forms a hidden ashop_ref input with the referral, also forms added later', async () => {
    document.body.innerHTML = '<form class="signup-a"><input name="email"></form><form class="other"></form>';
    await visit(`${site}/#a_aid=p1`);
    const tracker = track({ forms: 'form.signup-a' });
    const input = inputOf(document.querySelector('form.signup-a'));
    expect(input?.type).toBe('hidden');
    expect(input?.value).toBe(cookieValue());
    expect(decode(input?.value)).toEqual(tracker.referral());
    expect(inputOf(document.querySelector('form.other'))).toBeNull();
    await endpoint.next();

    // The SDK fills a form added later from its MutationObserver: wait for that input to appear.
    const filled = new Promise<void>((resolve) =>
      new MutationObserver((_records, observer) => {
        if (!inputOf(document.getElementById('late'))) return;
        observer.disconnect();
        resolve();
      }).observe(document.body, { childList: true, subtree: true }),
    );
    document.body.insertAdjacentHTML('beforeend', '<div><form class="signup-a" id="late"></form></div>');
    await filled;
    expect(inputOf(document.getElementById('late'))?.value).toBe(cookieValue());
    expect(document.querySelectorAll('form.signup-a input[name=ashop_ref]')).toHaveLength(2);

    tracker.consent(false);
    expect(inputOf(document.getElementById('late'))?.value).toBe('');
  });

  it('leaves the input empty for a visitor without referral', async () => {
    document.body.innerHTML = '<form class="signup-b"></form>';
    await visit(`${site}/`);
    track({ forms: '.signup-b' });
    expect(inputOf(document.querySelector('.signup-b'))?.value).toBe('');
  });
});

describe('signup', () => {
  const signup = (tracker: Tracker, data = { customerId: 'cust-1', email: 'ann@example.com', signature: 'ab12' }) =>
    new Promise<[Error | null, SignupAnswer | undefined]>((resolve) =>
      tracker.signup(data, (error, answer) => resolve([error, answer])),
    );

  it('sends the stored referral and calls back with the answer', async () => {
    endpoint.answer('/v1/signups', { status: 201, json: { attributed: true, partnerId: 'p1' } });
    await visit(`${site}/#a_aid=p1&a_cid=${cid}`);
    const tracker = track();
    const [error, answer] = await signup(tracker);
    expect(error).toBeNull();
    expect(answer).toEqual({ attributed: true, partnerId: 'p1' });
    const request = endpoint.received.find((r: Received) => r.path === '/v1/signups')!;
    expect(request.contentType).toMatch(/^text\/plain/);
    expect(request.body).toEqual({
      customerId: 'cust-1',
      email: 'ann@example.com',
      signature: 'ab12',
      referral: tracker.referral(),
    });
  });

  it('works without a referral (the collector answers attributed:false)', async () => {
    endpoint.answer('/v1/signups', { status: 200, json: { attributed: false, reason: 'no_referral' } });
    await visit(`${site}/`);
    const [error, answer] = await signup(track());
    expect(error).toBeNull();
    expect(answer).toEqual({ attributed: false, reason: 'no_referral' });
    expect(endpoint.received[0]!.body).toEqual({
      customerId: 'cust-1',
      email: 'ann@example.com',
      signature: 'ab12',
      referral: null,
    });
  });

  it('calls back with an error carrying the problem detail', async () => {
    const problem = {
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'The signature does not match the customerId.',
    };
    endpoint.answer('/v1/signups', { status: 401, json: problem });
    // happy-dom's console reports the 401 as a browser would.
    jest.spyOn(console, 'error').mockImplementation(() => {});
    await visit(`${site}/`);
    const [error, answer] = await signup(track());
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toBe(problem.detail);
    expect(answer).toEqual(problem);
  });

  it('calls back with an error when the collector cannot be reached', async () => {
    await visit(`${site}/`);
    jest.spyOn(console, 'error').mockImplementation(() => {});
    const [error, answer] = await signup(createTracker({ endpoint: 'http://127.0.0.1:9' }));
    // A TypeError in browsers, happy-dom's own DOMException here.
    expect(error?.message).toEqual(expect.any(String));
    expect(answer).toBeUndefined();
  });

  it('before consent (required) sends no referral', async () => {
    await visit(`${site}/#a_aid=p1`);
    await signup(track({ consent: 'required' }));
    expect(endpoint.received).toHaveLength(1);
    expect(endpoint.received[0]!.body.referral).toBeNull();
  });
});

describe('options', () => {
  it('an invalid value falls back to the default with one warning each, never breaking the page', async () => {
    dropClicks();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    await visit(`${site}/#a_aid=p1&a_cid=${cid}`);
    const cookies = cookieWrites();
    const tracker = createTracker({
      endpoint: 'ftp://collector.example',
      cookieDomain: 'other.example',
      cookieDays: 'forever',
      attribution: 'middle' as 'first',
      consent: 'maybe' as 'granted',
      stripParams: 'nope',
      forms: 'form[',
    });
    expect(warn.mock.calls).toEqual([
      ['ashop', 'endpoint'],
      ['ashop', 'cookieDomain'],
      ['ashop', 'cookieDays'],
      ['ashop', 'attribution'],
      ['ashop', 'consent'],
      ['ashop', 'stripParams'],
      ['ashop', 'forms'],
    ]);
    // Defaults: consent granted, 60 days, host-only, address cleaned.
    expect(cookies).toEqual([`ashop_ref=${cookieValue()};Max-Age=${60 * 86400};Path=/;SameSite=Lax`]);
    expect(tracker.referral()).toMatchObject({ aid: 'p1', cid });
    expect(location.href).toBe(`${site}/`);
  });

  it('accepts string values as the script tag gives them', async () => {
    await visit(`${site}/#a_aid=p1`);
    const cookies = cookieWrites();
    track({ cookieDays: '30', stripParams: 'false', attribution: 'last' });
    expect(cookies[0]).toContain(`;Max-Age=${30 * 86400};`);
    expect(location.href).toBe(`${site}/#a_aid=p1`);
    await endpoint.next();
  });

  it('takes a relative endpoint as a path on this site', async () => {
    await visit(`${site}/#a_aid=p1`);
    const beacon = jest.spyOn(navigator, 'sendBeacon').mockReturnValue(true);
    createTracker({ endpoint: '/ashop' });
    expect(beacon).toHaveBeenCalledWith('/ashop/v1/clicks', expect.any(String));
  });
});

describe('the API never throws into the page', () => {
  it('whatever it is given', async () => {
    await visit(`${site}/`);
    const tracker = track();
    expect(() => tracker.signup(undefined as never)).not.toThrow();
    expect(() => tracker.ready(42 as never)).not.toThrow();
    expect(() =>
      tracker.ready(() => {
        throw new Error('host bug');
      }),
    ).not.toThrow();
    expect(() => tracker.consent('yes' as never)).not.toThrow();
  });
});
