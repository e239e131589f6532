// The operator's partner page data (commissions, payouts, notes), manual adjustments and the
// approval queue of ASHOP_PARTNER_APPROVAL=manual.
import request from 'supertest';
import type { Collector } from '../../collector/app';
import { testAdminKey, testCollector } from '../support/collector';
import { useTestDatabase } from '../support/db';
import { linkToken, mailTo } from '../support/outbox';
import { addCommission, createTestPartner, day, type TestPartner } from '../support/partners';

const db = useTestDatabase(__filename);
let collector: Collector;
let manual: Collector;
let a: TestPartner;
let b: TestPartner;

const api = (app = collector) => request(app.app);
const admin = { Authorization: `Bearer ${testAdminKey}` };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

beforeAll(async () => {
  collector = await testCollector(db.connection());
  manual = await testCollector(db.connection(), { ASHOP_PARTNER_APPROVAL: 'manual' });
  a = await createTestPartner(collector, { name: 'Alice' });
  b = await createTestPartner(collector, { name: 'Bob' });
});

afterAll(async () => {
  await collector.close();
  await manual.close();
});

describe('adjustments', () => {
  const bonus = { amount: 5000, reason: 'Launch bonus', idempotencyKey: 'bonus-2026-11-alice' };

  it('adds a ledger entry of its own kind, idempotently, audited once', async () => {
    const path = `/v1/admin/partners/${a.partnerId}/adjustments`;
    const created = await api().post(path).set(admin).send(bonus).expect(201);
    expect(created.body).toMatchObject({
      entryId: 'adjustment:bonus-2026-11-alice',
      kind: 'adjustment',
      amount: 5000,
      memo: 'Launch bonus',
    });
    const replay = await api().post(path).set(admin).send(bonus).expect(200);
    expect(replay.body).toEqual(created.body);
    const reused = await api()
      .post(path)
      .set(admin)
      .send({ ...bonus, amount: 6000 })
      .expect(409);
    expect(reused.body.type).toBe('/problems/idempotency-key-reused');
    // The same key for another partner is the same key: refused, never a second entry.
    await api().post(`/v1/admin/partners/${b.partnerId}/adjustments`).set(admin).send(bonus).expect(409);
    const audit = await collector.context.models.AuditEntry.find({ action: 'partner.adjustment' }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      subject: `partner:${a.partnerId}`,
      reason: 'Launch bonus',
      actor: 'key:env:ASHOP_ADMIN_KEY',
    });
  });

  it('gives concurrent requests with one key exactly one entry', async () => {
    const body = { amount: -1200, reason: 'Correction: duplicate invoice', idempotencyKey: 'fix-42' };
    const answers = await Promise.all(
      [1, 2, 3, 4].map(() => api().post(`/v1/admin/partners/${a.partnerId}/adjustments`).set(admin).send(body)),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 201]);
    expect(await collector.context.models.LedgerEntry.countDocuments({ _id: 'adjustment:fix-42' })).toBe(1);
  });

  it('requires a reason, whole non-zero cents within bounds, and an existing partner', async () => {
    const path = `/v1/admin/partners/${a.partnerId}/adjustments`;
    for (const body of [
      { amount: 100, idempotencyKey: 'k1' },
      { amount: 100, reason: ' ', idempotencyKey: 'k1' },
      { amount: 0, reason: 'x', idempotencyKey: 'k1' },
      { amount: 10.5, reason: 'x', idempotencyKey: 'k1' },
      { amount: 1e9, reason: 'x', idempotencyKey: 'k1' },
      { amount: 100, reason: 'x', idempotencyKey: 'bad key!' },
    ])
      await api().post(path).set(admin).send(body).expect(400);
    await api()
      .post('/v1/admin/partners/nobody/adjustments')
      .set(admin)
      .send({ amount: 100, reason: 'x', idempotencyKey: 'k2' })
      .expect(404);
    await api().post(path).set(bearer(a.token)).send({ amount: 100, reason: 'x', idempotencyKey: 'k3' }).expect(403);
  });

  it('shows in the partner’s own lines and balance, and the next payout pays it (a dated one waits)', async () => {
    await addCommission(collector, a.partnerId, 10_000, new Date(Date.now() - 200 * day));
    await api()
      .post(`/v1/admin/partners/${a.partnerId}/adjustments`)
      .set(admin)
      .send({
        amount: 700,
        reason: 'Holiday bonus',
        idempotencyKey: 'later',
        availableAt: new Date(Date.now() + 30 * day).toISOString(),
      })
      .expect(201);
    // Lines and balances are read models folded from the entries (lag: one fold interval).
    await collector.context.tracking.flush();
    const lines = await api().get('/v1/me/commissions').set(bearer(a.token)).expect(200);
    const adjustments = lines.body.items.filter((line: { kind: string }) => line.kind === 'adjustment');
    expect(adjustments.map((line: { memo: string; status: string }) => [line.memo, line.status]).sort()).toEqual([
      ['Correction: duplicate invoice', 'payable'],
      ['Holiday bonus', 'pending'],
      ['Launch bonus', 'payable'],
    ]);
    const csv = await api().get('/v1/me/report.csv').set(bearer(a.token)).expect(200);
    expect(csv.text).toMatch(
      /^adjustment:bonus-2026-11-alice,adjustment,,bonus-2026-11-alice,.*,,,50\.00,0\.00,50\.00,USD,payable,,,,,Launch bonus\r?$/m,
    );
    const stats = await api().get('/v1/me/stats').set(bearer(a.token)).expect(200);
    expect(stats.body.totals.balance).toBe(10_000 + 5000 - 1200);

    const run = await api().post('/v1/admin/payouts').set(admin).send({}).expect(201);
    expect(run.body.items).toEqual([expect.objectContaining({ partnerId: a.partnerId, amount: 13_800 })]);
    await collector.context.tracking.flush();
    const after = await api().get('/v1/me/commissions').set(bearer(a.token)).expect(200);
    const holiday = after.body.items.find((line: { memo: string | null }) => line.memo === 'Holiday bonus');
    expect(holiday.status).toBe('pending');
  });

  it('refuses a disabled partner', async () => {
    const gone = await createTestPartner(collector, { status: 'disabled' });
    await api()
      .post(`/v1/admin/partners/${gone.partnerId}/adjustments`)
      .set(admin)
      .send({ amount: 100, reason: 'x', idempotencyKey: 'gone-1' })
      .expect(409);
  });
});

