import { issueToken, parseToken, tokenMatches } from '../../../collector/auth/one-time-tokens';

describe('one-time tokens', () => {
  it('issues tokens that name the account and match only their own hash', () => {
    const issued = issueToken('abc123');
    const parsed = parseToken(issued.token)!;
    expect(parsed.accountId).toBe('abc123');
    expect(tokenMatches(parsed.secret, issued.hash)).toBe(true);
    expect(tokenMatches(parsed.secret, issueToken('abc123').hash)).toBe(false);
    expect(tokenMatches(parsed.secret, undefined)).toBe(false);
    expect(parseToken('no-dot')).toBeUndefined();
    expect(parseToken('.x')).toBeUndefined();
  });
});
