// Processes: the same whole partner flows (click, signup, invoice and refund each sent twice at
// once to two collectors) against one collector process and against three on one database.
// Throughput in flows per second; exact when the ledger, bindings and clicks match every answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildCollector, withDatabase } from '../../test/support/child-collector';
import { ledgerDiscrepancies, runPartnerFlows } from '../lib/partner-flows';
import { openBenchDb, seedPartners } from '../lib/seed';
import type { BenchOptions, SectionResult } from '../lib/section';
import { num, verdict, type Row } from '../lib/table';

const section = 'processes';

export async function benchProcesses(options: BenchOptions): Promise<SectionResult> {
  const flows = options.quick ? 60 : 300;
  const rows: Row[] = [];
  const data: Record<string, unknown> = {};
  let single: number | undefined;
  for (const count of [1, 3]) {
    const dbName = `${options.dbPrefix}_processes_${count}`;
    const uri = withDatabase(options.mongodbUri, dbName);
    const db = await openBenchDb(options.mongodbUri, dbName);
    const dataDir = mkdtempSync(join(tmpdir(), 'ashop-bench-processes-'));
    const collectors: ChildCollector[] = [];
    try {
      const partners = Array.from({ length: 20 }, (_, i) => `74${String(i).padStart(4, '0')}`);
      await seedPartners(db.models, partners);
      const env = { ...options.collectorEnv, LOG_LEVEL: 'warn' };
      for (let i = 0; i < count; i++) collectors.push(await ChildCollector.start({ mongodbUri: uri, dataDir, env }));
      const result = await runPartnerFlows({
        targets: collectors,
        serverKey: options.collectorEnv.ASHOP_SERVER_KEY!,
        partners,
        flows,
        concurrency: 12,
      });
      const problems = [...result.wrongAnswers, ...(await ledgerDiscrepancies(db.connection.db!, result))];
      const failed = Object.entries(result.statuses).filter(([status]) => !['200', '201', '202'].includes(status));
      const perSecond = (flows * 1000) / result.durationMs;
      single ??= perSecond;
      options.log(
        `  ${count} process(es): ${num(perSecond, 1)} flows/s, statuses ${JSON.stringify(result.statuses)}, ${problems.length} discrepancies`,
      );
      data[`${count}`] = {
        flows,
        durationMs: result.durationMs,
        statuses: result.statuses,
        problems: problems.slice(0, 20),
      };
      rows.push(
        {
          section,
          metric: `${count} collector process${count > 1 ? 'es' : ''}: whole flows (12 at once)`,
          target: '',
          measured: `${num(perSecond, 1)} flows/s (${num(result.requests)} requests)`,
          baseline: count > 1 ? `${num(single, 1)}/s with 1` : '',
          ratio: count > 1 ? `×${num(perSecond / single, 2)}` : '',
          verdict: 'info',
        },
        {
          section,
          metric: `${count} process${count > 1 ? 'es' : ''}: ledger, bindings, clicks vs answers`,
          target: 'exact, no error answers',
          measured: `${result.invoices.size} invoices, ${result.refunds.size} refunds, ${result.signups.size} signups; ${problems.length} off; ${failed.length} error statuses`,
          baseline: '',
          ratio: '',
          verdict: verdict(problems.length === 0 && failed.length === 0),
        },
      );
    } finally {
      for (const collector of collectors) await collector.stop();
      await db.connection.dropDatabase().catch(() => {});
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return { rows, data };
}
