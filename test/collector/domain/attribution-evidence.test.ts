// Pure rules of attribution beyond the cookie: the model's pick, evidence precedence, coupon
// checks, the collector's cookie answer and the health report's shares.
import { shares, sourceOf } from '../../../collector/domain/attribution-health';
import { checkCoupon, couponKey } from '../../../collector/domain/coupon';
import { dimensionKey, groupContributions, signupContribution } from '../../../collector/domain/stat-layout';
import { isLivePartner } from '../../../collector/domain/partner-live';
import { chooseEvidence, type Evidence } from '../../../collector/domain/signup-evidence';
import { referralCookieAction, requestCookie } from '../../../collector/domain/tracking-http';
import { pickByModel } from '../../../collector/domain/visitor-history';

const at = (iso: string) => new Date(iso);

describe('pickByModel', () => {
  const clicks = [
    { id: 'b', occurredAt: at('2026-01-02T00:00:00Z') },
    { id: 'a', occurredAt: at('2026-01-01T00:00:00Z') },
    { id: 'c', occurredAt: at('2026-01-03T00:00:00Z') },
    { id: 'c2', occurredAt: at('2026-01-03T00:00:00Z') },
  ];
  it('first and last by click time, ties to the earlier recorded', () => {
    expect(pickByModel(clicks, 'first')!.id).toBe('a');
    expect(pickByModel(clicks, 'last')!.id).toBe('c');
    expect(pickByModel([], 'last')).toBeUndefined();
  });
});

describe('isLivePartner', () => {
  it.each([
    ['active', true],
    ['pending', true],
    ['frozen', false],
    ['disabled', false],
  ])('%s → %s', (status, live) => expect(isLivePartner({ status })).toBe(live));
  it('unknown partners are not live', () => expect(isLivePartner(undefined)).toBe(false));
});

describe('chooseEvidence', () => {
  const link: Evidence = { attributed: true, partnerId: 'L', method: 'link', source: 'sdk' };
  const coupon: Evidence = { attributed: true, partnerId: 'C', method: 'coupon', source: 'coupon' };
  const badLink: Evidence = { attributed: false, reason: 'expired' };
  const badCoupon: Evidence = { attributed: false, reason: 'coupon_expired' };
  it('both attribute: the precedence decides', () => {
    expect(chooseEvidence(link, coupon, 'coupon')).toBe(coupon);
    expect(chooseEvidence(link, coupon, 'link')).toBe(link);
  });
  it('one attributes: that one, whatever the precedence', () => {
    expect(chooseEvidence(badLink, coupon, 'link')).toBe(coupon);
    expect(chooseEvidence(link, badCoupon, 'coupon')).toBe(link);
  });
  it("neither: the code's reason when a code was given, else the link's", () => {
    expect(chooseEvidence(badLink, badCoupon, 'coupon')).toBe(badCoupon);
    expect(chooseEvidence(badLink, undefined, 'coupon')).toBe(badLink);
    expect(chooseEvidence(undefined, undefined, 'coupon')).toEqual({ attributed: false, reason: 'no_referral' });
  });
});

