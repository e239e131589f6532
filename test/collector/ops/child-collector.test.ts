// The child-process harness itself: a real collector process answers, survives kill -9 and a
// restart on the same data, on the run's engine and on an embedded engine of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { ChildCollector, withDatabase } from '../../support/child-collector';
import { testAdminKey, testServerKey } from '../../support/collector';
import { engineUri, testDbName } from '../../support/db';

const track = { Authorization: `Bearer ${testServerKey}` };
const admin = { Authorization: `Bearer ${testAdminKey}` };

async function createPartner(collector: ChildCollector, email: string): Promise<string> {
  const created = await collector.request('POST', '/v1/partners', {
    body: { email, name: 'Harness', password: 'correct horse battery' },
  });
  expect(created.status).toBe(201);
  return (created.body as { partnerId: string }).partnerId;
}

describe('a collector in a child process', () => {
  const dataDirs: string[] = [];
  const children: ChildCollector[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ashop-child-'));
    dataDirs.push(dir);
    return dir;
  };

  afterAll(async () => {
    for (const child of children) await child.kill();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('on the run engine: answers, is killed with SIGKILL, comes back on the same database', async () => {
    const uri = withDatabase(engineUri(), testDbName(__filename));
    const collector = await ChildCollector.start({ mongodbUri: uri, dataDir: dataDir() });
    children.push(collector);
    expect((await collector.request('GET', '/readyz')).status).toBe(200);
    const partnerId = await createPartner(collector, 'harness-run@partners.example');
    const click = await collector.request('POST', '/v1/clicks', {
      headers: track,
      body: {
        aid: partnerId,
        cid: '2b1f6c1e-8d3a-4c55-9d7e-0f4a1b2c3d4e',
        vid: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
        url: 'https://ashop.example/',
      },
    });
    expect(click.status).toBe(202);

    const before = collector.pid;
    await collector.kill();
    await expect(collector.request('GET', '/readyz', { timeoutMs: 2000 })).rejects.toThrow();
    await collector.restart();
    expect(collector.pid).not.toBe(before);
    const partner = await collector.request('GET', `/v1/admin/partners/${partnerId}`, { headers: admin });
    expect(partner.status).toBe(200);

    const connection = await mongoose.createConnection(uri).asPromise();
    try {
      expect(await connection.db!.collection('clicks').countDocuments({ partnerId })).toBe(1);
      await connection.dropDatabase();
    } finally {
      await connection.close();
    }
  }, 120_000);

  it('with its own embedded engine: the engine dies with it and the data survives a restart', async () => {
    const collector = await ChildCollector.start({ dataDir: dataDir() });
    children.push(collector);
    expect(collector.enginePid).toEqual(expect.any(Number));
    const partnerId = await createPartner(collector, 'harness-own@partners.example');

    await collector.kill();
    await collector.restart();
    const partner = await collector.request('GET', `/v1/admin/partners/${partnerId}`, { headers: admin });
    expect(partner.status).toBe(200);
    await collector.stop();
  }, 120_000);
});
