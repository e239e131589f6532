import { Schema, type InferSchemaType } from 'mongoose';

/** A customer bound to a partner for life. `_id` is the merchant's customerId; inserted once. */
export const customerSchema = new Schema(
  {
    _id: { type: String, required: true },
    partnerId: { type: String, required: true },
    /** The deciding click; none when a coupon code bound the customer. */
    clickId: { type: String },
    bid: { type: String },
    /** How the customer was attributed: `link`, `redirect`, `coupon` or `history`. */
    method: { type: String },
    /** The code that bound the customer (method `coupon`), as the coupon is keyed: lower case. */
    couponCode: { type: String },
    /** Kept for the operator; never shown to partners. */
    email: { type: String },
    boundAt: { type: Date, required: true },
  },
  { collection: 'customers', versionKey: false },
);
customerSchema.index({ partnerId: 1 });

export type CustomerDoc = InferSchemaType<typeof customerSchema>;
