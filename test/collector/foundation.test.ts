import request from 'supertest';
import { useTestDatabase } from '../support/db';
import { testCollector } from '../support/collector';
import type { Collector } from '../../collector/app';

const db = useTestDatabase(__filename);
let collector: Collector;

beforeAll(async () => {
  collector = await testCollector(db.connection());
});

describe('database', () => {
  it('writes and reads documents through mongoose on the real engine', async () => {
    const { Banner } = collector.context.models;
    await Banner.create({
      _id: 'b1',
      name: 'Leaderboard',
      imageUrl: '/banners/728x90.png',
      width: 728,
      height: 90,
      altText: 'Ashop',
    });
    const found = await Banner.findById('b1').lean();
    expect(found).toMatchObject({ _id: 'b1', width: 728, active: true, targetPath: '/' });
  });

  it('enforces unique keys with error code 11000', async () => {
    const { ApiKey } = collector.context.models;
    const doc = { _id: 'hash-1', scope: 'track' as const, prefix: 'ak_1', createdAt: new Date() };
    await ApiKey.create(doc);
    await expect(ApiKey.create(doc)).rejects.toMatchObject({ code: 11000 });
  });
});

describe('health', () => {
  it('answers /healthz and /readyz', async () => {
    await request(collector.app).get('/healthz').expect(200, { status: 'ok' });
    await request(collector.app).get('/readyz').expect(200, { status: 'ready', database: 'up' });
  });

  it('exposes Prometheus metrics counting requests', async () => {
    await request(collector.app).get('/healthz');
    const res = await request(collector.app).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/ashop_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
  });

  it('gives every answer a request id, reusing a sane one from the caller', async () => {
    const own = await request(collector.app).get('/healthz');
    expect(own.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await request(collector.app).get('/healthz').set('X-Request-Id', 'abc-123');
    expect(given.headers['x-request-id']).toBe('abc-123');
  });
});

describe('errors are RFC 9457 problem+json', () => {
  const expectProblem = (res: request.Response, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
  };

  it('404 for an unknown route', async () => {
    const res = await request(collector.app).get('/nope');
    expectProblem(res, 404);
    expect(res.body.detail).toBe('No route for GET /nope');
  });

  it('400 for malformed JSON', async () => {
    const res = await request(collector.app).post('/nope').set('Content-Type', 'application/json').send('{"a":');
    expectProblem(res, 400);
    expect(res.body.type).toBe('/problems/malformed-json');
  });

  it('413 for an oversized body', async () => {
    const res = await request(collector.app)
      .post('/nope')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ big: 'x'.repeat(200_000) }));
    expectProblem(res, 413);
  });
});
