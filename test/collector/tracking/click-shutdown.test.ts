// Group commit under load: every click answered 202 is stored, also when the collector is asked
// to stop in the middle of the load (HTTP server closes, queued clicks and counters drain).
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testCollector } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { createTestPartner } from '../../support/partners';
import { browserUa, clickBody, statsOf } from './fixtures';

const db = useTestDatabase(__filename);

function postClick(port: number, agent: Agent, body: object): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest(
      {
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: '/v1/clicks',
        agent,
        headers: { 'Content-Type': 'text/plain', 'User-Agent': browserUa },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    // Refused or cut connections (the server stopped): not acknowledged, so not promised.
    req.on('error', () => resolve(0));
    req.end(JSON.stringify(body));
  });
}

test('every acknowledged click is stored when the collector stops mid-load', async () => {
  const collector = await testCollector(db.connection());
  const { partnerId } = await createTestPartner(collector);
  const server = collector.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

  const bodies = Array.from({ length: 1500 }, () => clickBody(partnerId, { vid: randomUUID() }));
  let answered = 0;
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    await new Promise<void>((done) => {
      server.close(() => done());
      server.closeIdleConnections();
    });
    await collector.close();
  };
  const statuses = await Promise.all(
    bodies.map(async (body) => {
      const status = await postClick(port, agent, body);
      answered += 1;
      if (answered === 300) stopping = stop();
      return status;
    }),
  );
  await stopping;
  agent.destroy();

  const acknowledged = bodies.filter((_body, i) => statuses[i] === 202).map((body) => body.cid);
  expect(acknowledged.length).toBeGreaterThanOrEqual(300);
  // The stop really came mid-load: later requests were refused.
  expect(acknowledged.length).toBeLessThan(bodies.length);
  const stored = new Set(
    (await collector.context.models.Click.find({ partnerId }, { _id: 1 }).lean()).map((click) => click._id),
  );
  expect(acknowledged.filter((cid) => !stored.has(cid))).toEqual([]);
  // Every stored click left its delta: folded, one click and one unique click per stored click.
  expect(await statsOf(collector, partnerId)).toMatchObject({ clicks: stored.size, uniqueClicks: stored.size });
}, 60_000);
