// The CLI's api-key commands end to end (the key works, only its hash is stored), help, usage errors
// that never open the database, and the runner's building blocks.
import request from 'supertest';
import type { Collector } from '../../../collector/app';
import { commands } from '../../../collector/cli';
import { formatTable, selectCommand } from '../../../collector/cli/command';
import { testCollector, testConfig } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { cliRunner } from './run-cli';

const db = useTestDatabase(__filename);

describe('CLI: api-key commands, help and usage errors', () => {
  let collector: Collector;
  beforeAll(async () => {
    collector = await testCollector(db.connection());
  });
  afterAll(() => collector.close());

  const cli = cliRunner(testConfig, () => db.connection());

  test('api-key create prints a key once; it works for tracking and is stored only as a hash', async () => {
    const { code, out } = await cli('api-key', 'create', '--scope', 'track', '--label', 'billing');
    expect(code).toBe(0);
    const key = /ak_track_[\w-]+/.exec(out)![0];
    expect(out).toMatch(/^scope\s+label\s+key\n-+\s+-+\s+-+\ntrack\s+billing\s+ak_track_/);
    const stored = await collector.context.models.ApiKey.find({ label: 'billing' }).lean();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(key);
    await request(collector.app)
      .post('/v1/revenue')
      .set('Authorization', `Bearer ${key}`)
      .send({ eventId: 'cli-key-check', customerId: 'c1', lines: [{ kind: 'plan', amount: 100 }] })
      .expect(201);
    await request(collector.app).post('/v1/admin/payouts').set('Authorization', `Bearer ${key}`).send({}).expect(403);
  });

  test('api-key list shows prefixes, never keys; revoke stops the key', async () => {
    const created = await cli('api-key', 'create', '--scope', 'admin');
    const key = /ak_admin_[\w-]+/.exec(created.out)![0];
    const list = await cli('api-key', 'list');
    expect(list.out).toContain(key.slice(0, 12));
    expect(list.out).not.toContain(key);
    const revoked = await cli('api-key', 'revoke', key.slice(0, 12));
    expect(revoked.out).toBe('1 key(s) revoked.');
    await request(collector.app).post('/v1/revenue').set('Authorization', `Bearer ${key}`).send({}).expect(401);
  });

  test('usage mistakes exit 2 with a one-line reason; unknown commands and options never open the database', async () => {
    const badScope = await cli('api-key', 'create', '--scope', 'root');
    expect(badScope).toMatchObject({ code: 2, opened: 1 });
    expect(badScope.err).toMatch(/--scope must be one of: track, admin/);
    const missing = await cli('api-key', 'create');
    expect(missing.err).toMatch(/--scope is required/);
    const unknownOption = await cli('api-key', 'create', '--scope', 'track', '--colour', 'red');
    expect(unknownOption).toMatchObject({ code: 2, opened: 0 });
    const unknown = await cli('frobnicate');
    expect(unknown).toMatchObject({ code: 2, opened: 0 });
    expect(unknown.err).toMatch(/Unknown command: frobnicate/);
    const help = await cli('help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('api-key create');
  });
});

describe('CLI: command selection and tables', () => {
  test('the longest matching command name wins', () => {
    const names = (argv: string[]) => selectCommand(commands, argv)?.command.name;
    expect(names(['api-key', 'create', '--scope', 'x'])).toBe('api-key create');
    expect(names(['api-key'])).toBeUndefined();
  });

  test('formatTable aligns columns, numbers to the right', () => {
    expect(
      formatTable([
        { name: 'a', amount: 5 },
        { name: 'bbb', amount: 12345 },
      ]),
    ).toBe(['name  amount', '----  ------', 'a          5', 'bbb    12345'].join('\n'));
    expect(formatTable([])).toBe('(none)');
  });
});
