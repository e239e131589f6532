// `coupons create|list|deactivate` on the test database: the same rules as the API.
import request from 'supertest';
import type { Collector } from '../../../collector/app';
import { testCollector, testConfig, testServerKey } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { createTestPartner } from '../../support/partners';
import { cliRunner } from './run-cli';

const db = useTestDatabase(__filename);

describe('coupons CLI', () => {
  let collector: Collector;
  beforeAll(async () => {
    collector = await testCollector(db.connection());
  });
  afterAll(() => collector.close());

  const cli = cliRunner(testConfig, db.connection);
  const check = (code: string) =>
    request(collector.app).get(`/v1/coupons/${code}`).set('Authorization', `Bearer ${testServerKey}`);

  test('create, list and deactivate a code', async () => {
    const { partnerId } = await createTestPartner(collector);
    const created = await cli('coupons', 'create', 'Podcast25', '--partner', partnerId, '--discount', '25% off');
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/Podcast25\s+\S+\s+active/);
    expect((await check('podcast25')).body).toEqual({ valid: true, partnerId, discount: '25% off' });

    const taken = await cli('coupons', 'create', 'PODCAST25', '--partner', partnerId);
    expect(taken.code).not.toBe(0);
    expect(taken.err).toMatch(/taken/);

    const listed = await cli('coupons', 'list', '--partner', partnerId);
    expect(listed.out).toMatch(/^code\s+partnerId\s+status\s+endsAt\s+discount\s+signups\s+customers/);
    expect(listed.out).toMatch(/Podcast25/);

    expect((await cli('coupons', 'deactivate', 'podcast25')).code).toBe(0);
    expect((await check('Podcast25')).body).toEqual({ valid: false, reason: 'coupon_inactive' });
    expect((await cli('coupons', 'create', 'x', '--partner', partnerId)).code).not.toBe(0);
    expect((await cli('coupons', 'create', 'Valid1', '--partner', partnerId, '--ends', 'soon')).code).toBe(2);
  });
});
