// /readyz follows the database: 503 while the engine is down, 200 once it is back on its port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Connection } from 'mongoose';
import { openConnection } from '../../collector/db/connection';
import { freePort, startEngine, type Engine } from '../../collector/db/engine';
import { testAdminKey, testCollector } from '../support/collector';

const external = Boolean(process.env.MONGODB_URI);
const maybe = external ? describe.skip : describe;

maybe('readiness with an engine that goes away', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ashop-readyz-'));
  let engine: Engine;
  let connection: Connection;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    engine = await startEngine(undefined, { dataDir, port });
    connection = await openConnection(engine.uri, 'readyz');
  });

  afterAll(async () => {
    await connection?.close(true);
    await engine?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 200, then 503 while the engine is stopped, then 200 again', async () => {
    const { app } = await testCollector(connection);
    await request(app).get('/readyz').expect(200);

    await engine.stop();
    const down = await request(app).get('/readyz');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'unavailable', database: 'down' });
    const query = await request(app).get('/v1/admin/partners').set('Authorization', `Bearer ${testAdminKey}`);
    expect(query.status).toBe(503);
    expect(query.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(query.headers['retry-after']).toBe('5');
    expect(query.body).toMatchObject({ status: 503, type: '/problems/database-unavailable' });

    engine = await startEngine(undefined, { dataDir, port });
    // The driver reconnects by itself within its heartbeat; poll rather than sleep blindly.
    let status = 0;
    for (let attempt = 0; attempt < 40 && status !== 200; attempt++) {
      status = (await request(app).get('/readyz')).status;
      if (status !== 200) await new Promise((done) => setTimeout(done, 250));
    }
    expect(status).toBe(200);
  }, 60_000);
});
