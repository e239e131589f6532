import { Schema, type InferSchemaType } from 'mongoose';

/**
 * One counted click in a visitor's history (the SDK's kept `vid`), insert-only. `_id` =
 * `<vid>:<n>`: the n-th click of that visitor, n taken by inserting under the next free number, so a
 * signup reads `vid:0`, `vid:1`, … by key until one is missing. Deleted a visitor at a time once
 * the visitor's last click is past the attribution window.
 */
export const visitorClickSchema = new Schema(
  {
    _id: { type: String, required: true },
    cid: { type: String, required: true },
    partnerId: { type: String, required: true },
    bid: { type: String },
    /** The click came through the collector's redirect `/r/:aid`. */
    redirect: { type: Boolean },
    occurredAt: { type: Date, required: true },
  },
  { collection: 'visitor_clicks', versionKey: false },
);

export type VisitorClickDoc = InferSchemaType<typeof visitorClickSchema>;
