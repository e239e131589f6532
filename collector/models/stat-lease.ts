import { Schema } from 'mongoose';

/**
 * Who may fold: lease number n is taken by inserting `lease:<n>` (unique), so of several
 * processes exactly one gets each lease. Its holder renews it by taking n+1 before it expires;
 * anyone may take n+1 once n has expired. Old leases are pruned.
 */
export const statLeaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    n: { type: Number, required: true },
    owner: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'stat_leases', versionKey: false },
);
