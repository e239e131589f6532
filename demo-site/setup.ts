// `npm start` on a fresh machine must show the whole flow, so the demo makes itself an operator
// login and a `track` API key (for the billing run) when absent, and keeps them in the data folder
// to print in the start banner (only hashes are in the database, as for every account and key);
// and it gives partners two banners to paste until the operator makes others.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiKey, hashApiKey } from '../collector/auth/api-keys';
import { hashPassword, verifyPassword } from '../collector/auth/passwords';
import type { Models } from '../collector/models';
import { adminByEmail } from '../collector/services/account-emails';
import { createAdmin } from '../collector/services/admins';

export const demoAdminEmail = 'operator@ashop.example';

export interface DemoCredentials {
  adminEmail: string;
  adminPassword: string;
  /** A `track` key for the site's billing run (ASHOP_SERVER_KEY when that is set). */
  serverKey: string;
}

export async function ensureDemoCredentials(
  models: Models,
  dataDir: string,
  envServerKey: string | undefined,
): Promise<DemoCredentials> {
  const file = join(dataDir, 'demo-credentials.json');
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoCredentials>) : {};
  const adminPassword = saved.adminPassword ?? randomBytes(9).toString('base64url');

  // The demo operator always logs in with the password printed (the data folder and the database
  // may have been reset apart from each other).
  const admin = await adminByEmail(models, demoAdminEmail);
  if (!admin) await createAdmin({ models }, demoAdminEmail, adminPassword, 'demo-site');
  else if (!(await verifyPassword(adminPassword, admin.passwordHash))) {
    await models.AdminUser.updateOne({ _id: admin._id }, { $set: { passwordHash: await hashPassword(adminPassword) } });
  }

  const serverKey =
    envServerKey ??
    (await usableKey(models, saved.serverKey)) ??
    (await createApiKey(models, 'track', 'demo site billing'));
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify({ adminPassword, ...(envServerKey ? {} : { serverKey }) }, null, 2), {
    mode: 0o600,
  });
  return { adminEmail: demoAdminEmail, adminPassword, serverKey };
}

/** The saved key when the database still knows it and it is not revoked. */
async function usableKey(models: Models, key: string | undefined): Promise<string | undefined> {
  if (!key) return undefined;
  const stored = await models.ApiKey.findById(hashApiKey(key)).lean();
  return stored && !stored.revokedAt ? key : undefined;
}

/** Two banners of the site's own artwork, when there are none at all. */
export async function ensureDemoBanners(models: Models): Promise<void> {
  if (await models.Banner.exists({})) return;
  const banners = [
    {
      _id: 'leaderboard',
      name: 'Leaderboard 728×90',
      file: 'banner-728x90.svg',
      width: 728,
      height: 90,
      targetPath: '/pricing',
    },
    {
      _id: 'rectangle',
      name: 'Rectangle 300×250',
      file: 'banner-300x250.svg',
      width: 300,
      height: 250,
      targetPath: '/',
    },
  ];
  for (const { file, ...banner } of banners) {
    try {
      await models.Banner.create({
        ...banner,
        imageUrl: `/static/${file}`,
        altText: 'Ashop Commerce: open your online store today',
        active: true,
      });
    } catch (error) {
      // Another start-up made it first: a duplicate key means "already done".
      if ((error as { code?: unknown }).code !== 11000) throw error;
    }
  }
}
