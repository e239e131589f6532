// /openapi.json against the app itself: every mounted route is documented (and nothing else), and
// each documented request schema is the very object its route parses with.
import type { Express } from 'express';
import request from 'supertest';
import express from 'express';
import pino from 'pino';
import { z } from 'zod';
import type { Collector } from '../../../collector/app';
import { errorHandler } from '../../../collector/http/errors';
import {
  answerFor,
  answerSchema,
  checkAnswers,
  openApiPath,
  requestSchema,
  type Operation,
} from '../../../collector/http/openapi';
import { apiOperations } from '../../../collector/routes';
import { testAdminKey, testCollector, testServerKey } from '../../support/collector';
import { useTestDatabase } from '../../support/db';
import { createTestPartner } from '../../support/partners';
import { apiReferencePage } from '../../../demo-site/pages/api-docs';
import { escapeHtml } from '../../../demo-site/pages/html';

const db = useTestDatabase(__filename);
let collector: Collector;
let partnerToken: string;

beforeAll(async () => {
  collector = await testCollector(db.connection());
  partnerToken = (await createTestPartner(collector)).token;
});

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** `METHOD /path` of every route mounted on the app, found by walking Express's router stack. */
function mountedRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const method of Object.keys(layer.route.methods))
          for (const path of paths) found.push(`${method.toUpperCase()} ${path}`);
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found;
}

type Document = { paths: Record<string, Record<string, Record<string, unknown>>> };

const name = (op: Operation) => `${op.method.toUpperCase()} ${op.path}`;
/** The 2xx statuses an operation documents; 204 has no body, so neither schema nor media type. */
const bodiedStatuses = (op: Operation) =>
  Object.keys(op.responses).filter((status) => status.startsWith('2') && status !== '204');

describe('GET /openapi.json', () => {
  let document: Document;

  beforeAll(async () => {
    const res = await request(collector.app).get('/openapi.json').expect(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.headers['cache-control']).toMatch(/public/);
    document = res.body as Document;
  });

  it('is an OpenAPI 3.1 document naming the collector’s public URL, every operation with an ID of its own', () => {
    expect(document).toMatchObject({
      openapi: '3.1.0',
      info: { title: expect.any(String), version: expect.any(String) },
      servers: [{ url: collector.context.config.publicUrl }],
    });
    const ids = Object.values(document.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
    expect(ids.every((id) => typeof id === 'string' && /^[a-z]+[A-Za-z0-9]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(document.paths['/v1/admin/payouts/{id}/complete']!.post!.operationId).toBe('postAdminPayoutsByIdComplete');
  });

  it('documents every mounted route, and only those', () => {
    // CORS preflights of the browser endpoints are protocol, not API operations.
    const mounted = mountedRoutes(collector.app).filter((route) => !route.startsWith('OPTIONS '));
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(new Set(mounted.map((route) => openApiPath(route))).size).toBe(mounted.length);
    expect([...documented].sort()).toEqual(mounted.map((route) => openApiPath(route)).sort());
    expect(mounted.length).toBeGreaterThan(60);
  });

  it('states each request body as the JSON Schema of the route’s zod schema', () => {
    const withBody = apiOperations.filter((op) => op.body);
    expect(withBody.length).toBeGreaterThan(25);
    for (const op of withBody) {
      const content = document.paths[openApiPath(op.path)]![op.method]!.requestBody as {
        content: { 'application/json': { schema: unknown } };
      };
      expect(content.content['application/json'].schema).toEqual(requestSchema(op.body!));
    }
  });

  it('describes every 2xx answer but 204s: JSON by its schema (per status where they differ), or its media type', () => {
    const undescribed = apiOperations.flatMap((op) =>
      bodiedStatuses(op)
        .filter((status) => !answerFor(op, status) && !op.produces)
        .map((status) => `${name(op)} ${status}`),
    );
    expect(undescribed).toEqual([]);
    for (const op of apiOperations.filter((o) => o.answer && !(o.answer instanceof z.ZodType)))
      expect([name(op), Object.keys(op.answer!).sort()]).toEqual([name(op), bodiedStatuses(op).sort()]);
    const bodiless = apiOperations.filter((op) => '204' in op.responses && bodiedStatuses(op).length === 0);
    expect(bodiless.map(name).sort()).toEqual(['DELETE /v1/admin/banners/:id', 'DELETE /v1/admin/webhooks/:id']);
    for (const op of bodiless) expect([name(op), op.answer, op.produces]).toEqual([name(op), undefined, undefined]);
  });

  it('states each answer as the JSON Schema of its zod schema, and errors as one problem+json schema', () => {
    for (const op of apiOperations) {
      const responses = document.paths[openApiPath(op.path)]![op.method]!.responses as Record<
        string,
        { content?: Record<string, { schema: unknown }> }
      >;
      for (const [status, response] of Object.entries(responses)) {
        if (status === 'default') {
          expect(response.content).toEqual({
            'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
          });
        } else if (status === '204') {
          expect(response.content).toBeUndefined();
        } else if (answerFor(op, status)) {
          expect(response.content!['application/json']!.schema).toEqual(answerSchema(answerFor(op, status)!));
        }
      }
    }
    expect(document).toMatchObject({
      components: { schemas: { Problem: { properties: { type: {}, title: {}, status: {}, detail: {}, errors: {} } } } },
    });
  });

  it('lists each query schema’s fields as query parameters', () => {
    for (const op of apiOperations.filter((o) => o.query)) {
      const { properties } = requestSchema(op.query!) as { properties: Record<string, unknown> };
      const parameters = document.paths[openApiPath(op.path)]![op.method]!.parameters as Array<{
        name: string;
        in: string;
        schema: unknown;
      }>;
      const query = Object.fromEntries(parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.schema]));
      expect(query).toEqual(properties);
    }
  });
});

describe('the documented schemas are the ones the routes parse with', () => {
  const credentials = (op: Operation): string | undefined =>
    ({ admin: testAdminKey, 'server-key': testServerKey, browser: testServerKey, partner: partnerToken })[
      op.auth as 'admin'
    ];

  /** Calls the route with an empty input and reports whether `schema` was the one asked to parse it. */
  async function parsedWith(op: Operation, schema: z.ZodType): Promise<boolean> {
    let called = false;
    const own = Object.getOwnPropertyDescriptor(schema, 'parse');
    const original = schema.parse.bind(schema);
    // Shadows the method on this one object: only the route holding this very instance can call it.
    schema.parse = ((data: unknown, params?: z.core.ParseContext<z.core.$ZodIssue>) => {
      called = true;
      return original(data, params);
    }) as typeof schema.parse;
    try {
      const path = op.path.replace(/:(\w+)/g, 'x');
      const key = credentials(op);
      let call = request(collector.app)[op.method](path);
      if (key) call = call.set('Authorization', `Bearer ${key}`);
      const res = op.body ? await call.send({}) : await call;
      expect(res.status).toBeLessThan(500);
    } finally {
      if (own) Object.defineProperty(schema, 'parse', own);
      else delete (schema as { parse?: unknown }).parse;
    }
    return called;
  }

  it.each(apiOperations.filter((op) => op.body).map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))(
    'body of %s',
    async (_name, op) => {
      expect(await parsedWith(op, op.body!)).toBe(true);
    },
  );

  it.each(apiOperations.filter((op) => op.query).map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))(
    'query of %s',
    async (_name, op) => {
      expect(await parsedWith(op, op.query!)).toBe(true);
    },
  );
});

