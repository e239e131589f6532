import {
  attribute,
  parseReferral,
  sameEmail,
  withinWindow,
  type SignupFacts,
} from '../../../collector/domain/attribution';

const cid = '2b1f6c1e-8d3a-4c55-9d7e-0f4a1b2c3d4e';
const vid = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const signupAt = new Date('2026-06-01T12:00:00Z');
const daysBefore = (days: number, extraMs = 0) => new Date(signupAt.getTime() - days * 86_400_000 - extraMs);

function facts(overrides: Partial<SignupFacts> = {}): SignupFacts {
  return {
    referral: { v: 1, aid: 'p1', cid, vid },
    click: { partnerId: 'p1', counted: true, occurredAt: daysBefore(1) },
    partner: { status: 'active', email: 'partner@example.com' },
    signupAt,
    signupEmail: 'customer@example.com',
    windowDays: 60,
    ...overrides,
  };
}

describe('attribution window', () => {
  test.each([
    [0, true],
    [1, true],
    [59, true],
    [60, true],
    [61, false],
    [400, false],
  ])('a click %i days before signup: %s', (days, inside) => {
    expect(withinWindow(daysBefore(days), signupAt, 60)).toBe(inside);
    expect(
      attribute(facts({ click: { partnerId: 'p1', counted: true, occurredAt: daysBefore(days) } })).attributed,
    ).toBe(inside);
  });

  test('the window ends exactly 60 × 24 h after the click', () => {
    expect(withinWindow(daysBefore(60), signupAt, 60)).toBe(true);
    expect(withinWindow(daysBefore(60, 1), signupAt, 60)).toBe(false);
    expect(attribute(facts({ click: { partnerId: 'p1', counted: true, occurredAt: daysBefore(60, 1) } }))).toEqual({
      attributed: false,
      reason: 'expired',
    });
  });

  test('follows the configured window', () => {
    expect(withinWindow(daysBefore(8), signupAt, 7)).toBe(false);
    expect(withinWindow(daysBefore(7), signupAt, 7)).toBe(true);
  });
});

describe('attribute', () => {
  test('an active or pending partner with a counted recent click gets the customer', () => {
    expect(attribute(facts())).toEqual({ attributed: true, partnerId: 'p1' });
    expect(attribute(facts({ partner: { status: 'pending', email: 'x@example.com' } }))).toEqual({
      attributed: true,
      partnerId: 'p1',
    });
  });

  test.each([
    ['no click recorded', { click: undefined }, 'unknown_click'],
    [
      'a click of another partner',
      { click: { partnerId: 'p2', counted: true, occurredAt: daysBefore(1) } },
      'unknown_click',
    ],
    ['an unknown partner', { partner: undefined }, 'partner_inactive'],
    ['a frozen partner', { partner: { status: 'frozen', email: 'partner@example.com' } }, 'partner_inactive'],
    ['a disabled partner', { partner: { status: 'disabled', email: 'partner@example.com' } }, 'partner_inactive'],
    [
      'a click that was not counted (bot)',
      { click: { partnerId: 'p1', counted: false, occurredAt: daysBefore(1) } },
      'click_not_counted',
    ],
    [
      'a click after the signup',
      { click: { partnerId: 'p1', counted: true, occurredAt: new Date(signupAt.getTime() + 1000) } },
      'click_after_signup',
    ],
    ['an expired click', { click: { partnerId: 'p1', counted: true, occurredAt: daysBefore(61) } }, 'expired'],
    ['the partner signing up himself', { signupEmail: ' Partner@Example.COM ' }, 'self_referral'],
  ] as const)('%s → %s', (_name, overrides, reason) => {
    expect(attribute(facts(overrides as Partial<SignupFacts>))).toEqual({ attributed: false, reason });
  });

  test('a signup without email cannot be a self-referral', () => {
    expect(attribute(facts({ signupEmail: undefined })).attributed).toBe(true);
  });

  test('the cookie timestamp is never trusted: only the click record counts', () => {
    const referral = { v: 1 as const, aid: 'p1', cid, vid, ts: signupAt.getTime() };
    expect(
      attribute(facts({ referral, click: { partnerId: 'p1', counted: true, occurredAt: daysBefore(90) } })),
    ).toEqual({
      attributed: false,
      reason: 'expired',
    });
  });
});

describe('parseReferral', () => {
  const cookie = { v: 1, aid: 'p1', bid: 'summer', cid, vid, ts: 1 };

  test('accepts the object, its JSON and its URI-encoded cookie value', () => {
    expect(parseReferral(cookie)).toEqual(cookie);
    expect(parseReferral(JSON.stringify(cookie))).toEqual(cookie);
    expect(parseReferral(encodeURIComponent(JSON.stringify(cookie)))).toEqual(cookie);
  });

  test('nothing sent is undefined; anything unreadable is null', () => {
    expect(parseReferral(undefined)).toBeUndefined();
    expect(parseReferral(null)).toBeUndefined();
    expect(parseReferral('')).toBeUndefined();
    expect(parseReferral('%E0%A4%A')).toBeNull();
    expect(parseReferral('not json')).toBeNull();
    expect(parseReferral({ ...cookie, v: 2 })).toBeNull();
    expect(parseReferral({ ...cookie, aid: 'bad id!' })).toBeNull();
    expect(parseReferral({ ...cookie, cid: 'not-a-uuid' })).toBeNull();
    expect(parseReferral(42)).toBeNull();
  });
});

test('sameEmail ignores case, surrounding spaces and +tags', () => {
  expect(sameEmail('A@B.example', ' a@b.example')).toBe(true);
  expect(sameEmail('a+1@b.example', 'a@b.example')).toBe(true);
  expect(sameEmail('Ann+shop+x@B.example', 'ann@b.example')).toBe(true);
  expect(sameEmail('anne@b.example', 'ann@b.example')).toBe(false);
  expect(sameEmail('ann@b.example', 'ann@c.example')).toBe(false);
});
