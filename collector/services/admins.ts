// Operator accounts (admin_users): they log in at /v1/auth/login for an admin JWT.
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../auth/passwords';
import { DomainError } from '../domain/errors';
import { claimEmail } from './account-emails';
import { audit } from './audit';
import type { ServiceDeps } from './deps';
import { isDuplicateKey } from './duplicates';
import { normalizeEmail } from '../domain/account-fields';

/** Creates an operator; their login email is claimed by its key before the account is stored. */
export async function createAdmin(
  { models }: Pick<ServiceDeps, 'models'>,
  emailGiven: string,
  password: string,
  actor: string,
) {
  const email = normalizeEmail(emailGiven);
  const adminId = `adm_${randomBytes(6).toString('hex')}`;
  const taken = () => new DomainError('conflict', `An admin with the email ${email} exists.`, 'email-taken');
  // The address's key first (services/account-emails.ts): of two creations at once, one goes on.
  if ((await claimEmail(models, 'admin', email, adminId)) === 'taken') throw taken();
  try {
    await models.AdminUser.create({
      _id: adminId,
      email,
      passwordHash: await hashPassword(password),
      createdAt: new Date(),
    });
  } catch (error) {
    // The unique email index: an operator from before the keys (whose move is under way) has it.
    if (isDuplicateKey(error)) throw taken();
    throw error;
  }
  await audit({ models }, { actor, action: 'admin.create', subject: `admin:${adminId}`, details: { email } });
  return { adminId, email };
}
