// One-time tokens are used once, also when the same link is sent many times at once.
import request from 'supertest';
import type { Collector } from '../../../collector/app';
import { issueToken } from '../../../collector/auth/one-time-tokens';
import { testCollector } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { createTestPartner } from '../../support/partners';

const db = useTestDatabase(__filename);
let collector: Collector;
beforeAll(async () => {
  collector = await testCollector(db.connection());
});
afterAll(() => collector.close());
const api = () => request(collector.app);
const hour = 3_600_000;

describe('one-time tokens under concurrency', () => {
  it('a confirmation link sent 20 times at once activates once, with one audit entry (5 rounds)', async () => {
    for (let round = 0; round < 5; round++) {
      const partner = await createTestPartner(collector, { status: 'pending' });
      const confirm = issueToken(partner.partnerId);
      await collector.context.models.Partner.updateOne(
        { _id: partner.partnerId },
        { $set: { confirmTokenHash: confirm.hash, confirmTokenExpiresAt: new Date(Date.now() + hour) } },
      );
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => api().post('/v1/partners/confirm').send({ token: confirm.token })),
      );
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
      expect(answers.filter((answer) => answer.status === 400)).toHaveLength(19);
      expect(
        await collector.context.models.AuditEntry.countDocuments({ subject: `partner:${partner.partnerId}` }),
      ).toBe(1);
      expect(await collector.context.models.Partner.findById(partner.partnerId).lean()).toMatchObject({
        status: 'active',
      });
    }
  });

  it('a reset link sent 9 times at once with 9 passwords sets exactly one, which then works (3 rounds)', async () => {
    for (let round = 0; round < 3; round++) {
      // A fresh app per round: the reset endpoint allows 10 requests an hour per address.
      const fresh = await testCollector(db.connection());
      const api = () => request(fresh.app);
      const partner = await createTestPartner(collector);
      const reset = issueToken(partner.partnerId);
      await collector.context.models.Partner.updateOne(
        { _id: partner.partnerId },
        { $set: { resetTokenHash: reset.hash, resetTokenExpiresAt: new Date(Date.now() + hour) } },
      );
      const passwords = Array.from({ length: 9 }, (_, i) => `new password ${round}-${i}`);
      const answers = await Promise.all(
        passwords.map((password) =>
          api().post('/v1/auth/password-reset/confirm').send({ token: reset.token, password }),
        ),
      );
      const winners = passwords.filter((_password, i) => answers[i]!.status === 200);
      expect(winners).toHaveLength(1);
      await api().post('/v1/auth/login').send({ email: partner.email, password: winners[0] }).expect(200);
      const loser = passwords.find((password) => password !== winners[0])!;
      await api().post('/v1/auth/login').send({ email: partner.email, password: loser }).expect(401);
      await fresh.close();
    }
  });
});
