// Operators: per-partner report over a period (JSON or CSV), sortable; and the audit log.
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Context } from '../../context';
import { toCsv } from '../../domain/csv';
import { dayRangeSchema } from '../../domain/day-range';
import { formatMinor } from '../../domain/money';
import { partnersReport, type ReportRow } from '../../services/reports';

const moneyColumns = ['revenue', 'earned', 'pending', 'payable', 'paid', 'reversed', 'balance'] as const;
const countColumns = ['clicks', 'uniqueClicks', 'signups', 'customers'] as const;
const sortable = ['partnerId', 'name', 'email', 'status', ...countColumns, ...moneyColumns] as const;

export function adminReportRoutes(context: Context): Router {
  const router = Router();

  const report =
    (csvPath: boolean): RequestHandler =>
    async (req, res) => {
      const query = z
        .object({
          sort: z.enum(sortable).default('revenue'),
          order: z.enum(['asc', 'desc']).default('desc'),
          format: z.enum(['json', 'csv']).default(csvPath ? 'csv' : 'json'),
        })
        .parse(req.query);
      const range = dayRangeSchema(() => new Date()).parse({ from: req.query.from, to: req.query.to });
      const rows = await partnersReport(context, range, new Date());
      const direction = query.order === 'asc' ? 1 : -1;
      const key = query.sort;
      rows.sort((a, b) => {
        const x = a[key];
        const y = b[key];
        const compared = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return compared * direction || a.partnerId.localeCompare(b.partnerId);
      });
      if (query.format === 'json') {
        res.json({ from: range.from, to: range.to, currency: context.config.currency, sort: key, order: query.order, partners: rows });
        return;
      }
      const header = ['partnerId', 'name', 'email', 'status', ...countColumns, ...moneyColumns] as const;
      const csv = toCsv(
        [...header],
        rows.map((row: ReportRow) => header.map((column) => ((moneyColumns as readonly string[]).includes(column) ? formatMinor(row[column] as number) : row[column]))),
        { spreadsheetSafe: true },
      );
      res.type('text/csv; charset=utf-8').attachment(`partners-${range.from}-${range.to}.csv`).send(csv);
    };

  router.get('/v1/admin/reports/partners', report(false));
  router.get('/v1/admin/reports/partners.csv', report(true));

  router.get('/v1/admin/audit', async (req, res) => {
    const { subject, action, limit } = z
      .object({
        subject: z.string().max(200).optional(),
        action: z.string().max(100).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      })
      .parse(req.query);
    const filter = { ...(subject ? { subject } : {}), ...(action ? { action } : {}) };
    const entries = await context.models.AuditEntry.find(filter, { _id: 0 }).sort({ at: -1 }).limit(limit).lean();
    res.json({ entries });
  });

  return router;
}
