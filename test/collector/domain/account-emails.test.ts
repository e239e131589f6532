import { claimGraceMs, emailKey, keyIsFree, moveMarkers } from '../../../collector/domain/account-emails';

const now = new Date('2026-05-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const email = 'ann@example.com';

describe('login email keys', () => {
  it('keys an address by account kind: a partner and an operator may share one', () => {
    expect(emailKey('partner', email)).toBe('partner|ann@example.com');
    expect(emailKey('admin', email)).toBe('admin|ann@example.com');
  });

  it('a released key is free', () => {
    expect(keyIsFree({ ownerId: null, at: now }, null, email, now)).toBe(true);
  });

  it('an owner holding the address keeps it, however old the key', () => {
    expect(keyIsFree({ ownerId: 'p1', at: ago(365 * 86_400_000) }, { email }, email, now)).toBe(false);
  });

  it('an owner that moved to another address frees it at once (a change that did not release it)', () => {
    expect(keyIsFree({ ownerId: 'p1', at: now }, { email: 'new@example.com' }, email, now)).toBe(true);
  });

  it('an owner changing to the address keeps it until the change expires', () => {
    const changing = {
      email: 'old@example.com',
      emailChangeTo: email,
      emailChangeExpiresAt: new Date(now.getTime() + 1),
    };
    expect(keyIsFree({ ownerId: 'p1', at: ago(claimGraceMs * 10) }, changing, email, now)).toBe(false);
    const expired = { ...changing, emailChangeExpiresAt: now };
    expect(keyIsFree({ ownerId: 'p1', at: now }, expired, email, now)).toBe(true);
    const otherChange = { ...changing, emailChangeTo: 'other@example.com' };
    expect(keyIsFree({ ownerId: 'p1', at: now }, otherChange, email, now)).toBe(true);
  });

  it('a claim whose account does not exist is respected for the grace time, then free', () => {
    expect(keyIsFree({ ownerId: 'p1', at: ago(claimGraceMs - 1) }, null, email, now)).toBe(false);
    expect(keyIsFree({ ownerId: 'p1', at: ago(claimGraceMs) }, null, email, now)).toBe(true);
  });

  it('names the markers of a keyed-lists move', () => {
    expect(moveMarkers('v4')).toEqual({ started: 'migration:keyed-lists:v4', done: 'migration:keyed-lists:v4:done' });
  });
});
