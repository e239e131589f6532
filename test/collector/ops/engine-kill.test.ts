// kill -9 of the database engine under load. The collector that started it restarts it on the same
// data; meanwhile every request answers 503 (never 500), and after recovery everything acknowledged
// (202 clicks, 201/200 invoices) is stored. With an engine it did not start, /healthz turns
// unhealthy after ASHOP_UNHEALTHY_AFTER_SECONDS and requests are refused at once.
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { ChildCollector, withDatabase } from '../../support/child-collector';
import { testServerKey } from '../../support/collector';
import { TestEngine } from '../../support/engine';

const track = { Authorization: `Bearer ${testServerKey}` };
const partners = ['710001', '710002', '710003'];
const customers = Array.from({ length: 30 }, (_, i) => ({ _id: `kill-cust-${i}`, partnerId: partners[i % 3]! }));

/** 25% (the default rate) of the plan line, rounded half up. */
const commissionOf = (amount: number) => Math.floor((amount * 25 + 50) / 100);

async function seed(connection: Connection): Promise<void> {
  await connection.db!.collection<{ _id: string }>('partners').insertMany(
    partners.map((id) => ({
      _id: id,
      email: `${id}@partners.example`,
      name: `Partner ${id}`,
      passwordHash: 'no-login',
      payoutEmail: `${id}@paypal.example`,
      status: 'active',
    })),
  );
  await connection
    .db!.collection<{ _id: string }>('customers')
    .insertMany(
      customers.map((customer) => ({ ...customer, clickId: randomUUID(), boundAt: new Date(Date.now() - 86_400_000) })),
    );
}

interface Outcome {
  at: number;
  status: number | 'network error';
}

