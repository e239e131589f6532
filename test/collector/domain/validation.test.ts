import { bannerIdField } from '../../../collector/domain/validation';

describe('bannerIdField (the a_bid of links)', () => {
  it('takes 1-64 characters of A-Z a-z 0-9 _ -, nothing else', () => {
    expect(bannerIdField.safeParse('summer_2026-b').success).toBe(true);
    expect(bannerIdField.safeParse('x'.repeat(64)).success).toBe(true);
    for (const id of ['', 'x'.repeat(65), 'a b', 'a/b', 'ä']) expect(bannerIdField.safeParse(id).success).toBe(false);
  });
});
