import { Schema, type InferSchemaType } from 'mongoose';

/**
 * An `Idempotency-Key` an operator sent, keyed `<caller>:<key>`: the insert decides which request
 * runs; the answer it gave is stored for the replays. `pending` while that request runs.
 */
export const idempotencyKeySchema = new Schema(
  {
    _id: { type: String, required: true },
    /** Hash of method, path and body: the same key with another request is refused. */
    fingerprint: { type: String, required: true },
    state: { type: String, enum: ['pending', 'done'], required: true },
    status: { type: Number },
    contentType: { type: String },
    body: { type: String },
    createdAt: { type: Date, required: true },
  },
  { collection: 'idempotency_keys', versionKey: false },
);

export type IdempotencyKeyDoc = InferSchemaType<typeof idempotencyKeySchema>;
