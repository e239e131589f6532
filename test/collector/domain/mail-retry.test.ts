import { mailRetryAt } from '../../../collector/domain/mail-retry';

describe('mailRetryAt', () => {
  const now = new Date('2026-01-01T00:00:00Z');

  it('doubles the delay per attempt, capped at 6 hours', () => {
    expect(mailRetryAt(now, 1, 30_000, 10)!.getTime() - now.getTime()).toBe(30_000);
    expect(mailRetryAt(now, 3, 30_000, 10)!.getTime() - now.getTime()).toBe(120_000);
    expect(mailRetryAt(now, 9, 3_600_000, 10)!.getTime() - now.getTime()).toBe(6 * 3_600_000);
  });

  it('gives up after the last attempt', () => {
    expect(mailRetryAt(now, 10, 30_000, 10)).toBeNull();
  });
});
