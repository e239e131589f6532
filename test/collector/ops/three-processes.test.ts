// Three collector processes on one database take whole partner flows at once (click on one, signup
// on another, invoice and refund each sent to two at the same moment). Afterwards the ledger is
// exact: one commission per acknowledged invoice with the right amount, one full reversal per
// acknowledged refund, one binding per attributed signup, every acknowledged click stored.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { ledgerDiscrepancies, runPartnerFlows } from '../../../bench/lib/partner-flows';
import { ChildCollector, withDatabase } from '../../support/child-collector';
import { testServerKey } from '../../support/collector';
import { engineUri, testDbName } from '../../support/db';

const partners = ['730001', '730002', '730003', '730004'];

it('three processes on one database keep the ledger exact', async () => {
  const uri = withDatabase(engineUri(), testDbName(__filename));
  const dataDir = mkdtempSync(join(tmpdir(), 'ashop-three-'));
  const connection = await mongoose.createConnection(uri).asPromise();
  const collectors: ChildCollector[] = [];
  try {
    await connection.db!.collection<{ _id: string }>('partners').insertMany(
      partners.map((id) => ({
        _id: id,
        email: `${id}@partners.example`,
        name: `Partner ${id}`,
        passwordHash: 'no-login',
        payoutEmail: `${id}@paypal.example`,
        status: 'active',
      })),
    );
    // Request logs at warn: three processes at info would mostly measure the pipes.
    for (let i = 0; i < 3; i++)
      collectors.push(await ChildCollector.start({ mongodbUri: uri, dataDir, env: { LOG_LEVEL: 'warn' } }));

    const result = await runPartnerFlows({
      targets: collectors,
      serverKey: testServerKey,
      partners,
      flows: 90,
      concurrency: 9,
      refundShare: 0.4,
    });
    console.log(
      `three processes: ${result.requests} requests in ${Math.round(result.durationMs)} ms, statuses ${JSON.stringify(result.statuses)}; ${result.invoices.size} invoices, ${result.refunds.size} refunds, ${result.signups.size} signups`,
    );
    expect(Object.keys(result.statuses).filter((status) => !['200', '201', '202'].includes(status))).toEqual([]);
    expect(result.invoices.size).toBe(90);
    expect(result.refunds.size).toBeGreaterThan(10);
    expect(result.wrongAnswers).toEqual([]);
    expect(await ledgerDiscrepancies(connection.db!, result)).toEqual([]);
  } finally {
    for (const collector of collectors) await collector.stop();
    await connection.dropDatabase();
    await connection.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 180_000);
