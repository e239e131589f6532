import { hashPassword, verifyPassword } from '../../../collector/auth/passwords';

describe('passwords', () => {
  it('hashes with scrypt and a salt per password; verifies in constant time; rejects malformed hashes', async () => {
    const [one, two] = await Promise.all([hashPassword('secret password'), hashPassword('secret password')]);
    expect(one).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(one).not.toBe(two);
    expect(await verifyPassword('secret password', one)).toBe(true);
    expect(await verifyPassword('secret passwore', one)).toBe(false);
    expect(await verifyPassword('secret password', 'plain')).toBe(false);
    expect(await verifyPassword('secret password', one.replace('scrypt', 'md5'))).toBe(false);
  });
});
