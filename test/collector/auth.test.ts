import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import type { Collector } from '../../collector/app';
import { signToken } from '../../collector/auth/tokens';
import { drainMail, testCollector } from '../support/collector';
import { useTestDatabase } from '../support/db';

const db = useTestDatabase(__filename);
let collector: Collector;
let smtp: SMTPServer;
const inbox: Array<{ to: string; raw: string }> = [];

/** Decodes the quoted-printable body nodemailer writes for long lines. */
const decodeQp = (text: string) =>
  text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** Sends what is queued, then the newest mail the SMTP server got for `address`. */
async function lastMailTo(address: string): Promise<string> {
  await drainMail(collector);
  const mail = [...inbox].reverse().find((message) => message.to === address);
  if (!mail) throw new Error(`no mail to ${address}`);
  return decodeQp(mail.raw);
}

const tokenFrom = (mail: string, page: string) => {
  const match = new RegExp(`/partners/${page}\\?token=([^\\s]+)`).exec(mail);
  if (!match) throw new Error(`no ${page} link in:\n${mail}`);
  return decodeURIComponent(match[1]!);
};

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        inbox.push({ to: session.envelope.rcptTo[0]!.address, raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  const { port } = smtp.server.address() as AddressInfo;
  collector = await testCollector(db.connection(), { SMTP_URL: `smtp://127.0.0.1:${port}` });
});

afterAll(async () => {
  await new Promise<void>((done) => smtp.close(() => done()));
});

const api = () => request(collector.app);
const signup = (email: string, extra: Record<string, unknown> = {}) =>
  api()
    .post('/v1/partners')
    .send({ email, password: 'a good password', name: 'Ann Partner', ...extra });