describe('partner page records', () => {
  it("lists one partner's commissions and payouts, never another's", async () => {
    const lines = await api().get(`/v1/admin/partners/${a.partnerId}/commissions`).set(admin).expect(200);
    expect(lines.body.items.length).toBeGreaterThan(0);
    const bLines = await api().get(`/v1/admin/partners/${b.partnerId}/commissions`).set(admin).expect(200);
    expect(bLines.body.items).toEqual([]);
    const payouts = await api().get(`/v1/admin/partners/${a.partnerId}/payouts`).set(admin).expect(200);
    expect(payouts.body.items).toEqual([expect.objectContaining({ amount: 13_800, status: 'pending' })]);
    expect((await api().get(`/v1/admin/partners/${b.partnerId}/payouts`).set(admin).expect(200)).body.items).toEqual(
      [],
    );
    // The partner's own view of payouts has only their item.
    expect((await api().get('/v1/me/payouts').set(bearer(b.token)).expect(200)).body.items).toEqual([]);
    await api().get('/v1/admin/partners/nobody/commissions').set(admin).expect(404);
    await api().get(`/v1/admin/partners/${a.partnerId}/commissions`).set(bearer(a.token)).expect(403);
  });

  it('keeps operator notes per partner, newest first, audited, out of partners’ reach', async () => {
    const path = `/v1/admin/partners/${a.partnerId}/notes`;
    await api().post(path).set(admin).send({ text: 'Called about traffic sources' }).expect(201);
    const second = await api().post(path).set(admin).send({ text: 'Sent the new banners' }).expect(201);
    expect(second.body).toMatchObject({ text: 'Sent the new banners', author: 'key:env:ASHOP_ADMIN_KEY' });
    const notes = await api().get(path).set(admin).expect(200);
    expect(notes.body.items.map((note: { text: string }) => note.text)).toEqual([
      'Sent the new banners',
      'Called about traffic sources',
    ]);
    expect((await api().get(`/v1/admin/partners/${b.partnerId}/notes`).set(admin)).body.items).toEqual([]);
    await api().post(path).set(admin).send({ text: '  ' }).expect(400);
    await api().get(path).set(bearer(a.token)).expect(403);
    await api().post('/v1/admin/partners/nobody/notes').set(admin).send({ text: 'x' }).expect(404);
    const audit = await api().get(`/v1/admin/audit?subject=partner:${a.partnerId}&action=partner.note`).set(admin);
    expect(audit.body.items).toHaveLength(2);
  });
});

