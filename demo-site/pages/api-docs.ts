// /docs/api: the collector's API reference, rendered from the same OpenAPI document the collector
// serves at /openapi.json (built from the routes' own declarations, so the page cannot go stale).
import { openApiDocument } from '../../collector/http/openapi';
import { apiOperations } from '../../collector/routes';
import { html, type Html } from './html';
import { page } from './layout';

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
};
type OperationDoc = {
  summary: string;
  'x-auth': string;
  parameters?: Array<{ name: string; in: string; required: boolean; schema: Schema }>;
  requestBody?: { content: { 'application/json': { schema: Schema } } };
  responses: Record<string, { description: string }>;
};

const authLabel: Record<string, string> = {
  public: 'public',
  browser: 'browser (CORS) or server key',
  'server-key': 'server key',
  partner: 'partner token',
  admin: 'admin key or token',
  'stripe-signature': 'Stripe-Signature',
};

function typeOf(schema: Schema): string {
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' | ');
  if (schema.type === 'array' && schema.items) return `${typeOf(schema.items)}[]`;
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? 'any');
  return schema.format ? `${type} (${schema.format})` : type;
}

function rules(schema: Schema): string {
  const parts: string[] = [];
  if (schema.minLength !== undefined || schema.maxLength !== undefined)
    parts.push(`length ${schema.minLength ?? 0}–${schema.maxLength ?? '…'}`);
  if (schema.minimum !== undefined || schema.maximum !== undefined)
    parts.push(`${schema.minimum ?? '…'} to ${schema.maximum ?? '…'}`);
  if (schema.pattern) parts.push(`matches ${schema.pattern}`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join('; ');
}

function fields(caption: string, rows: Array<{ name: string; required: boolean; schema: Schema }>): Html | string {
  if (rows.length === 0) return '';
  return html`<table class="fields">
  <caption>${caption}</caption>
  <thead><tr><th>Field</th><th>Type</th><th>Required</th><th>Rules</th></tr></thead>
  <tbody>${rows.map(
    (row) =>
      html`<tr><td><code>${row.name}</code></td><td>${typeOf(row.schema)}</td><td>${row.required ? 'yes' : 'no'}</td><td>${rules(row.schema)}</td></tr>`,
  )}</tbody>
</table>`;
}

function operation(path: string, method: string, op: OperationDoc): Html {
  const body = op.requestBody?.content['application/json'].schema;
  const query = (op.parameters ?? []).filter((parameter) => parameter.in === 'query');
  return html`<article class="card operation" id="${`${method}-${path}`}">
  <h3><code>${method.toUpperCase()} ${path}</code></h3>
  <p>${op.summary}</p>
  <p class="muted">Auth: ${authLabel[op['x-auth']] ?? op['x-auth']} · Answers: ${Object.entries(op.responses)
    .filter(([status]) => status !== 'default')
    .map(([status, response]) => `${status} ${response.description}`)
    .join(' · ')}</p>
  ${fields('Query parameters', query)}
  ${
    body
      ? fields(
          'JSON body',
          Object.entries(body.properties ?? {}).map(([name, schema]) => ({
            name,
            required: body.required?.includes(name) ?? false,
            schema,
          })),
        )
      : ''
  }
</article>`;
}

export function apiReferencePage(): string {
  const document = openApiDocument(apiOperations) as { paths: Record<string, Record<string, OperationDoc>> };
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => operation(path, method, op)),
  );
  return page({
    title: 'API reference · Ashop Partners',
    section: 'partners',
    path: '/docs/api',
    body: html`<section class="wrap">
  <h1>API reference</h1>
  <p class="lead">Every endpoint of the Ashop Partners collector. Machine-readable as OpenAPI 3.1 at
  <a href="/ashop/openapi.json"><code>/openapi.json</code></a> (generate a client from it). Errors are RFC 9457
  <code>application/problem+json</code>.</p>
  ${operations}
</section>`,
  });
}
