import { Schema, type InferSchemaType } from 'mongoose';
import { couponStatuses } from '../domain/coupon';

/**
 * A partner's coupon code. `_id` is the lower-cased code, so the insert decides uniqueness whatever
 * the case; `code` keeps the spelling it was created with.
 */
export const couponSchema = new Schema(
  {
    _id: { type: String, required: true },
    code: { type: String, required: true },
    partnerId: { type: String, required: true },
    status: { type: String, enum: couponStatuses, required: true },
    /** After this instant the code no longer attributes (`coupon_expired`). */
    endsAt: { type: Date },
    /** The customer's discount, in words: the merchant's billing applies it, we only tell. */
    discount: { type: String },
    description: { type: String },
    /** Who created or requested it (`partner:<id>`, `admin:<id>`, `key:<prefix>`, `cli:<user>`). */
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    /** The operator's decision on a partner's request. */
    decidedBy: { type: String },
    decidedAt: { type: Date },
    decisionReason: { type: String },
  },
  { collection: 'coupons', versionKey: false },
);
couponSchema.index({ partnerId: 1 });

export type CouponDoc = InferSchemaType<typeof couponSchema>;
