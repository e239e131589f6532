// The operator's day-to-day CLI commands end to end: admin accounts, partner status changes (audited)
// and payout runs with their exports.
import request from 'supertest';
import type { Collector } from '../../../collector/app';
import { testCollector } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { addCommission, createTestPartner, day } from '../../support/partners';
import { cliRunner } from './run-cli';

const db = useTestDatabase(__filename);
let collector: Collector;

beforeAll(async () => {
  collector = await testCollector(db.connection());
});
afterAll(() => collector.close());

const cli = cliRunner(
  () => collector.context.config,
  () => db.connection(),
);

describe('CLI: admin, partners and payouts commands', () => {
  it('admin create: the admin can log in; a generated password is shown once', async () => {
    const given = await cli('admin', 'create', '--email', 'ops@ashop.example', '--password', 'long enough pw');
    expect(given.code).toBe(0);
    expect(given.out).toMatch(/adminId\s+email/);
    expect(given.out).not.toContain('long enough pw');
    await request(collector.app)
      .post('/v1/auth/login')
      .send({ email: 'ops@ashop.example', password: 'long enough pw' })
      .expect(200);

    const generated = await cli('admin', 'create', '--email', 'night@ashop.example');
    const password = /night@ashop\.example\s+(\S+)/.exec(generated.out)![1]!;
    await request(collector.app).post('/v1/auth/login').send({ email: 'night@ashop.example', password }).expect(200);

    expect((await cli('admin', 'create', '--email', 'ops@ashop.example', '--password', 'long enough pw')).code).toBe(1);
    expect((await cli('admin', 'create')).code).toBe(2);
  });

  it('partners list, freeze, unfreeze and disable, audited with the reason', async () => {
    const partner = await createTestPartner(collector, { name: 'Cli Partner' });
    const newer = await createTestPartner(collector, { name: 'Cli Partner too' });
    const list = await cli('partners', 'list', '--search', 'cli partner');
    const lines = list.out.split('\n');
    expect(lines[0]).toMatch(/^partnerId\s+name\s+email\s+status\s+rate/);
    // Newest first, from the partner directory.
    expect(lines.slice(2).map((line) => line.split(/\s+/)[0])).toEqual([newer.partnerId, partner.partnerId]);
    const one = await cli('partners', 'list', '--search', 'cli partner', '--limit', '1');
    expect(
      one.out
        .split('\n')
        .slice(2)
        .map((line) => line.split(/\s+/)[0]),
    ).toEqual([newer.partnerId]);

    const frozen = await cli('partners', 'freeze', partner.partnerId, '--reason', 'odd traffic');
    expect(frozen.code).toBe(0);
    expect(frozen.out).toMatch(/active\s+frozen/);
    expect((await cli('partners', 'unfreeze', partner.partnerId, '--reason', 'fine')).code).toBe(0);
    await addCommission(collector, partner.partnerId, 7000, new Date());
    const disabled = await cli('partners', 'disable', partner.partnerId, '--reason', 'fraud');
    expect(disabled.out).toMatch(/active\s+disabled\s+1\s+-7000/);
    expect((await cli('partners', 'freeze', partner.partnerId)).code).toBe(2);
    expect((await cli('partners', 'freeze', 'nobody', '--reason', 'x')).code).toBe(1);

    const audit = await collector.context.models.AuditEntry.find({ subject: `partner:${partner.partnerId}` })
      .sort({ at: 1 })
      .lean();
    expect(audit.map((entry) => entry.reason)).toEqual(['odd traffic', 'fine', 'fraud']);
    expect(audit[0]!.actor).toMatch(/^cli/);
  });

  it('payouts run --as-of, list, export and complete', async () => {
    const partner = await createTestPartner(collector);
    await addCommission(collector, partner.partnerId, 12345, new Date('2026-01-10T00:00:00Z'));
    const asOf = new Date(Date.parse('2026-01-10T00:00:00Z') + 121 * day).toISOString().slice(0, 10);
    const preview = await cli('payouts', 'run', '--as-of', asOf, '--preview');
    expect(preview.out).toMatch(/^Preview/);
    const run = await cli('payouts', 'run', '--as-of', asOf);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(new RegExp(`${partner.partnerId}\\s+paypal-${partner.email}\\s+123\\.45`));
    const payoutId = /^Payout (\S+)/.exec(run.out)![1]!;
    expect((await cli('payouts', 'list')).out).toContain(payoutId);
    const csv = await cli('payouts', 'export', payoutId, '--format', 'csv');
    expect(csv.out).toContain(`paypal-${partner.email},123.45,USD,${partner.partnerId},`);
    const json = JSON.parse((await cli('payouts', 'export', payoutId, '--format', 'json')).out);
    expect(json.items[0].amount).toEqual({ value: '123.45', currency: 'USD' });
    const done = await cli('payouts', 'complete', payoutId, '--failed', partner.partnerId);
    expect(done.out).toMatch(/123\.45\s+failed/);
    expect((await cli('payouts', 'run', '--as-of', 'next tuesday')).code).toBe(2);
  });
});
