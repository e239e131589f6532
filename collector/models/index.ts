// All models, compiled on one connection. Each model's schema lives in its own file.
import type { Connection } from 'mongoose';
import { adminUserSchema } from './admin-user';
import { apiKeySchema } from './api-key';
import { auditEntrySchema } from './audit-entry';
import { bannerSchema } from './banner';
import { clickSchema } from './click';
import { customerSchema } from './customer';
import { dailyStatSchema } from './daily-stat';
import { firstSeenSchema } from './first-seen';
import { ledgerEntrySchema } from './ledger-entry';
import { onceClaimSchema } from './once-claim';
import { outboxMessageSchema } from './outbox-message';
import { partnerSchema } from './partner';
import { partnerNoteSchema } from './partner-note';
import { payoutSchema } from './payout';
import { payoutClaimSchema } from './payout-claim';
import { refundSlotSchema } from './refund-slot';
import { revenueEventSchema } from './revenue-event';
import { visitorSaltSchema } from './visitor-salt';

export function createModels(connection: Connection) {
  return {
    Partner: connection.model('Partner', partnerSchema),
    Click: connection.model('Click', clickSchema),
    Customer: connection.model('Customer', customerSchema),
    RevenueEvent: connection.model('RevenueEvent', revenueEventSchema),
    LedgerEntry: connection.model('LedgerEntry', ledgerEntrySchema),
    Payout: connection.model('Payout', payoutSchema),
    PayoutClaim: connection.model('PayoutClaim', payoutClaimSchema),
    DailyStat: connection.model('DailyStat', dailyStatSchema),
    Banner: connection.model('Banner', bannerSchema),
    ApiKey: connection.model('ApiKey', apiKeySchema),
    AdminUser: connection.model('AdminUser', adminUserSchema),
    AuditEntry: connection.model('AuditEntry', auditEntrySchema),
    OutboxMessage: connection.model('OutboxMessage', outboxMessageSchema),
    FirstSeen: connection.model('FirstSeen', firstSeenSchema),
    VisitorSalt: connection.model('VisitorSalt', visitorSaltSchema),
    RefundSlot: connection.model('RefundSlot', refundSlotSchema),
    OnceClaim: connection.model('OnceClaim', onceClaimSchema),
    PartnerNote: connection.model('PartnerNote', partnerNoteSchema),
  };
}

export type Models = ReturnType<typeof createModels>;

/** Builds every index; called once at start-up (and by tests) so unique keys hold from the first write. */
export async function syncIndexes(models: Models): Promise<void> {
  await Promise.all(Object.values(models).map((model) => model.createIndexes()));
}
