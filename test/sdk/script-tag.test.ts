/**
 * @jest-environment @happy-dom/jest-environment
 * @jest-environment-options {"settings": {"enableJavaScriptEvaluation": true, "suppressInsecureJavaScriptEnvironmentWarning": true}}
 */
// The built bundle dist/sdk/ashop.min.js (npm run build) as integrators load it: the queue stub,
// then a script tag with data-* attributes, served over HTTP. The default endpoint is the script's
// origin, here the test endpoint. Script evaluation is on for this file: it runs only our own bundle.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEndpoint, watchRequests, type Endpoint, type RequestWatch } from './support';

type Ashop = ((...args: unknown[]) => unknown) & { q?: unknown[]; referral?: () => unknown };
const win = window as unknown as { ashop?: Ashop; happyDOM: { setURL(url: string): void } };
const site = 'http://www.shop.example';
const bundle = readFileSync(join(__dirname, '../../dist/sdk/ashop.min.js'), 'utf8');
// The README's snippet: calls made before the script has loaded wait in ashop.q.
const stub = 'window.ashop=window.ashop||function(){(ashop.q=ashop.q||[]).push(arguments)}';

let endpoint: Endpoint;
let requests: RequestWatch;

function runInline(code: string) {
  const script = document.createElement('script');
  script.textContent = code;
  document.head.appendChild(script);
}

/** Appends the script tag and resolves once it has run. */
function loadSdk(attributes: Record<string, string> = {}) {
  return new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.async = true;
    for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', () => reject(new Error('the SDK did not load')));
    script.src = `${endpoint.origin}/sdk/ashop.min.js`;
    document.head.appendChild(script);
  });
}

beforeAll(async () => {
  endpoint = await startEndpoint();
  endpoint.serve('/sdk/ashop.min.js', 'text/javascript', bundle);
});
afterAll(() => endpoint.close());
beforeEach(() => {
  endpoint.reset();
  delete win.ashop;
  document.head.innerHTML = '';
  document.body.innerHTML = '';
  document.cookie = 'ashop_ref=;Max-Age=-1;Path=/';
  localStorage.clear();
  sessionStorage.clear();
  requests = watchRequests();
});
afterEach(async () => {
  await requests.settled();
  requests.restore();
});

it('replays queued calls in order, stores the referral, reports the click to the script origin and fills forms', async () => {
  win.happyDOM.setURL(`${site}/landing?x=1#a_aid=p9&a_bid=b9`);
  document.body.innerHTML = '<form class="join"></form>';
  endpoint.answer('/v1/signups', { status: 201, json: { attributed: true, partnerId: 'p9' } });
  runInline(stub);
  const order: unknown[] = [];
  win.ashop!('ready', (referral: { aid: string } | null) => order.push(['ready', referral?.aid]));
  const signedUp = new Promise<void>((resolve) =>
    win.ashop!('signup', { customerId: 'c-9', signature: 'ff' }, (error: Error | null, answer: unknown) => {
      order.push(['signup', error, answer]);
      resolve();
    }),
  );
  win.ashop!('ready', () => order.push(['ready again']));
  expect(win.ashop!.q).toHaveLength(3);

  await loadSdk({ 'data-forms': 'form.join' });

  const click = await endpoint.next();
  expect(click.path).toBe('/v1/clicks');
  expect(click.body).toMatchObject({ aid: 'p9', bid: 'b9', url: `${site}/landing?x=1#a_aid=p9&a_bid=b9` });
  const signup = await endpoint.next();
  expect(signup.path).toBe('/v1/signups');
  expect(signup.body).toMatchObject({
    customerId: 'c-9',
    signature: 'ff',
    referral: { v: 1, aid: 'p9', bid: 'b9', cid: click.body.cid },
  });
  await signedUp;
  expect(order).toEqual([['ready', 'p9'], ['ready again'], ['signup', null, { attributed: true, partnerId: 'p9' }]]);

  expect(win.ashop!.referral!()).toMatchObject({ aid: 'p9', cid: click.body.cid, vid: click.body.vid });
  expect(document.cookie).toMatch(/ashop_ref=%7B/);
  expect(location.href).toBe(`${site}/landing?x=1`);
  expect(document.querySelector<HTMLInputElement>('form.join input[name=ashop_ref]')?.value).toBe(
    document.cookie.match(/ashop_ref=([^;]*)/)![1],
  );
  // After loading, calls run at once.
  expect(win.ashop!('referral')).toEqual(win.ashop!.referral!());
});

it('reads its data-* attributes: consent required, cookie days, endpoint; an invalid one warns once', async () => {
  win.happyDOM.setURL(`${site}/#a_aid=p7`);
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
  runInline(stub);
  const seen: unknown[] = [];
  win.ashop!('ready', (referral: unknown) => seen.push(referral));

  await loadSdk({
    'data-consent': 'required',
    'data-cookie-days': '30',
    'data-attribution': 'sideways',
    'data-endpoint': `${endpoint.origin}/collector`,
  });

  expect(seen).toEqual([null]);
  expect(document.cookie).toBe('');
  expect(requests.started).toHaveLength(0);
  expect(warn.mock.calls).toEqual([['ashop', 'attribution']]);

  win.ashop!('consent', true);
  expect(requests.started).toHaveLength(1);
  const click = await endpoint.next();
  expect(click.path).toBe('/collector/v1/clicks');
  expect(click.body.aid).toBe('p7');
  expect(win.ashop!.referral!()).toMatchObject({ aid: 'p7' });
  warn.mockRestore();
});

it('ignores unknown commands and bad arguments without throwing', async () => {
  win.happyDOM.setURL(`${site}/`);
  runInline(stub);
  win.ashop!('nonsense', 1, 2);
  await loadSdk();
  expect(() => win.ashop!('toString')).not.toThrow();
  expect(() => win.ashop!('ready', 'not a function')).not.toThrow();
  expect(() => win.ashop!('signup')).not.toThrow();
  expect(win.ashop!.referral!()).toBeNull();
});