describe('approval queue (ASHOP_PARTNER_APPROVAL=manual)', () => {
  async function applicant(email: string): Promise<string> {
    const signup = await api(manual)
      .post('/v1/partners')
      .send({ email, password: 'a good password', name: 'Applicant' })
      .expect(201);
    const token = linkToken(await mailTo(manual, email, /partners\/confirm\?token=/), 'confirm');
    const confirmed = await api(manual).post('/v1/partners/confirm').send({ token }).expect(200);
    expect(confirmed.body).toEqual({ status: 'pending_approval' });
    return signup.body.partnerId as string;
  }

  it('keeps confirmed partners waiting until an operator approves, once; the partner is mailed', async () => {
    const partnerId = await applicant('new@applicant.example');
    const queue = await api(manual).get('/v1/admin/approvals').set(admin).expect(200);
    expect(queue.body.mode).toBe('manual');
    expect(queue.body.items).toEqual([expect.objectContaining({ partnerId, email: 'new@applicant.example' })]);
    // Waiting partners may log in and see their status.
    const login = await api(manual)
      .post('/v1/auth/login')
      .send({ email: 'new@applicant.example', password: 'a good password' })
      .expect(200);
    expect(login.body.partner.status).toBe('pending_approval');

    const decisions = await Promise.all(
      [1, 2, 3].map(() =>
        api(manual)
          .post(`/v1/admin/partners/${partnerId}/approval`)
          .set(admin)
          .send({ decision: 'approve', reason: 'Good fit' }),
      ),
    );
    expect(decisions.map((answer) => answer.status).sort()).toEqual([200, 409, 409]);
    // Confirmation, then the one approval: each a `partner.status_changed` event (the 409s record none).
    const events = await manual.context.models.WebhookEvent.find({ type: 'partner.status_changed' })
      .sort({ createdAt: 1 })
      .lean();
    expect(
      events
        .map((event) => event.data as { partnerId: string; from: string; to: string })
        .filter((data) => data.partnerId === partnerId)
        .map(({ from, to }) => `${from}→${to}`),
    ).toEqual(['pending→pending_approval', 'pending_approval→active']);
    expect((await api(manual).get(`/v1/admin/partners/${partnerId}`).set(admin)).body.status).toBe('active');
    expect(await mailTo(manual, 'new@applicant.example', /is approved/)).toMatch(/#a_aid=/);
    const mails = await manual.context.models.OutboxMessage.countDocuments({
      to: 'new@applicant.example',
      subject: /approved/,
    });
    expect(mails).toBe(1);
    expect((await api(manual).get('/v1/admin/approvals').set(admin)).body.items).toEqual([]);
  });

  it('rejects with a reason: the account is disabled and told', async () => {
    const partnerId = await applicant('spam@applicant.example');
    await api(manual)
      .post(`/v1/admin/partners/${partnerId}/approval`)
      .set(admin)
      .send({ decision: 'reject' })
      .expect(400);
    const rejected = await api(manual)
      .post(`/v1/admin/partners/${partnerId}/approval`)
      .set(admin)
      .send({ decision: 'reject', reason: 'No website' })
      .expect(200);
    expect(rejected.body).toEqual({ partnerId, from: 'pending_approval', status: 'disabled' });
    expect(await mailTo(manual, 'spam@applicant.example', /cannot approve/)).toBeTruthy();
    await api(manual)
      .post('/v1/auth/login')
      .send({ email: 'spam@applicant.example', password: 'a good password' })
      .expect(403);
    const history = await api(manual).get(`/v1/admin/partners/${partnerId}`).set(admin);
    expect(history.body.audit[0]).toMatchObject({ action: 'partner.status', reason: 'No website' });
  });

  it('withholds payouts of a waiting partner, and refuses decisions on partners not waiting', async () => {
    await api(manual)
      .post(`/v1/admin/partners/${a.partnerId}/approval`)
      .set(admin)
      .send({ decision: 'approve', reason: 'x' })
      .expect(409);
    const waiting = await createTestPartner(manual, { status: 'pending_approval' });
    await addCommission(manual, waiting.partnerId, 20_000, new Date(Date.now() - 200 * day));
    const preview = await api(manual).post('/v1/admin/payouts').set(admin).send({ preview: true }).expect(200);
    expect(preview.body.withheld).toContainEqual({
      partnerId: waiting.partnerId,
      balance: 20_000,
      reason: 'awaiting-approval',
    });
  });

  it('confirms straight to active without manual approval', async () => {
    await api()
      .post('/v1/partners')
      .send({ email: 'auto@applicant.example', password: 'a good password', name: 'Auto' })
      .expect(201);
    const token = linkToken(await mailTo(collector, 'auto@applicant.example', /partners\/confirm\?token=/), 'confirm');
    expect((await api().post('/v1/partners/confirm').send({ token }).expect(200)).body).toEqual({ status: 'active' });
    expect((await api().get('/v1/admin/approvals').set(admin)).body.mode).toBe('auto');
  });
});