describe('checkAnswers', () => {
  const op: Operation = {
    method: 'get',
    path: '/things/:id',
    summary: 'A thing.',
    auth: 'public',
    responses: { '200': 'The thing.' },
    answer: z.strictObject({ id: z.string(), at: z.iso.datetime() }),
  };
  const app = (answer: unknown, status = 200) => {
    const server = express();
    server.use(checkAnswers([op]));
    server.get('/things/:id', (_req, res) => {
      res.status(status).json(answer);
    });
    server.use(errorHandler(pino({ level: 'silent' }), () => {}));
    return server;
  };

  it('lets an answer of the documented shape through, as sent (dates as ISO strings)', async () => {
    const res = await request(app({ id: 'a', at: new Date(0) }))
      .get('/things/a')
      .expect(200);
    expect(res.body).toEqual({ id: 'a', at: '1970-01-01T00:00:00.000Z' });
  });

  it('turns an answer with a field the schema does not name, or a wrong type, into a 500 naming it', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const extra = await request(app({ id: 'a', at: new Date(0), secret: 'x' }))
        .get('/things/a')
        .expect(500);
      expect(extra.body.detail).toMatch(/GET \/things\/:id answered outside its documented schema[\s\S]*secret/);
      const wrong = await request(app({ id: 1, at: new Date(0) }))
        .get('/things/a')
        .expect(500);
      expect(wrong.body.detail).toMatch(/id/);
    } finally {
      stderr.mockRestore();
    }
  });

  it('holds each status to its own schema when they differ, and fails a 2xx status it does not document', async () => {
    const perStatus: Operation = {
      ...op,
      responses: { '200': 'Nothing made.', '201': 'Made.' },
      answer: { '201': z.strictObject({ id: z.string() }), '200': z.strictObject({ id: z.null() }) },
    };
    const server = (status: number, answer: unknown) =>
      express()
        .use(checkAnswers([perStatus]))
        .get('/things/:id', (_req, res) => {
          res.status(status).json(answer);
        })
        .use(errorHandler(pino({ level: 'silent' }), () => {}));
    await request(server(201, { id: 'a' }))
      .get('/things/a')
      .expect(201);
    await request(server(200, { id: null }))
      .get('/things/a')
      .expect(200);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await request(server(200, { id: 'a' }))
        .get('/things/a')
        .expect(500);
      const undocumented = await request(server(202, { id: 'a' }))
        .get('/things/a')
        .expect(500);
      expect(undocumented.body.detail).toMatch(/answered 202, a status without a documented answer/);
    } finally {
      stderr.mockRestore();
    }
  });

  it('leaves errors alone (they are problem+json)', async () => {
    await request(app({ anything: true }, 404))
      .get('/things/a')
      .expect(404);
  });
});

describe('the reference page /docs/api', () => {
  it('shows every operation with its auth and request fields', () => {
    const text = apiReferencePage();
    for (const op of apiOperations) {
      expect(text).toContain(`${op.method.toUpperCase()} ${openApiPath(op.path)}`);
      expect(text).toContain(escapeHtml(op.summary));
    }
    expect(text).toContain('<code>idempotencyKey</code>');
    expect(text).toContain('admin key or token');
  });
});
