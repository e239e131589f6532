// Benchmark fixtures written straight to the database: partners and bound customers are
// preconditions of what is measured, not the thing measured.
import type { Connection } from 'mongoose';
import { openConnection } from '../../collector/db/connection';
import { logEntryId } from '../../collector/domain/keyed-log';
import { directoryEntry, directoryStream } from '../../collector/domain/partner-directory';
import { createModels, type Models } from '../../collector/models';
import { logLength } from '../../collector/services/keyed-log';

export interface BenchDb {
  connection: Connection;
  models: Models;
  close(): Promise<void>;
}

export async function openBenchDb(uri: string, dbName: string): Promise<BenchDb> {
  const connection = await openConnection(uri, dbName);
  return { connection, models: createModels(connection), close: () => connection.close() };
}

/** Partners as sign-up stores them, listed in the partner directory in the order given. */
export async function seedPartners(models: Models, ids: readonly string[]): Promise<void> {
  const listed = await logLength(models.DirectoryEntry.collection, directoryStream);
  const createdAt = new Date();
  const docs = ids.map((id, i) => ({
    _id: id,
    email: `${id}@partners.bench.example`,
    name: `Partner ${id}`,
    // Nobody logs in with a password here: the benchmark signs partner tokens itself.
    passwordHash: 'bench-no-password-login',
    payoutEmail: `${id}@paypal.bench.example`,
    status: 'active',
    directoryNo: listed + 1 + i,
  }));
  const entries = docs.map((doc) => ({
    _id: logEntryId(directoryStream, doc.directoryNo),
    ...directoryEntry(doc._id, createdAt),
  }));
  for (let i = 0; i < docs.length; i += 1000) {
    // Entries first, as services/partner-directory.ts createPartner writes them.
    await models.DirectoryEntry.insertMany(entries.slice(i, i + 1000), { lean: true });
    await models.Partner.insertMany(docs.slice(i, i + 1000), { lean: true });
  }
}

/** The banners the loaded clicks name, active, as an operator creates them. */
export async function seedBanners(models: Models): Promise<void> {
  await models.Banner.insertMany(
    ['spring', 'summer', 'winter'].map((id) => ({
      _id: id,
      name: `Banner ${id}`,
      imageUrl: `/banners/${id}.png`,
      width: 728,
      height: 90,
      targetPath: '/pricing',
      altText: `Ashop ${id} offer`,
    })),
  );
}
