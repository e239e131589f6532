// Benchmark fixtures written straight to the database: partners and bound customers are
// preconditions of what is measured, not the thing measured.
import type { Connection } from 'mongoose';
import { openConnection } from '../../collector/db/connection';
import { createModels, type Models } from '../../collector/models';

export interface BenchDb {
  connection: Connection;
  models: Models;
  close(): Promise<void>;
}

export async function openBenchDb(uri: string, dbName: string): Promise<BenchDb> {
  const connection = await openConnection(uri, dbName);
  return { connection, models: createModels(connection), close: () => connection.close() };
}

export async function seedPartners(models: Models, ids: readonly string[]): Promise<void> {
  const docs = ids.map((id) => ({
    _id: id,
    email: `${id}@partners.bench.example`,
    name: `Partner ${id}`,
    // Nobody logs in with a password here: the benchmark signs partner tokens itself.
    passwordHash: 'bench-no-password-login',
    payoutEmail: `${id}@paypal.bench.example`,
    status: 'active',
  }));
  for (let i = 0; i < docs.length; i += 1000) await models.Partner.insertMany(docs.slice(i, i + 1000), { lean: true });
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
