import {
  redirectTarget,
  referralCookieScope,
  referralCookieValue,
  siteOf,
  withReferralHash,
} from '../../../collector/domain/tracking-http';

const site = 'https://ashop.example';
const allowed = ['https://ashop.example', 'https://app.ashop.example'];

describe('redirectTarget', () => {
  test.each([
    [undefined, 'https://ashop.example/'],
    ['', 'https://ashop.example/'],
    ['/pricing', 'https://ashop.example/pricing'],
    ['/pricing?x=1#plans', 'https://ashop.example/pricing?x=1#plans'],
    ['https://ashop.example/blog', 'https://ashop.example/blog'],
    ['https://app.ashop.example/signup', 'https://app.ashop.example/signup'],
  ])('%p → %s', (to, expected) => {
    expect(redirectTarget(to, site, allowed)?.href).toBe(expected);
  });

  test.each([
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'data:text/html,hi',
    'http://ashop.example/',
    'https://ashop.example.evil.example/',
    'https://user:pw@ashop.example/',
    ' /pricing',
    '/path\twith-tab',
    'pricing',
    'https://ashop.example:444/',
  ])('refuses %p', (to) => {
    expect(redirectTarget(to, site, allowed)).toBeUndefined();
  });
});

describe('withReferralHash', () => {
  test('adds the partner parameters to the hash, keeping one already there', () => {
    expect(withReferralHash(new URL('https://ashop.example/'), { a_aid: 'p1', a_bid: undefined, a_cid: 'c' })).toBe(
      'https://ashop.example/#a_aid=p1&a_cid=c',
    );
    expect(withReferralHash(new URL('https://ashop.example/x?q=1#plans'), { a_aid: 'p1', a_bid: 'b 1' })).toBe(
      'https://ashop.example/x?q=1#plans&a_aid=p1&a_bid=b%201',
    );
  });
});

describe('same-site cookie scope', () => {
  test('siteOf takes the registrable part of a host', () => {
    expect(siteOf('partners.ashop.example')).toBe('ashop.example');
    expect(siteOf('ashop.example')).toBe('ashop.example');
    expect(siteOf('www.shop.co.uk')).toBe('shop.co.uk');
    expect(siteOf('localhost')).toBe('localhost');
    expect(siteOf('127.0.0.1')).toBe('127.0.0.1');
  });

  test('the site host itself: host-only cookie (the site proxy)', () => {
    expect(referralCookieScope('ashop.example', site)).toEqual({ domain: undefined });
    expect(referralCookieScope('localhost', 'http://localhost:8080')).toEqual({ domain: undefined });
  });

  test('a sibling host of the same site: cookie on the shared parent domain', () => {
    expect(referralCookieScope('partners.ashop.example', site)).toEqual({ domain: 'ashop.example' });
    expect(referralCookieScope('partners.ashop.example', 'https://www.ashop.example')).toEqual({
      domain: 'ashop.example',
    });
  });

  test('another site: no cookie', () => {
    expect(referralCookieScope('collector.other.example', site)).toBeUndefined();
    expect(referralCookieScope('127.0.0.1', 'http://localhost:8080')).toBeUndefined();
    expect(referralCookieScope('evil-ashop.example', site)).toBeUndefined();
  });
});

test('the cookie value is the SDK format', () => {
  const value = referralCookieValue({ v: 1, aid: 'p1', bid: 'b', cid: 'c', vid: 'v', ts: 5 });
  expect(JSON.parse(decodeURIComponent(value))).toEqual({ v: 1, aid: 'p1', bid: 'b', cid: 'c', vid: 'v', ts: 5 });
  expect(value).not.toMatch(/[{}",]/);
});
