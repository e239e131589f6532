import { Schema } from 'mongoose';

export const statDeltaKinds = [
  'clicks',
  'signup',
  'invoice',
  'refund',
  'migrated',
  'ledger',
  'claim',
  'money',
] as const;
export type StatDeltaKind = (typeof statDeltaKinds)[number];

/**
 * A fact waiting to be counted, inserted BEFORE the fact under a key derived from it
 * (`signup:<customerId>`, `invoice:<eventId>`, `refund:<eventId>`, `clicks:<batchId>`), so a
 * replay inserts nothing new. The folder reads the fact by `_id` and counts what it says; a delta
 * whose fact never got stored is dropped. Deleted once folded (stat_applied remembers it).
 */
export const statDeltaSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: statDeltaKinds, required: true },
    /** The fact's `_id` (customerId, eventId); for click batches the batch id. */
    ref: { type: String, required: true },
    createdAt: { type: Date, required: true },
    /** Click batches: the counted clicks as sent to the insert, and which of them (positions) it stored. */
    clicks: { type: Schema.Types.Mixed },
    stored: { type: [Number], default: undefined },
    /** Migrated daily_stats rows: where and how much. */
    contribution: { type: Schema.Types.Mixed },
    /** Payout claim deltas (services/money-fold.ts): the payout the claim is announced for, null for a release. */
    expect: { type: String },
    /** Money refolds (migration, rebuild): which fact `ref` names: `ledger`, `customer` or `invoice`. */
    fact: { type: String },
  },
  { collection: 'stat_deltas', versionKey: false },
);
