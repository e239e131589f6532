// Partner notification emails: status changes are mailed when the preference is on, once per
// change, with a signed unsubscribe link that turns that preference off.
import request from 'supertest';
import type { Collector } from '../../collector/app';
import { changePartnerStatus } from '../../collector/services/partner-status';
import { drainMail, testCollector } from '../support/collector';
import { useTestDatabase } from '../support/db';
import { createTestPartner } from '../support/partners';

const db = useTestDatabase(__filename);
let collector: Collector;

beforeAll(async () => {
  collector = await testCollector(db.connection(), { ASHOP_PUBLIC_URL: 'http://collector.example' });
});

const mailsTo = async (to: string) => {
  await drainMail(collector);
  return collector.context.models.OutboxMessage.find({ to }).sort({ createdAt: 1 }).lean();
};
const change = (partnerId: string, status: 'active' | 'frozen') =>
  changePartnerStatus(collector.context, { partnerId, status, reason: 'test', actor: 'admin:test' });

describe('status change notifications', () => {
  it('mails a status change with an unsubscribe link (GET or POST) that turns them off', async () => {
    for (const method of ['get', 'post'] as const) {
      const partner = await createTestPartner(collector);
      await change(partner.partnerId, 'frozen');
      const [mail, ...more] = await mailsTo(partner.email);
      expect(more).toHaveLength(0);
      expect(mail!.subject).toBe('Your Ashop partner account is now frozen');
      expect(mail!.text).toContain('changed from active to frozen');
      const link = /Stop these emails: http:\/\/collector\.example(\S+)/.exec(mail!.text)![1]!;
      await request(collector.app)[method](link).expect(200, { unsubscribed: 'statusChange' });
      const settings = await request(collector.app)
        .get('/v1/me/settings')
        .set('Authorization', `Bearer ${partner.token}`)
        .expect(200);
      expect(settings.body.notifications).toMatchObject({ statusChange: false, payoutSent: true });
      await change(partner.partnerId, 'active');
      expect(await mailsTo(partner.email)).toHaveLength(1);
    }
  });

  it('refuses a forged or altered unsubscribe token', async () => {
    const partner = await createTestPartner(collector);
    const other = await createTestPartner(collector);
    await change(partner.partnerId, 'frozen');
    const [mail] = await mailsTo(partner.email);
    const token = decodeURIComponent(/token=(\S+)/.exec(mail!.text)![1]!);
    const [, kind, mac] = token.split('.');
    for (const bad of [`${other.partnerId}.${kind}.${mac}`, `${partner.partnerId}.payoutSent.${mac}`, 'garbage']) {
      const res = await request(collector.app).get('/v1/partners/unsubscribe').query({ token: bad }).expect(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    await request(collector.app).post('/v1/partners/unsubscribe').expect(400);
    const stored = await collector.context.models.Partner.findById(partner.partnerId).lean();
    expect(stored!.notifications?.statusChange).not.toBe(false);
  });
});
