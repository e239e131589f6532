// Partner settings: notification preferences, password change (ends other sessions), login email
// change confirmed from the new address (its token works exactly once), each partner only their own.
import request from 'supertest';
import type { Collector } from '../../collector/app';
import { signToken } from '../../collector/auth/tokens';
import { testCollector } from '../support/collector';
import { useTestDatabase } from '../support/db';
import { linkToken, mailTo } from '../support/outbox';
import { createTestPartner, type TestPartner } from '../support/partners';

const db = useTestDatabase(__filename);
let collector: Collector;
let a: TestPartner;
let b: TestPartner;

const api = () => request(collector.app);
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const password = 'correct horse battery';

beforeAll(async () => {
  collector = await testCollector(db.connection());
  a = await createTestPartner(collector, { name: 'Alice' });
  b = await createTestPartner(collector, { name: 'Bob' });
});

afterAll(async () => {
  await collector.close();
});

describe('settings and notification preferences', () => {
  it("shows the caller's own settings, every notification on by default", async () => {
    const res = await api().get('/v1/me/settings').set(bearer(a.token)).expect(200);
    expect(res.body).toEqual({
      email: a.email,
      name: 'Alice',
      payoutEmail: `paypal-${a.email}`,
      website: null,
      pendingEmail: null,
      notifications: { newSignup: true, firstInvoice: true, payoutSent: true, statusChange: true },
      program: { minPayout: 10_000, holdDays: 120, currency: 'USD' },
    });
    const other = await api().get('/v1/me/settings').set(bearer(b.token)).expect(200);
    expect(other.body.email).toBe(b.email);
  });

  it("stores preferences on the partner, touching nobody else's", async () => {
    const res = await api()
      .patch('/v1/me/notifications')
      .set(bearer(a.token))
      .send({ newSignup: false, payoutSent: false })
      .expect(200);
    expect(res.body).toEqual({ newSignup: false, firstInvoice: true, payoutSent: false, statusChange: true });
    expect((await api().get('/v1/me/settings').set(bearer(a.token))).body.notifications.newSignup).toBe(false);
    expect((await api().get('/v1/me/settings').set(bearer(b.token))).body.notifications.newSignup).toBe(true);
    await api().patch('/v1/me/notifications').set(bearer(a.token)).send({ newSignup: 'no' }).expect(400);
    await api().patch('/v1/me/notifications').set(bearer(a.token)).send({ partnerId: b.partnerId }).expect(400);
  });

  it('sets the PayPal email, name and website through PATCH /v1/me', async () => {
    await api()
      .patch('/v1/me')
      .set(bearer(a.token))
      .send({ payoutEmail: 'Alice@PayPal.example', website: 'https://alice.example' })
      .expect(200);
    const res = await api().get('/v1/me/settings').set(bearer(a.token)).expect(200);
    expect(res.body).toMatchObject({ payoutEmail: 'alice@paypal.example', website: 'https://alice.example' });
  });

  it('needs a partner login', async () => {
    await api().get('/v1/me/settings').expect(401);
    await api().get('/v1/me/settings').set(bearer('test-admin-key-0123456789')).expect(403);
  });
});

describe('password change', () => {
  it('refuses a wrong current password with a field error (400, the session goes on)', async () => {
    const res = await api()
      .post('/v1/me/password')
      .set(bearer(a.token))
      .send({ currentPassword: 'wrong one', newPassword: 'another good password' })
      .expect(400);
    expect(res.body.errors).toEqual([{ field: 'currentPassword', message: 'is not your current password' }]);
    await api()
      .post('/v1/me/password')
      .set(bearer(a.token))
      .send({ currentPassword: password, newPassword: 'short' })
      .expect(400);
    await api().get('/v1/me').set(bearer(a.token)).expect(200);
  });

  it('ends every other session and gives the caller a new token; the new password logs in', async () => {
    const otherSession = a.token;
    const res = await api()
      .post('/v1/me/password')
      .set(bearer(a.token))
      .send({ currentPassword: password, newPassword: 'a brand new passphrase' })
      .expect(200);
    await api().get('/v1/me').set(bearer(otherSession)).expect(401);
    await api().get('/v1/me').set(bearer(res.body.token)).expect(200);
    a = { ...a, token: res.body.token };
    await api().post('/v1/auth/login').send({ email: a.email, password }).expect(401);
    await api().post('/v1/auth/login').send({ email: a.email, password: 'a brand new passphrase' }).expect(200);
    // Bob's sessions are untouched.
    await api().get('/v1/me').set(bearer(b.token)).expect(200);
    const audit = await collector.context.models.AuditEntry.find({ action: 'partner.password' }).lean();
    expect(audit.map((entry) => entry.subject)).toEqual([`partner:${a.partnerId}`]);
  });
});

