import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type { Collector } from '../../collector/app';
import { projectRoot } from '../../collector/paths';
import { testCollector } from '../support/collector';
import { useTestDatabase } from '../support/db';

const db = useTestDatabase(__filename);
let collector: Collector;

beforeAll(async () => {
  collector = await testCollector(db.connection());
});

describe('GET /sdk/ashop.min.js', () => {
  it('serves the built IIFE with long-lived caching and CORS', async () => {
    const res = await request(collector.app).get('/sdk/ashop.min.js').expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cache-control']).toBe('public, max-age=604800, stale-while-revalidate=604800');
    expect(res.headers.etag).toBeTruthy();
    expect(res.text).toBe(readFileSync(join(projectRoot, 'dist/sdk/ashop.min.js'), 'utf8'));
  });

  it('revalidates with the ETag', async () => {
    const first = await request(collector.app).get('/sdk/ashop.min.js');
    await request(collector.app).get('/sdk/ashop.min.js').set('If-None-Match', first.headers.etag!).expect(304);
  });

  it('serves nothing else from the folder', async () => {
    const res = await request(collector.app).get('/sdk/ashop.d.ts').expect(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    await request(collector.app).get('/sdk/..%2Fpackage.json').expect(404);
  });
});
