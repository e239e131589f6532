// Operator accounts (admin_users): they log in at /v1/auth/login for an admin JWT.
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../auth/passwords';
import { DomainError } from '../domain/errors';
import { audit } from './audit';
import type { ServiceDeps } from './deps';
import { isDuplicateKey } from './duplicates';
import { normalizeEmail } from '../domain/account-fields';

export async function createAdmin(
  { models }: Pick<ServiceDeps, 'models'>,
  emailGiven: string,
  password: string,
  actor: string,
) {
  const email = normalizeEmail(emailGiven);
  const adminId = `adm_${randomBytes(6).toString('hex')}`;
  try {
    await models.AdminUser.create({
      _id: adminId,
      email,
      passwordHash: await hashPassword(password),
      createdAt: new Date(),
    });
  } catch (error) {
    if (isDuplicateKey(error))
      throw new DomainError('conflict', `An admin with the email ${email} exists.`, 'email-taken');
    throw error;
  }
  await audit({ models }, { actor, action: 'admin.create', subject: `admin:${adminId}`, details: { email } });
  return { adminId, email };
}
