import { Schema, type InferSchemaType } from 'mongoose';

/**
 * One failed attempt in an endpoint's failure streak: `_id` = `<endpointId>:<streak>:<n>`, the n-th
 * failure since the streak began (the endpoint's `streak`, renewed by a success or a re-enable).
 * Slots are taken by unique inserts, lowest free first, so concurrent failures in any number of
 * processes get distinct numbers and exactly one takes the slot that disables the endpoint.
 */
export const webhookStrikeSchema = new Schema(
  {
    _id: { type: String, required: true },
    endpointId: { type: String, required: true },
    deliveryId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'webhook_strikes', versionKey: false },
);

export type WebhookStrikeDoc = InferSchemaType<typeof webhookStrikeSchema>;
