import { Schema, type InferSchemaType } from 'mongoose';

/**
 * `pending`: email not confirmed yet; `pending_approval`: confirmed, waiting for an operator when
 * ASHOP_PARTNER_APPROVAL=manual (links do not count yet, no payouts).
 */
export const partnerStatuses = ['pending', 'pending_approval', 'active', 'frozen', 'disabled'] as const;
export type PartnerStatus = (typeof partnerStatuses)[number];

/** A partner. `_id` is the public partner ID used as `a_aid` in links. */
export const partnerSchema = new Schema(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    passwordHash: { type: String, required: true },
    payoutEmail: { type: String },
    website: { type: String },
    status: { type: String, enum: partnerStatuses, required: true, default: 'pending' },
    /**
     * The IDs of the status changes applied, pushed in the same write as the status: the fact a
     * `partner.status_changed` event (recorded just before) waits for (services/webhook-events.ts).
     */
    statusChanges: { type: [String], default: undefined },
    /** Override of ASHOP_COMMISSION_RATE, in parts per million. */
    commissionRate: { type: Number },
    /** Hash of the one-time email confirmation token, and when it expires. */
    confirmTokenHash: { type: String },
    confirmTokenExpiresAt: { type: Date },
    /** Hash of the one-time password reset token; a new one replaces the old. */
    resetTokenHash: { type: String },
    resetTokenExpiresAt: { type: Date },
    /** A requested new login email, its one-time token hash and expiry; applied when confirmed. */
    emailChangeTo: { type: String },
    emailChangeTokenHash: { type: String },
    emailChangeExpiresAt: { type: Date },
    /** Which emails the partner wants (absent = yes). */
    notifications: {
      _id: false,
      newSignup: { type: Boolean, default: true },
      firstInvoice: { type: Boolean, default: true },
      payoutSent: { type: Boolean, default: true },
      statusChange: { type: Boolean, default: true },
    },
    /**
     * The number of the partner's entry in the directory (domain/partner-directory.ts): the one
     * entry that shows it. Absent only on partners from before the directory, until it is moved.
     */
    directoryNo: { type: Number },
    /** JWTs carry the version they were issued under; a password reset or change bumps it (revokes them). */
    tokenVersion: { type: Number, required: true, default: 0 },
  },
  { collection: 'partners', versionKey: false, timestamps: true },
);
partnerSchema.index({ status: 1 });

export type PartnerDoc = InferSchemaType<typeof partnerSchema>;