describe('login email change', () => {
  it('asks for the password, refuses a taken or unchanged address', async () => {
    await api()
      .post('/v1/me/email-change')
      .set(bearer(b.token))
      .send({ email: 'x@new.example', password: 'nope' })
      .expect(400);
    const taken = await api()
      .post('/v1/me/email-change')
      .set(bearer(b.token))
      .send({ email: a.email, password })
      .expect(409);
    expect(taken.body.errors).toEqual([{ field: 'email', message: 'is used by another account' }]);
    await api().post('/v1/me/email-change').set(bearer(b.token)).send({ email: b.email, password }).expect(400);
    await api().post('/v1/me/email-change/resend').set(bearer(b.token)).expect(409);
  });

  it('mails the new address; the change happens on confirmation, once, and the old address is told', async () => {
    const newEmail = 'bob@new.example';
    const asked = await api()
      .post('/v1/me/email-change')
      .set(bearer(b.token))
      .send({ email: 'Bob@New.example', password })
      .expect(202);
    expect(asked.body.pendingEmail.email).toBe(newEmail);
    const first = linkToken(await mailTo(collector, newEmail, /confirm-email/), 'confirm-email');
    // Not changed yet: Bob still logs in with the old address, and sees the pending one.
    expect((await api().get('/v1/me/settings').set(bearer(b.token))).body).toMatchObject({
      email: b.email,
      pendingEmail: { email: newEmail },
    });
    // A resend replaces the link.
    await api().post('/v1/me/email-change/resend').set(bearer(b.token)).expect(202);
    const second = await eventuallyOther(() => mailTo(collector, newEmail, /confirm-email/), first);
    await api().post('/v1/partners/email-change/confirm').send({ token: first }).expect(400);

    const answers = await Promise.all(
      [1, 2, 3].map(() => api().post('/v1/partners/email-change/confirm').send({ token: second })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400, 400]);
    expect(answers.find((answer) => answer.status === 200)!.body).toEqual({ email: newEmail });
    await api().post('/v1/partners/email-change/confirm').send({ token: second }).expect(400);

    const settings = await api().get('/v1/me/settings').set(bearer(b.token)).expect(200);
    expect(settings.body).toMatchObject({ email: newEmail, pendingEmail: null });
    await api().post('/v1/auth/login').send({ email: newEmail, password }).expect(200);
    expect(await mailTo(collector, b.email, /now logs in with bob@new\.example/)).toBeTruthy();
    const audit = await collector.context.models.AuditEntry.find({ action: 'partner.email' }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toEqual({ from: b.email, to: newEmail });
  });

  it('refuses forged and foreign tokens', async () => {
    await api()
      .post('/v1/partners/email-change/confirm')
      .send({ token: `${a.partnerId}.forged` })
      .expect(400);
    await api().post('/v1/partners/email-change/confirm').send({ token: 'no-dot' }).expect(400);
    const forgedForA = signToken('another secret that is long enough 0123456', a.partnerId, 'partner');
    await api().post('/v1/partners/email-change/confirm').send({ token: forgedForA }).expect(400);
  });
});

/** Waits until `read` answers something else than `previous` (a new mail), returning its token. */
async function eventuallyOther(read: () => Promise<string>, previous: string): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const token = linkToken(await read(), 'confirm-email');
    if (token !== previous || Date.now() > deadline) return token;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
