// Partners and ledger entries for tests, written through the real models.
import { hashPassword } from '../../collector/auth/passwords';
import { signToken } from '../../collector/auth/tokens';
import type { Collector } from '../../collector/app';
import type { PartnerStatus } from '../../collector/models/partner';
import { recordLedgerDelta } from '../../collector/services/money-fold';
import { createPartner } from '../../collector/services/partner-directory';

export const day = 86_400_000;
const passwordHash = hashPassword('correct horse battery');

let counter = 0;

export interface TestPartner {
  partnerId: string;
  email: string;
  token: string;
}

/** A partner created as sign-up creates it, listed in the directory (status active with a payout email unless told otherwise), with a JWT. */
export async function createTestPartner(
  collector: Collector,
  options: { status?: PartnerStatus; payoutEmail?: string | null; name?: string } = {},
): Promise<TestPartner> {
  counter += 1;
  const partnerId = `p${counter}${Math.random().toString(36).slice(2, 8)}`;
  const email = `${partnerId}@partners.example`;
  await createPartner(collector.context.models, {
    _id: partnerId,
    email,
    name: options.name ?? `Partner ${counter}`,
    passwordHash: await passwordHash,
    status: options.status ?? 'active',
    ...(options.payoutEmail === null ? {} : { payoutEmail: options.payoutEmail ?? `paypal-${email}` }),
  });
  return { partnerId, email, token: signToken(collector.context.config.jwtSecret, partnerId, 'partner') };
}

/** A commission for an invoice at `occurredAt`, available after the configured hold. */
export async function addCommission(
  collector: Collector,
  partnerId: string,
  amount: number,
  occurredAt: Date,
  options: { customerId?: string; id?: string } = {},
): Promise<string> {
  const { config, models } = collector.context;
  counter += 1;
  const eventId = options.id ?? `inv-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const _id = `commission:${eventId}`;
  await recordLedgerDelta(models, _id);
  await models.LedgerEntry.create({
    _id,
    partnerId,
    kind: 'commission',
    amount,
    currency: config.currency,
    customerId: options.customerId ?? `cust-${counter}`,
    eventId,
    occurredAt,
    availableAt: new Date(occurredAt.getTime() + config.holdDays * day),
    createdAt: new Date(),
  });
  // The money read models partners read are folded from the entry's delta.
  await collector.context.tracking.flush();
  return _id;
}
