import { Schema, type InferSchemaType } from 'mongoose';

/**
 * An event waiting to be fanned out to the endpoints subscribed to it. Inserted right after the
 * fact that caused it (or just before, naming the fact it waits for), under an ID derived from the
 * fact (domain/webhooks.ts), so recording the fact again inserts nothing new; deleted once its
 * deliveries exist. Only the backlog lives here: the dispatcher reads the whole collection.
 */
export const webhookEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    /** The fact's unique key, e.g. `commission.created:commission:in_1`. */
    key: { type: String, required: true },
    data: { type: Schema.Types.Mixed, required: true },
    /**
     * Set on an event recorded just before its fact: the fact it waits for (`customer:<id>`,
     * `partner-status:<partnerId>:<changeId>`). Fanned out once the fact exists; dropped when it
     * never came (the process died in between).
     */
    fact: { type: String },
    createdAt: { type: Date, required: true },
  },
  { collection: 'webhook_events', versionKey: false, minimize: false },
);

export type WebhookEventDoc = InferSchemaType<typeof webhookEventSchema>;