describe('sign-up → email → confirm → login → stats', () => {
  it('runs the whole path over a real SMTP server', async () => {
    const created = await signup('Ann@Example.com', { payoutEmail: 'ann-paypal@example.com' }).expect(201);
    expect(created.body).toEqual({
      partnerId: expect.stringMatching(/^[2-9a-z]{10}$/),
      status: 'pending',
      emailSent: true,
    });
    const partnerId = created.body.partnerId as string;

    const mail = await lastMailTo('ann@example.com');
    expect(mail).toMatch(/Subject: Confirm your Ashop partner account/);
    expect(mail).toContain(`Your partner ID: ${partnerId}`);
    expect(mail).toContain(`Your partner link: http://localhost:8080/#a_aid=${partnerId}`);
    const token = tokenFrom(mail, 'confirm');
    const stored = await collector.context.models.Partner.findById(partnerId).lean();
    expect(stored!.passwordHash).toMatch(/^scrypt\$/);
    expect(stored!.confirmTokenHash).not.toContain(token.split('.')[1]);

    // A pending partner may log in already (the link works), but is not active.
    const early = await api()
      .post('/v1/auth/login')
      .send({ email: 'ann@example.com', password: 'a good password' })
      .expect(200);
    expect(early.body.partner.status).toBe('pending');

    await api().post('/v1/partners/confirm').send({ token }).expect(200, { status: 'active' });
    const audit = await collector.context.models.AuditEntry.findOne({ subject: `partner:${partnerId}` }).lean();
    expect(audit).toMatchObject({
      actor: `partner:${partnerId}`,
      action: 'partner.status',
      details: { from: 'pending', to: 'active' },
    });
    const reused = await api().post('/v1/partners/confirm').send({ token }).expect(400);
    expect(reused.body.type).toBe('/problems/invalid-token');

    const login = await api()
      .post('/v1/auth/login')
      .send({ email: 'ANN@example.com ', password: 'a good password' })
      .expect(200);
    expect(login.body.role).toBe('partner');
    expect(login.body.partner).toMatchObject({
      partnerId,
      status: 'active',
      link: `http://localhost:8080/#a_aid=${partnerId}`,
    });
    const claims = jwt.decode(login.body.token, { complete: true })!;
    expect(claims.header.alg).toBe('HS256');
    expect(claims.payload).toMatchObject({ sub: partnerId, role: 'partner', exp: expect.any(Number) });

    const me = await api().get('/v1/me').set('Authorization', `Bearer ${login.body.token}`).expect(200);
    expect(me.body).toMatchObject({
      partnerId,
      email: 'ann@example.com',
      payoutEmail: 'ann-paypal@example.com',
      commissionRate: '0.25',
    });
    expect(me.body).not.toHaveProperty('passwordHash');
    const stats = await api().get('/v1/me/stats').set('Authorization', `Bearer ${login.body.token}`).expect(200);
    expect(stats.body.totals).toMatchObject({
      clicks: 0,
      commission: { pending: 0, payable: 0, paid: 0, reversed: 0 },
      balance: 0,
    });
    expect(stats.body.daily).toHaveLength(30);
  });

  it('refuses a duplicate email with 409 whether or not the other account is confirmed', async () => {
    await signup('dup@example.com').expect(201);
    const pending = await signup('DUP@example.com').expect(409);
    await api()
      .post('/v1/partners/confirm')
      .send({ token: tokenFrom(await lastMailTo('dup@example.com'), 'confirm') })
      .expect(200);
    const active = await signup('dup@example.com').expect(409);
    expect(active.body).toEqual(pending.body);
  });

  it('refuses an expired confirmation link', async () => {
    const { body } = await signup('late@example.com').expect(201);
    const token = tokenFrom(await lastMailTo('late@example.com'), 'confirm');
    await collector.context.models.Partner.updateOne(
      { _id: body.partnerId },
      { $set: { confirmTokenExpiresAt: new Date(Date.now() - 1000) } },
    );
    const res = await api().post('/v1/partners/confirm').send({ token }).expect(400);
    expect(res.body.type).toBe('/problems/token-expired');
    // A new link replaces it.
    await api().post('/v1/partners/confirm/resend').send({ email: 'late@example.com' }).expect(202);
    const fresh = tokenFrom(await lastMailTo('late@example.com'), 'confirm');
    expect(fresh).not.toBe(token);
    await api().post('/v1/partners/confirm').send({ token }).expect(400);
    await api().post('/v1/partners/confirm').send({ token: fresh }).expect(200);
  });

  it('queues the confirmation when the mail server is down, and retries it later', async () => {
    const broken = await testCollector(db.connection(), { SMTP_URL: 'smtp://127.0.0.1:1' });
    const res = await request(broken.app)
      .post('/v1/partners')
      .send({ email: 'unlucky@example.com', password: 'a good password', name: 'Un Lucky' })
      .expect(201);
    expect(res.body).toMatchObject({ status: 'pending', emailSent: true });
    await drainMail(broken);
    const { MailJob } = collector.context.models;
    const [job] = await MailJob.find({ to: 'unlucky@example.com' }).lean();
    expect(job).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.any(String) });
    expect(job!.dueAt.getTime()).toBeGreaterThan(Date.now());
    // Once due, a sender with a working mail server delivers it.
    await drainMail(collector, new Date(job!.dueAt.getTime() + 1));
    expect(await MailJob.findById(job!._id).lean()).toMatchObject({ status: 'sent', attempts: 2 });
    await api()
      .post('/v1/partners/confirm')
      .send({ token: tokenFrom(await lastMailTo('unlucky@example.com'), 'confirm') })
      .expect(200);
  });

  it('validates sign-up fields with problem+json', async () => {
    const res = await api()
      .post('/v1/partners')
      .send({ email: 'not-an-email', password: 'short', name: '' })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'email',
      'name',
      'password',
    ]);
    await api().post('/v1/partners/confirm').send({ token: 'garbage' }).expect(400);
    await api().post('/v1/partners/confirm').send({}).expect(400);
  });
});