/** Workers sending clicks and invoices until told to stop; records what was acknowledged. */
function startLoad(collector: ChildCollector, workers: number) {
  const outcomes: Outcome[] = [];
  const clicks: string[] = [];
  const invoices = new Map<string, number>();
  let running = true;
  const send = async (path: string, body: object): Promise<number | 'network error'> => {
    try {
      const answer = await collector.request('POST', path, { headers: track, body, timeoutMs: 20_000 });
      return answer.status;
    } catch {
      return 'network error';
    }
  };
  const worker = async () => {
    while (running) {
      const cid = randomUUID();
      const click = await send('/v1/clicks', {
        aid: partners[randomInt(3)],
        cid,
        vid: randomUUID(),
        url: 'https://ashop.example/pricing',
      });
      outcomes.push({ at: Date.now(), status: click });
      if (click === 202) clicks.push(cid);
      const eventId = `kill-inv-${randomUUID()}`;
      const amount = randomInt(100, 50_000);
      const invoice = await send('/v1/revenue', {
        eventId,
        customerId: customers[randomInt(customers.length)]!._id,
        occurredAt: new Date().toISOString(),
        currency: 'USD',
        lines: [{ kind: 'plan', amount }],
      });
      outcomes.push({ at: Date.now(), status: invoice });
      if (invoice === 201 || invoice === 200) invoices.set(eventId, commissionOf(amount));
    }
  };
  const done = Promise.all(Array.from({ length: workers }, worker));
  return {
    outcomes,
    clicks,
    invoices,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs / 1000} s`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

describe('the database engine dies', () => {
  const dataDirs: string[] = [];
  const newDataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ashop-kill-'));
    dataDirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('is restarted by the collector; 503 meanwhile, never 500; nothing acknowledged lost', async () => {
    // LOG_LEVEL info (the harness default): the engine's pid and URI are read from the log.
    const collector = await ChildCollector.start({ dataDir: newDataDir() });
    const connection = await mongoose.createConnection(withDatabase(collector.engineUri!, 'ashop')).asPromise();
    let load: ReturnType<typeof startLoad> | undefined;
    try {
      await seed(connection);
      load = startLoad(collector, 6);
      const { clicks, invoices, outcomes } = load;
      await waitFor(async () => clicks.length >= 20 && invoices.size >= 20, 30_000);

      const firstEngine = collector.enginePid!;
      const restarted = collector.waitForLog((line) => line.msg?.includes('restarted in') ?? false, 30_000);
      const killedAt = Date.now();
      process.kill(firstEngine, 'SIGKILL');
      await restarted;
      await waitFor(async () => (await collector.request('GET', '/readyz')).status === 200, 30_000);
      const recoveredMs = Date.now() - killedAt;
      expect(collector.enginePid).not.toBe(firstEngine);
      // Keep the load on a moment after recovery: requests succeed again.
      const afterRecovery = outcomes.length;
      await waitFor(async () => outcomes.slice(afterRecovery).filter((o) => o.status === 202).length >= 10, 20_000);
      await load.stop();

      const during = outcomes.filter((outcome) => outcome.at >= killedAt && outcome.at <= killedAt + recoveredMs);
      const statuses = new Set(outcomes.map((outcome) => outcome.status));
      console.log(
        `engine kill: ready again after ${recoveredMs} ms; answers during the outage: ${JSON.stringify(tally(during))}; in all: ${JSON.stringify(tally(outcomes))}`,
      );
      expect(recoveredMs).toBeLessThan(30_000);
      expect([...statuses].filter((status) => ![200, 201, 202, 503].includes(status as number))).toEqual([]);
      expect((await collector.request('GET', '/healthz')).status).toBe(200);

      // Everything acknowledged is stored: each click, and each invoice's one commission entry.
      const storedClicks = await connection
        .db!.collection<{ _id: string }>('clicks')
        .find({ _id: { $in: clicks } }, { projection: { _id: 1 } })
        .toArray();
      expect(storedClicks.length).toBe(clicks.length);
      const entries = await connection
        .db!.collection<{ _id: string; eventId: string; amount: number }>('ledger')
        .find({ kind: 'commission' })
        .toArray();
      const byEvent = new Map<string, number[]>();
      for (const entry of entries) byEvent.set(entry.eventId, [...(byEvent.get(entry.eventId) ?? []), entry.amount]);
      const wrong = [...invoices].filter(([eventId, amount]) => {
        const got = byEvent.get(eventId) ?? [];
        return got.length !== 1 || got[0] !== amount;
      });
      expect(wrong).toEqual([]);
    } finally {
      await load?.stop();
      await connection.close();
      await collector.stop();
    }
  }, 120_000);

  it('with an engine it did not start: refuses at once, turns unhealthy, recovers when it is back', async () => {
    const engine = await TestEngine.start();
    dataDirs.push(engine.dataDir);
    const collector = await ChildCollector.start({
      mongodbUri: withDatabase(engine.uri, 'unhealthy'),
      dataDir: newDataDir(),
      env: { LOG_LEVEL: 'warn', ASHOP_UNHEALTHY_AFTER_SECONDS: '2' },
    });
    try {
      expect((await collector.request('GET', '/readyz')).status).toBe(200);
      await engine.kill();
      await waitFor(async () => (await collector.request('GET', '/readyz')).status === 503, 10_000);

      const started = Date.now();
      const refused = await collector.request('GET', '/v1/admin/partners', {
        headers: { Authorization: 'Bearer test-admin-key-0123456789' },
      });
      expect(Date.now() - started).toBeLessThan(1000);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(refused.body).toMatchObject({ type: '/problems/database-unavailable' });

      await waitFor(async () => (await collector.request('GET', '/healthz')).status === 503, 10_000);
      expect((await collector.request('GET', '/healthz')).body).toMatchObject({ status: 'unhealthy' });

      await engine.start();
      await waitFor(async () => (await collector.request('GET', '/readyz')).status === 200, 15_000);
      expect((await collector.request('GET', '/healthz')).status).toBe(200);
    } finally {
      await collector.stop();
      await engine.dispose();
    }
  }, 90_000);
});

function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status } of outcomes) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
