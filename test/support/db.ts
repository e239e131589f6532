// Each test file gets its own database on the run's engine, dropped when the file ends.
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import type { Connection } from 'mongoose';
import { openConnection } from '../../collector/db/connection';

export function testDbName(testFile: string): string {
  const stem = basename(testFile)
    .replace(/\.test\.ts$/, '')
    .replace(/[^A-Za-z0-9]/g, '_')
    .slice(0, 30);
  return `t_${stem}_${randomBytes(4).toString('hex')}`;
}

export function engineUri(): string {
  const uri = process.env.ASHOP_TEST_MONGODB_URI;
  if (!uri)
    throw new Error('ASHOP_TEST_MONGODB_URI is not set: run the tests through jest (global setup starts the engine)');
  return uri;
}

/** Opens a fresh database for the calling test file; drops it after the file's tests. */
export function useTestDatabase(testFile: string): { connection: () => Connection; name: string } {
  const name = testDbName(testFile);
  let connection: Connection | undefined;
  beforeAll(async () => {
    connection = await openConnection(engineUri(), name);
  });
  afterAll(async () => {
    if (!connection) return;
    await connection.dropDatabase();
    await connection.close();
  });
  return {
    name,
    connection: () => {
      if (!connection) throw new Error('the test database is opened in beforeAll');
      return connection;
    },
  };
}

/**
 * A fresh database for every test of the calling file (tests cannot see each other's data, so
 * they do not depend on order); dropped after each test.
 */
export function useDatabasePerTest(testFile: string): { connection: () => Connection } {
  let connection: Connection | undefined;
  beforeEach(async () => {
    connection = await openConnection(engineUri(), testDbName(testFile));
  });
  afterEach(async () => {
    if (!connection) return;
    await connection.dropDatabase();
    await connection.close();
    connection = undefined;
  });
  return {
    connection: () => {
      if (!connection) throw new Error('the test database is opened in beforeEach');
      return connection;
    },
  };
}
