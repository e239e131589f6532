import { Schema, type InferSchemaType } from 'mongoose';

/** A customer bound to a partner for life. `_id` is the merchant's customerId; inserted once. */
export const customerSchema = new Schema(
  {
    _id: { type: String, required: true },
    partnerId: { type: String, required: true },
    clickId: { type: String, required: true },
    bid: { type: String },
    /** Kept for the operator; never shown to partners. */
    email: { type: String },
    boundAt: { type: Date, required: true },
  },
  { collection: 'customers', versionKey: false },
);
customerSchema.index({ partnerId: 1 });

export type CustomerDoc = InferSchemaType<typeof customerSchema>;