describe('login', () => {
  beforeAll(async () => {
    await signup('bob@example.com').expect(201);
  });

  it('refuses a wrong password and an unknown account alike', async () => {
    const wrong = await api()
      .post('/v1/auth/login')
      .send({ email: 'bob@example.com', password: 'not the password' })
      .expect(401);
    const unknown = await api()
      .post('/v1/auth/login')
      .send({ email: 'nobody@example.com', password: 'not the password' })
      .expect(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('refuses a disabled partner, and their earlier tokens stop working', async () => {
    await signup('gone@example.com').expect(201);
    const login = await api()
      .post('/v1/auth/login')
      .send({ email: 'gone@example.com', password: 'a good password' })
      .expect(200);
    await api()
      .post(`/v1/admin/partners/${login.body.partner.partnerId}/status`)
      .set('Authorization', 'Bearer test-admin-key-0123456789')
      .send({ status: 'disabled', reason: 'fraud' })
      .expect(200);
    await api().post('/v1/auth/login').send({ email: 'gone@example.com', password: 'a good password' }).expect(403);
    await api().get('/v1/me').set('Authorization', `Bearer ${login.body.token}`).expect(401);
  });

  it('limits failed attempts per address, across accounts', async () => {
    const fresh = await testCollector(db.connection()); // its own limiter counts
    const from = (ip: string, i: number) =>
      request(fresh.app)
        .post('/v1/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ email: `user${i}@example.com`, password: 'guess' });
    for (let i = 0; i < 30; i++) await from('203.0.113.5', i).expect(401);
    await from('203.0.113.5', 99).expect(429);
    await from('198.51.100.7', 99).expect(401);
  });

  it('limits failed attempts per account and address; the owner still logs in from elsewhere', async () => {
    const fresh = await testCollector(db.connection());
    await signup('target@example.com').expect(201);
    const from = (ip: string, password: string) =>
      request(fresh.app)
        .post('/v1/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ email: 'target@example.com', password });
    for (let i = 0; i < 10; i++) await from('203.0.113.9', `guess ${i}`).expect(401);
    const limited = await from('203.0.113.9', 'a good password').expect(429);
    expect(limited.body.type).toBe('/problems/too-many-requests');
    expect(limited.headers['ratelimit-policy']).toBeDefined();
    // The attacker's failures from one address do not lock the owner out.
    await from('198.51.100.20', 'a good password').expect(200);
  });

  it('an attacker guessing from many addresses only slows the account down; the owner gets in', async () => {
    const fresh = await testCollector(db.connection());
    await signup('owner@example.com').expect(201);
    const from = (ip: string, password: string) =>
      request(fresh.app)
        .post('/v1/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ email: 'owner@example.com', password });
    for (let i = 0; i < 12; i++) await from(`203.0.113.${100 + i}`, `guess ${i}`).expect(401);
    const started = Date.now();
    await from('198.51.100.30', 'a good password').expect(200);
    // 12 failures, 5 free, 200 ms each beyond: delayed, but in.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_300);
  });
});

describe('tokens', () => {
  let partnerId: string;
  let good: string;
  const secret = 'test-jwt-secret-that-is-long-enough-0123';
  const me = (token: string) => api().get('/v1/me').set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    const res = await signup('tok@example.com').expect(201);
    partnerId = res.body.partnerId;
    good = signToken(secret, partnerId, 'partner');
  });

  it('accepts a valid token', async () => {
    await me(good).expect(200);
  });

  it('refuses alg none, another algorithm, expired, tampered and foreign-key tokens', async () => {
    const none = jwt.sign({ role: 'partner', ver: 0 }, '', { algorithm: 'none', subject: partnerId, expiresIn: 3600 });
    const hs512 = jwt.sign({ role: 'partner', ver: 0 }, secret, {
      algorithm: 'HS512',
      subject: partnerId,
      expiresIn: 3600,
    });
    const expired = jwt.sign({ role: 'partner', ver: 0, exp: Math.floor(Date.now() / 1000) - 10 }, secret, {
      algorithm: 'HS256',
      subject: partnerId,
    });
    const otherKey = jwt.sign({ role: 'partner', ver: 0 }, 'another-secret-that-is-long-enough-012345', {
      algorithm: 'HS256',
      subject: partnerId,
      expiresIn: 3600,
    });
    const [header, payload, signature] = good.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'admin' }),
    ).toString('base64url');
    const tampered = `${header}.${forged}.${signature}`;
    for (const token of [none, hs512, expired, otherKey, tampered, 'not.a.jwt']) {
      const res = await me(token).expect(401);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    await api().get('/v1/me').set('Authorization', 'Basic abc').expect(401);
    await api().get('/v1/me').expect(401);
  });

  it('keeps partner tokens out of the admin API and admin keys out of /v1/me', async () => {
    await api().get('/v1/admin/partners').set('Authorization', `Bearer ${good}`).expect(403);
    await me('test-admin-key-0123456789').expect(403);
  });
});

describe('password reset', () => {
  const email = 'forgetful@example.com';
  const login = (password: string) => api().post('/v1/auth/login').send({ email, password });

  it('resets by emailed one-time token, invalidating earlier reset links and earlier JWTs', async () => {
    await signup(email).expect(201);
    const before = await login('a good password').expect(200);

    await api().post('/v1/auth/password-reset').send({ email }).expect(202);
    const first = tokenFrom(await lastMailTo(email), 'reset');
    await api().post('/v1/auth/password-reset').send({ email }).expect(202);
    const second = tokenFrom(await lastMailTo(email), 'reset');
    expect(second).not.toBe(first);

    const stale = await api()
      .post('/v1/auth/password-reset/confirm')
      .send({ token: first, password: 'brand new password' })
      .expect(400);
    expect(stale.body.type).toBe('/problems/invalid-token');
    await api()
      .post('/v1/auth/password-reset/confirm')
      .send({ token: second, password: 'brand new password' })
      .expect(200);
    await api()
      .post('/v1/auth/password-reset/confirm')
      .send({ token: second, password: 'another password' })
      .expect(400);

    // Same second as the reset: the token version, not the issue time, revokes it.
    await api().get('/v1/me').set('Authorization', `Bearer ${before.body.token}`).expect(401);
    await login('a good password').expect(401);
    const after = await login('brand new password').expect(200);
    await api().get('/v1/me').set('Authorization', `Bearer ${after.body.token}`).expect(200);
  });

  it('only queues mail on the request, for known emails, with the same work either way', async () => {
    // A mail server that cannot be reached: the requests must not try it.
    const broken = await testCollector(db.connection(), { SMTP_URL: 'smtp://127.0.0.1:1' });
    const { AccountEmail, MailJob, OnceClaim, Partner } = broken.context.models;
    const jobs = () => MailJob.countDocuments();
    const sent = inbox.length;
    await signup('waiting@example.com').expect(201);
    await drainMail(collector);
    await broken.migrated;
    for (const [path, known] of [
      ['/v1/auth/password-reset', email],
      ['/v1/partners/confirm/resend', 'waiting@example.com'],
    ] as const) {
      const updates = jest.spyOn(Partner, 'updateOne');
      // The email's key, then the account (known) or the marker saying every account has a key.
      const finds = [AccountEmail, Partner, OnceClaim].map((model) => jest.spyOn(model, 'findOne'));
      const reads = () => finds.map((spy) => spy.mock.calls.length).reduce((sum, n) => sum + n, 0);
      const before = await jobs();
      const unknown = await request(broken.app).post(path).send({ email: 'nobody@example.com' }).expect(202);
      const unknownReads = reads();
      expect(await jobs()).toBe(before);
      const found = await request(broken.app).post(path).send({ email: known }).expect(202);
      expect(found.body).toEqual(unknown.body);
      expect(await jobs()).toBe(before + 1);
      // Two keyed lookups and one keyed update each, whether or not the account exists.
      expect(unknownReads).toBe(2);
      expect(reads()).toBe(4);
      expect(updates).toHaveBeenCalledTimes(2);
      updates.mockRestore();
      for (const spy of finds) spy.mockRestore();
    }
    expect(inbox.length).toBe(sent + 1);
    await drainMail(collector);
    expect(inbox.length).toBe(sent + 3);
  });

  it('answers the same for unknown emails and refuses expired reset tokens', async () => {
    const unknown = await api().post('/v1/auth/password-reset').send({ email: 'nobody@example.com' }).expect(202);
    const known = await api().post('/v1/auth/password-reset').send({ email }).expect(202);
    expect(unknown.body).toEqual(known.body);
    const token = tokenFrom(await lastMailTo(email), 'reset');
    await collector.context.models.Partner.updateOne(
      { email },
      { $set: { resetTokenExpiresAt: new Date(Date.now() - 1) } },
    );
    const res = await api()
      .post('/v1/auth/password-reset/confirm')
      .send({ token, password: 'whatever password' })
      .expect(400);
    expect(res.body.type).toBe('/problems/token-expired');
  });
});