describe('coupons', () => {
  const now = at('2026-06-01T00:00:00Z');
  const active = { partnerId: 'p1', status: 'active' };
  it('keys codes case-insensitively and refuses what cannot be a code', () => {
    expect(couponKey('Summer_25')).toBe('summer_25');
    expect(couponKey('ab')).toBeUndefined();
    expect(couponKey('a'.repeat(33))).toBeUndefined();
    expect(couponKey('sp ace')).toBeUndefined();
  });
  it('checks existence, decision, activation, end date and the partner', () => {
    expect(checkCoupon(undefined, undefined, now)).toEqual({ valid: false, reason: 'unknown_coupon' });
    expect(checkCoupon({ ...active, status: 'pending' }, { status: 'active' }, now)).toEqual({
      valid: false,
      reason: 'unknown_coupon',
    });
    expect(checkCoupon({ ...active, status: 'inactive' }, { status: 'active' }, now).valid).toBe(false);
    expect(checkCoupon({ ...active, endsAt: at('2026-05-31T23:59:59Z') }, { status: 'active' }, now)).toEqual({
      valid: false,
      reason: 'coupon_expired',
    });
    expect(checkCoupon({ ...active, endsAt: now }, { status: 'active' }, now).valid).toBe(true);
    expect(checkCoupon(active, { status: 'frozen' }, now)).toEqual({ valid: false, reason: 'partner_inactive' });
    expect(checkCoupon({ ...active, discount: '10%' }, { status: 'pending' }, now)).toEqual({
      valid: true,
      partnerId: 'p1',
      discount: '10%',
    });
  });
  it("counts a coupon customer under its code in the partner's bucket, not under a banner", () => {
    const signup = signupContribution('p1', new Date('2026-03-31T23:59:59Z'), { coupon: couponKey('Save10') });
    const { buckets } = groupContributions([signup]);
    const bucket = buckets.get('p1|2026-03')!;
    expect(bucket.inc.dims.coupon[dimensionKey('save10')]).toEqual({ '31': { signups: 1 } });
    expect(bucket.inc.dims.banner).toEqual({});
    expect(bucket.inc.days).toEqual({ '31': { signups: 1 } });
  });
});

describe("the collector's cookie answer", () => {
  const click = { aid: 'B', cid: 'c2', counted: true };
  it("keeps another live partner's referral", () => {
    expect(referralCookieAction({ aid: 'A', cid: 'c1', partnerLive: true }, click, true)).toBe('keep');
    expect(referralCookieAction({ aid: 'A', cid: 'c1', partnerLive: true }, { ...click, counted: false }, true)).toBe(
      'keep',
    );
  });
  it("sets a counted click's record over none, its own, or a dead partner's", () => {
    expect(referralCookieAction(undefined, click, false)).toBe('set');
    expect(referralCookieAction({ aid: 'B', cid: 'c2', partnerLive: true }, click, true)).toBe('set');
    expect(referralCookieAction({ aid: 'A', cid: 'c1', partnerLive: false }, click, true)).toBe('set');
  });
  it('clears a dead referral, and leaves a browser without cookie alone', () => {
    const dead = { ...click, counted: false };
    expect(referralCookieAction({ aid: 'B', cid: 'c2', partnerLive: false }, dead, true)).toBe('clear');
    expect(referralCookieAction(undefined, dead, true)).toBe('clear');
    expect(referralCookieAction(undefined, dead, false)).toBe('keep');
  });
  it('reads one cookie from the header', () => {
    expect(requestCookie('a=1; ashop_ref=x%7B; b=2', 'ashop_ref')).toBe('x%7B');
    expect(requestCookie('ashop_ref=', 'ashop_ref')).toBe('');
    expect(requestCookie('xashop_ref=1', 'ashop_ref')).toBeUndefined();
    expect(requestCookie(undefined, 'ashop_ref')).toBeUndefined();
  });
});

describe('health shares', () => {
  it.each([[[1, 1, 1]], [[2, 1, 1, 1, 1, 1, 1, 2, 1]], [[7, 0, 3]], [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]]])(
    '%j adds up to exactly 10,000 hundredths',
    (counts) => {
      const result = shares(counts);
      expect(result.reduce((a, b) => a + b, 0)).toBe(10_000);
      counts.forEach((count, i) =>
        expect(Math.abs(result[i]! - (count * 10_000) / counts.reduce((a, b) => a + b))).toBeLessThan(1),
      );
    },
  );
  it('all zero without signups', () => expect(shares([0, 0])).toEqual([0, 0]));
  it('names the source of a link by the referral mark', () => {
    expect(sourceOf('link', undefined)).toBe('sdk');
    expect(sourceOf('link', 'r')).toBe('restored');
    expect(sourceOf('link', 's')).toBe('server');
    expect(sourceOf('history', 's')).toBe('history');
  });
});
