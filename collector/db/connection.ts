// One mongoose connection per collector (not the global one), so tests and benchmarks can run
// several collectors, each on its own database, in one process.
import mongoose, { type Connection } from 'mongoose';

export const defaultDbName = 'ashop';

/** The database named in a connection string's path ("mongodb://host/shop?..." → "shop"), if any. */
export function databaseOf(uri: string): string | undefined {
  const name = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]+)/.exec(uri)?.[1];
  return name ? decodeURIComponent(name) : undefined;
}

export async function openConnection(uri: string, dbName = databaseOf(uri) ?? defaultDbName): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    // Fail fast when the engine is gone, so /readyz and requests answer instead of hanging.
    serverSelectionTimeoutMS: 5000,
    // Indexes are built once, explicitly, by syncIndexes at start-up.
    autoIndex: false,
  });
  await connection.asPromise();
  return connection;
}
