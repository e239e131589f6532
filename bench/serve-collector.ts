// The collector under load, in its own process: the real app (createCollector) on the database the
// benchmark names, listening on a free loopback port. Over IPC it reports its RSS (after a GC) and
// the documents its database reads since the last reset (command monitoring), and drains its
// write queues on request.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import { createCollector } from '../collector/app';
import { loadConfig } from '../collector/config';
import { connectionOptions } from '../collector/db/connection';
import { learnKeyFilterShape } from '../collector/db/key-filter';
import { createLogger } from '../collector/logger';
import { syncIndexes } from '../collector/models';
import { reportStartupFailure, rssAfterGc, serveIpc } from './lib/child';
import { ReadCounter } from './lib/read-counter';

async function main(): Promise<void> {
  const uri = process.env.BENCH_MONGODB_URI;
  const dbName = process.env.BENCH_DB;
  if (!uri || !dbName) throw new Error('BENCH_MONGODB_URI and BENCH_DB must be set');
  const config = loadConfig(process.env);
  // As collector/db/connection.ts opens it, plus command monitoring: counting reads needs the
  // option when the driver's connections are made, so it cannot be switched on afterwards.
  const connection = mongoose.createConnection(uri, { ...connectionOptions, dbName, monitorCommands: true });
  await connection.asPromise();
  // As openConnection does: on the embedded engine a write filter must be `_id` alone, or it scans.
  await learnKeyFilterShape(connection);
  const reads = new ReadCounter();
  reads.attach(connection.getClient());

  // Request logs at info level would measure the terminal, not the collector.
  const collector = createCollector({ config, connection, logger: createLogger(process.env.LOG_LEVEL ?? 'warn') });
  await syncIndexes(collector.context.models);
  // A kept database of an older version is measured in the layout this version reads.
  await collector.migrated;
  const server: Server = collector.app.listen(0, '127.0.0.1');
  await once(server, 'listening');

  serveIpc((server.address() as AddressInfo).port, {
    rss: () => ({ rss: rssAfterGc() }),
    'rss-now': () => ({ rss: process.memoryUsage().rss }),
    'reads-reset': () => {
      reads.reset();
      return {};
    },
    reads: () => ({ tally: reads.read() }),
    // Queued clicks written and every stored fact folded into the counters now ("after the buffers drain").
    flush: async () => {
      await collector.context.tracking.flush();
      return {};
    },
    stop: async () => {
      server.close();
      server.closeIdleConnections();
      await collector.close();
      await connection.close();
      process.exit(0);
    },
  });
}

main().catch(reportStartupFailure);
