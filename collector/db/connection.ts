// One mongoose connection per collector (not the global one), so tests and benchmarks can run
// several collectors, each on its own database, in one process.
import mongoose, { type ConnectOptions, type Connection } from 'mongoose';
import { learnKeyFilterShape } from './key-filter';

export const defaultDbName = 'ashop';

/**
 * Pinned in code (they override the same options in MONGODB_URI): an answer 201/202 means the
 * write is durable, and reads see the latest write. FerretDB accepts both and has one node.
 */
export const connectionOptions = {
  // Acknowledged = on a majority of the replica set and in the journal: no rollback on failover.
  writeConcern: { w: 'majority', journal: true },
  // Arbiter and attribution reads must see the latest write: never a lagging secondary.
  readPreference: 'primary',
  // Requests fail fast while no server can be selected (db/health.ts refuses them up front once
  // the driver knows); short enough for an in-flight request, long enough for an engine restart.
  serverSelectionTimeoutMS: 2500,
  connectTimeoutMS: 5000,
  // A hung (not dead) server: give up on a socket after a minute rather than never.
  socketTimeoutMS: 60_000,
  // Indexes are built once, explicitly, by syncIndexes at start-up.
  autoIndex: false,
} satisfies ConnectOptions;

/** The database named in a connection string's path ("mongodb://host/shop?..." → "shop"), if any. */
export function databaseOf(uri: string): string | undefined {
  const name = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]+)/.exec(uri)?.[1];
  return name ? decodeURIComponent(name) : undefined;
}

export async function openConnection(uri: string, dbName = databaseOf(uri) ?? defaultDbName): Promise<Connection> {
  const connection = mongoose.createConnection(uri, { ...connectionOptions, dbName });
  await connection.asPromise();
  await learnKeyFilterShape(connection);
  return connection;
}
