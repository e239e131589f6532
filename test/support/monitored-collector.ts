// A collector on its own connection whose driver reports every command it sends: the tests that
// prove a request reads by `_id` alone (the embedded engine scans for any other filter) listen to
// the client's `commandStarted` events.
import mongoose from 'mongoose';
import type { Collector } from '../../collector/app';
import { connectionOptions } from '../../collector/db/connection';
import { learnKeyFilterShape } from '../../collector/db/key-filter';
import { testCollector } from './collector';
import { engineUri } from './db';

export interface MonitoredCollector {
  collector: Collector;
  /** The driver's client: `commandStarted`, `commandSucceeded`. */
  client: NodeJS.EventEmitter;
  close(): Promise<void>;
}

export async function monitoredCollector(dbName: string): Promise<MonitoredCollector> {
  const connection = mongoose.createConnection(engineUri(), { ...connectionOptions, dbName, monitorCommands: true });
  await connection.asPromise();
  // As openConnection does: on the embedded engine a write filter must be `_id` alone.
  await learnKeyFilterShape(connection);
  const collector = await testCollector(connection);
  await collector.migrated;
  return {
    collector,
    client: connection.getClient() as unknown as NodeJS.EventEmitter,
    close: async () => {
      await collector.close();
      await connection.close();
    },
  };
}
