// Operators: per-partner report over a period (JSON or CSV), sortable; and the audit log.
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Context } from '../../context';
import { toCsv } from '../../domain/csv';
import { encodeCursor, pageLimit, pageQuery } from '../../domain/cursor';
import { dayRangeSchema } from '../../domain/day-range';
import { formatMinor } from '../../domain/money';
import { attributionReport } from '../../services/attribution-report';
import { auditTrail } from '../../services/audit';
import { partnersReport, type ReportRow } from '../../services/reports';
import { attributionMethods, attributionSources } from '../../domain/attribution-health';
import { partnerStatuses } from '../../models/partner';
import { auditEntryAnswer, day, listOf, pageOf, statsTotalsAnswer } from '../../http/answers';
import type { Operation } from '../../http/openapi';

type Column = [name: string, value: (row: ReportRow) => string | number, money: boolean];
const columns: Column[] = [
  ['partnerId', (row) => row.partnerId, false],
  ['name', (row) => row.name, false],
  ['email', (row) => row.email, false],
  ['status', (row) => row.status, false],
  ['clicks', (row) => row.clicks, false],
  ['uniqueClicks', (row) => row.uniqueClicks, false],
  ['signups', (row) => row.signups, false],
  ['customers', (row) => row.customers, false],
  ['revenue', (row) => row.revenue, true],
  ['earned', (row) => row.earned, true],
  ['pending', (row) => row.commission.pending, true],
  ['payable', (row) => row.commission.payable, true],
  ['paid', (row) => row.commission.paid, true],
  ['reversed', (row) => row.commission.reversed, true],
  ['balance', (row) => row.balance, true],
];
const sortable = columns.map(([name]) => name) as [string, ...string[]];

const rangeQuery = dayRangeSchema(() => new Date());
/**
 * The report's query: the period, the sort column and order, and JSON or CSV (the `.csv` path
 * defaults to CSV). Without `limit`: every partner, sorted as asked. With `limit`: one page of
 * partners newest first from the partner directory (`cursor` from `nextCursor`), each a few reads
 * by key whatever the history; `sort` orders the page.
 */
const reportQuery = (format: 'json' | 'csv') =>
  dayRangeSchema(() => new Date(), {
    sort: z.enum(sortable).default('revenue'),
    order: z.enum(['asc', 'desc']).default('desc'),
    format: z.enum(['json', 'csv']).default(format),
    limit: pageLimit.optional(),
    cursor: pageQuery.cursor,
  });
const reportQueries = { json: reportQuery('json'), csv: reportQuery('csv') };
const auditQuery = z.object({
  subject: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The JSON report: services/reports.ts ReportRow items, as sent. */
const reportAnswer = pageOf(
  statsTotalsAnswer.extend({
    partnerId: z.string(),
    name: z.string(),
    email: z.string(),
    status: z.enum(partnerStatuses),
  }),
).extend({
  from: day,
  to: day,
  currency: z.string(),
  sort: z.enum(sortable),
  order: z.enum(['asc', 'desc']),
});

/** services/attribution-report.ts AttributionReport, as sent; shares in percent (2 decimals). */
const share = { count: z.number().int(), share: z.number() };
const attributionAnswer = z.strictObject({
  from: day,
  to: day,
  signups: z.number().int(),
  attributed: z.strictObject(share),
  notAttributed: z.strictObject(share),
  bySource: z.array(
    z.strictObject({ source: z.enum(attributionSources), method: z.enum(attributionMethods), ...share }),
  ),
  byReason: z.array(z.strictObject({ reason: z.string(), ...share })),
});

export function adminReportRoutes(context: Context): Router {
  const router = Router();

  const report =
    (schema: (typeof reportQueries)['json']): RequestHandler =>
    async (req, res) => {
      const query = schema.parse(req.query);
      const range = { from: query.from, to: query.to };
      const { rows, nextCursor } = await partnersReport(context, range, new Date(), {
        limit: query.limit,
        after: query.cursor,
      });
      const direction = query.order === 'asc' ? 1 : -1;
      const [, value] = columns.find(([name]) => name === query.sort)!;
      rows.sort((a, b) => {
        const x = value(a);
        const y = value(b);
        const compared = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return compared * direction || a.partnerId.localeCompare(b.partnerId);
      });
      if (query.format === 'json') {
        res.json({
          from: range.from,
          to: range.to,
          currency: context.config.currency,
          sort: query.sort,
          order: query.order,
          items: rows,
          nextCursor: nextCursor === null ? null : encodeCursor(nextCursor),
        });
        return;
      }
      const csv = toCsv(
        columns.map(([name]) => name),
        rows.map((row) => columns.map(([, cell, money]) => (money ? formatMinor(cell(row) as number) : cell(row)))),
        { spreadsheetSafe: true },
      );
      res.type('text/csv; charset=utf-8').attachment(`partners-${range.from}-${range.to}.csv`).send(csv);
    };

  router.get('/v1/admin/reports/partners', report(reportQueries.json));
  router.get('/v1/admin/reports/partners.csv', report(reportQueries.csv));

  // Attribution health: signups of the period by method and source, and those not attributed by reason.
  router.get('/v1/admin/reports/attribution', async (req, res) => {
    const range = rangeQuery.parse({ from: req.query.from, to: req.query.to });
    res.json(await attributionReport(context, range));
  });

  router.get('/v1/admin/audit', async (req, res) => {
    const { subject, action, limit } = auditQuery.parse(req.query);
    if (subject && !action) {
      // One subject's entries are its trail: read by key, whatever the size of the log.
      res.json({ items: (await auditTrail(context, subject, { limit })).items });
      return;
    }
    // A search across subjects (or by action) scans the log: an operator's occasional read.
    const filter = { ...(subject ? { subject } : {}), ...(action ? { action } : {}) };
    const entries = await context.models.AuditEntry.find(filter, { _id: 0, listed: 0 })
      .sort({ at: -1 })
      .limit(limit)
      .lean();
    res.json({ items: entries });
  });

  return router;
}

export const adminReportDocs: Operation[] = [
  {
    method: 'get',
    path: '/v1/admin/reports/partners',
    summary:
      'Per-partner report over a period (from, to, sort, order, format); with limit, one key-paged page of partners (cursor, nextCursor).',
    auth: 'admin',
    query: reportQueries.json,
    responses: { '200': 'Rows as JSON (or CSV with format=csv).' },
    answer: reportAnswer,
    produces: 'text/csv',
  },
  {
    method: 'get',
    path: '/v1/admin/reports/partners.csv',
    summary: 'The per-partner report as CSV.',
    auth: 'admin',
    query: reportQueries.csv,
    responses: { '200': 'CSV.' },
    produces: 'text/csv',
  },
  {
    method: 'get',
    path: '/v1/admin/reports/attribution',
    summary: 'Attribution health: signups by method and source, unattributed by reason.',
    auth: 'admin',
    query: rangeQuery,
    responses: { '200': 'The report.' },
    answer: attributionAnswer,
  },
  {
    method: 'get',
    path: '/v1/admin/audit',
    summary: "The audit log, newest first (a subject alone: that subject's trail, read by key).",
    auth: 'admin',
    query: auditQuery,
    responses: { '200': 'Entries.' },
    answer: listOf(auditEntryAnswer),
  },
];
