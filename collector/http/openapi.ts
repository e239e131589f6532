// The OpenAPI 3.1 document, built from what each route file declares next to its zod schemas: the
// request schemas in the document are the very objects the routes parse with, and the answer
// schemas the very objects answers are checked against (checkAnswers, on in tests), so neither drifts.
import { isDeepStrictEqual } from 'node:util';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { HttpProblem } from './problem';

/** Who may call an operation (and how). */
export type Auth = 'public' | 'browser' | 'server-key' | 'partner' | 'admin' | 'stripe-signature';

export interface Operation {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** Express-style path (`/v1/admin/partners/:id`). */
  path: string;
  summary: string;
  auth: Auth;
  body?: z.ZodType;
  /** An object schema (possibly refined) over the query string. */
  query?: z.ZodType;
  /** Status code → description. */
  responses: Record<string, string>;
  /**
   * The JSON body of every 2xx answer but 204 (strict objects, as sent: times are ISO strings), or
   * one per status when they differ (a 201 that created something, a 200 that did not).
   * checkAnswers holds each real answer to it.
   */
  answer?: z.ZodType | Record<string, z.ZodType>;
  /** The media type of a 2xx answer that is not JSON (a CSV file, a script, a redirect's empty body). */
  produces?: string;
}

/** RFC 9457 problem details, the body of every 4xx and 5xx answer. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.strictObject({ field: z.string(), message: z.string() })).optional(),
  })
  .catchall(z.unknown());

/** An answer schema as JSON Schema, as the server sends it. */
export function answerSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' });
  return rest;
}

type JsonSchema = Record<string, unknown>;

/** The schema of the JSON an operation answers with `status`; undefined for 204 and non-JSON answers. */
export function answerFor(op: Operation, status: string | number): z.ZodType | undefined {
  const code = String(status);
  if (!op.answer || !code.startsWith('2') || code === '204') return undefined;
  return op.answer instanceof z.ZodType ? op.answer : op.answer[code];
}

/** A request schema as JSON Schema, as the client must send it (before transforms and defaults). */
export function requestSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      // A default made per request (a fresh random ID) is no fixed value a client could rely on.
      const def = zodSchema._zod.def;
      if (def.type === 'default' && !isDeepStrictEqual(def.defaultValue, def.defaultValue)) delete jsonSchema.default;
    },
  });
  return rest;
}

const securitySchemes = {
  serverKey: { type: 'http', scheme: 'bearer', description: 'ASHOP_SERVER_KEY (server-to-server calls).' },
  adminKey: { type: 'http', scheme: 'bearer', description: 'ASHOP_ADMIN_KEY, an API key, or an admin session token.' },
  partnerToken: { type: 'http', scheme: 'bearer', description: 'A partner session token from POST /v1/auth/login.' },
  stripeSignature: { type: 'apiKey', in: 'header', name: 'Stripe-Signature' },
} as const;

const securityOf: Record<Auth, Array<Record<string, string[]>>> = {
  public: [],
  browser: [{}, { serverKey: [] }],
  'server-key': [{ serverKey: [] }],
  partner: [{ partnerToken: [] }],
  admin: [{ adminKey: [] }],
  'stripe-signature': [{ stripeSignature: [] }],
};

export const openApiPath = (path: string): string => path.replace(/:(\w+)/g, '{$1}');

const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * A name for the operation that generated clients use for its method: the HTTP method and the
 * path's words without the version (`POST /v1/admin/payouts/:id/complete` → `postAdminPayoutsByIdComplete`).
 */
export function operationId(op: Pick<Operation, 'method' | 'path'>): string {
  const words = op.path
    .split('/')
    .filter((segment) => segment !== '' && segment !== 'v1')
    .flatMap((segment) =>
      segment.startsWith(':') ? [`By${capitalized(segment.slice(1))}`] : segment.split(/[^A-Za-z0-9]+/),
    );
  return op.method + words.map(capitalized).join('');
}

/** The document; `serverUrl` (the collector's public URL) tells generated clients where it is. */
export function openApiDocument(operations: readonly Operation[], serverUrl?: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) {
    const path = openApiPath(op.path);
    const parameters: JsonSchema[] = [...op.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (op.query) {
      const query = requestSchema(op.query) as { properties?: Record<string, JsonSchema>; required?: string[] };
      for (const [name, schema] of Object.entries(query.properties ?? {})) {
        parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
      }
    }
    const responses = Object.fromEntries(
      Object.entries(op.responses).map(([status, description]) => {
        const answer = answerFor(op, status);
        const content = {
          ...(answer ? { 'application/json': { schema: answerSchema(answer) } } : {}),
          ...(op.produces ? { [op.produces]: { schema: { type: 'string' } } } : {}),
        };
        const bodied = status.startsWith('2') && status !== '204' && Object.keys(content).length > 0;
        return [status, { description, ...(bodied ? { content } : {}) }];
      }),
    );
    paths[path] ??= {};
    paths[path][op.method] = {
      operationId: operationId(op),
      summary: op.summary,
      'x-auth': op.auth,
      security: securityOf[op.auth],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(op.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: requestSchema(op.body) } } } }
        : {}),
      responses: {
        ...responses,
        default: {
          description: 'An error, as RFC 9457 problem+json.',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ashop Partners collector API',
      // The version of the /v1 API's contract, not of the package.
      version: '1.0.0',
      description: 'Partner (affiliate) tracking, billing events, the partner portal and the operator API.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: { securitySchemes, schemas: { Problem: answerSchema(problemSchema) } },
    paths,
  };
}

export const openApiOperation: Operation = {
  method: 'get',
  path: '/openapi.json',
  summary: 'This document (OpenAPI 3.1).',
  auth: 'public',
  responses: { '200': 'The document.' },
  answer: z.object({ openapi: z.literal('3.1.0') }).catchall(z.unknown()),
};

/** GET /openapi.json: public and cacheable (it changes only with a deploy). */
export function openApiRoute(operations: readonly Operation[], serverUrl: string): Router {
  const router = Router();
  const body = JSON.stringify(openApiDocument(operations, serverUrl));
  router.get('/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('application/json').send(body);
  });
  return router;
}

/**
 * Holds every 2xx JSON answer of a documented operation to its `answer` schema (strictly: a field
 * the schema does not name fails), before it is sent. Tests run with it; a mismatch throws, so the
 * request fails with a 500 naming the operation and the difference.
 */
export function checkAnswers(operations: readonly Operation[]): RequestHandler {
  const byRoute = new Map(operations.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op]));
  return (req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const op = req.route ? byRoute.get(`${req.method} ${String(req.route.path)}`) : undefined;
      if (op?.answer && res.statusCode >= 200 && res.statusCode < 300) {
        const answer = answerFor(op, res.statusCode);
        const checked = answer?.safeParse(JSON.parse(JSON.stringify(body)));
        if (!checked?.success) {
          const detail = checked
            ? `${req.method} ${op.path} answered outside its documented schema: ${z.prettifyError(checked.error)}`
            : `${req.method} ${op.path} answered ${res.statusCode}, a status without a documented answer`;
          // Also on stderr: a test expecting a 2xx shows only the 500's status.
          process.stderr.write(`${detail}\n`);
          throw new HttpProblem(500, detail, { slug: 'answer-mismatch' });
        }
      }
      return json(body);
    };
    next();
  };
}
