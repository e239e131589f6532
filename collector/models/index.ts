// All models, compiled on one connection. Each model's schema lives in its own file.
import type { Connection } from 'mongoose';
import { accountEmailSchema } from './account-email';
import { adminUserSchema } from './admin-user';
import { apiKeySchema } from './api-key';
import { attributionDaySchema } from './attribution-day';
import { auditEntrySchema } from './audit-entry';
import { auditTrailEntrySchema } from './audit-trail-entry';
import { bannerSchema } from './banner';
import { clickSchema } from './click';
import { couponSchema } from './coupon';
import { customerBookSchema } from './customer-book';
import { customerSchema } from './customer';
import { directoryEntrySchema } from './directory-entry';
import { firstSeenSchema } from './first-seen';
import { idempotencyKeySchema } from './idempotency-key';
import { ledgerEntrySchema } from './ledger-entry';
import { mailJobSchema } from './mail-job';
import { mailLeaseSchema } from './mail-lease';
import { noteEntrySchema } from './note-entry';
import { moneyTotalSchema } from './money-total';
import { onceClaimSchema } from './once-claim';
import { outboxMessageSchema } from './outbox-message';
import { partnerSchema } from './partner';
import { partnerNoteSchema } from './partner-note';
import { partnerPayoutSchema } from './partner-payout';
import { payoutSchema } from './payout';
import { payoutClaimSchema } from './payout-claim';
import { payoutEntriesSchema } from './payout-entries';
import { refundSlotSchema } from './refund-slot';
import { releaseDaySchema } from './release-day';
import { revenueEventSchema } from './revenue-event';
import { statAppliedSchema } from './stat-applied';
import { statBucketSchema } from './stat-bucket';
import { statDaySchema } from './stat-day';
import { statDeltaSchema } from './stat-delta';
import { statFoldSchema } from './stat-fold';
import { statLeaseSchema } from './stat-lease';
import { statementMonthSchema } from './statement-month';
import { stripeEventSchema } from './stripe-event';
import { stripePaymentSchema } from './stripe-payment';
import { signupFactSchema } from './signup-fact';
import { visitorClickSchema } from './visitor-click';
import { visitorSaltSchema } from './visitor-salt';
import { webhookDeliverySchema } from './webhook-delivery';
import { webhookDueSchema } from './webhook-due';
import { webhookEndpointSchema } from './webhook-endpoint';
import { webhookEventSchema } from './webhook-event';
import { webhookLeaseSchema } from './webhook-lease';
import { webhookStrikeSchema } from './webhook-strike';

export function createModels(connection: Connection) {
  return {
    Partner: connection.model('Partner', partnerSchema),
    Click: connection.model('Click', clickSchema),
    Customer: connection.model('Customer', customerSchema),
    RevenueEvent: connection.model('RevenueEvent', revenueEventSchema),
    LedgerEntry: connection.model('LedgerEntry', ledgerEntrySchema),
    Payout: connection.model('Payout', payoutSchema),
    PayoutClaim: connection.model('PayoutClaim', payoutClaimSchema),
    PayoutEntries: connection.model('PayoutEntries', payoutEntriesSchema),
    Banner: connection.model('Banner', bannerSchema),
    ApiKey: connection.model('ApiKey', apiKeySchema),
    AdminUser: connection.model('AdminUser', adminUserSchema),
    AuditEntry: connection.model('AuditEntry', auditEntrySchema),
    OutboxMessage: connection.model('OutboxMessage', outboxMessageSchema),
    MailJob: connection.model('MailJob', mailJobSchema),
    MailLease: connection.model('MailLease', mailLeaseSchema),
    FirstSeen: connection.model('FirstSeen', firstSeenSchema),
    VisitorSalt: connection.model('VisitorSalt', visitorSaltSchema),
    RefundSlot: connection.model('RefundSlot', refundSlotSchema),
    OnceClaim: connection.model('OnceClaim', onceClaimSchema),
    StatBucket: connection.model('StatBucket', statBucketSchema),
    StatDay: connection.model('StatDay', statDaySchema),
    StatDelta: connection.model('StatDelta', statDeltaSchema),
    StatApplied: connection.model('StatApplied', statAppliedSchema),
    StatFold: connection.model('StatFold', statFoldSchema),
    StatLease: connection.model('StatLease', statLeaseSchema),
    StripeEvent: connection.model('StripeEvent', stripeEventSchema),
    StripePayment: connection.model('StripePayment', stripePaymentSchema),
    IdempotencyKey: connection.model('IdempotencyKey', idempotencyKeySchema),
    WebhookEndpoint: connection.model('WebhookEndpoint', webhookEndpointSchema),
    WebhookEvent: connection.model('WebhookEvent', webhookEventSchema),
    WebhookDelivery: connection.model('WebhookDelivery', webhookDeliverySchema),
    WebhookDue: connection.model('WebhookDue', webhookDueSchema),
    WebhookLease: connection.model('WebhookLease', webhookLeaseSchema),
    WebhookStrike: connection.model('WebhookStrike', webhookStrikeSchema),
    VisitorClick: connection.model('VisitorClick', visitorClickSchema),
    Coupon: connection.model('Coupon', couponSchema),
    SignupFact: connection.model('SignupFact', signupFactSchema),
    AttributionDay: connection.model('AttributionDay', attributionDaySchema),
    PartnerNote: connection.model('PartnerNote', partnerNoteSchema),
    StatementMonth: connection.model('StatementMonth', statementMonthSchema),
    CustomerBook: connection.model('CustomerBook', customerBookSchema),
    MoneyTotal: connection.model('MoneyTotal', moneyTotalSchema),
    ReleaseDay: connection.model('ReleaseDay', releaseDaySchema),
    PartnerPayout: connection.model('PartnerPayout', partnerPayoutSchema),
    DirectoryEntry: connection.model('DirectoryEntry', directoryEntrySchema),
    AuditTrailEntry: connection.model('AuditTrailEntry', auditTrailEntrySchema),
    NoteEntry: connection.model('NoteEntry', noteEntrySchema),
    AccountEmail: connection.model('AccountEmail', accountEmailSchema),
  };
}

export type Models = ReturnType<typeof createModels>;

/** Builds every index; called once at start-up (and by tests) so unique keys hold from the first write. */
export async function syncIndexes(models: Models): Promise<void> {
  await Promise.all(Object.values(models).map((model) => model.createIndexes()));
}
