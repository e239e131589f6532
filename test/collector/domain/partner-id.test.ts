import { generatePartnerId, partnerIdAlphabet } from '../../../collector/domain/partner-id';

describe('partner IDs', () => {
  it('are 10 typeable characters of the link charset, without look-alikes, and random', () => {
    const ids = new Set(Array.from({ length: 2000 }, generatePartnerId));
    expect(ids.size).toBe(2000);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(id).toHaveLength(10);
      expect([...id].every((char) => partnerIdAlphabet.includes(char))).toBe(true);
    }
    expect(partnerIdAlphabet).not.toMatch(/[01ilo]/);
  });
});
