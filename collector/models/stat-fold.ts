import { Schema } from 'mongoose';

/**
 * The fold's journal: `head` (the last batch number), `batch:<seq>` (the deltas a batch counts and
 * the increments it adds to each bucket, written before any bucket changes, so a crash mid-fold is
 * finished from it exactly once) and one-time markers such as `migration:daily_stats`.
 */
export const statFoldSchema = new Schema(
  {
    _id: { type: String, required: true },
    seq: { type: Number },
    deltas: { type: [String], default: undefined },
    buckets: { type: Schema.Types.Mixed },
    programs: { type: Schema.Types.Mixed },
    /** The money read models' part of a batch (services/money-fold.ts). */
    money: { type: Schema.Types.Mixed },
    done: { type: Boolean },
    createdAt: { type: Date },
    owner: { type: String },
    /** Migration markers: how many rows were moved. */
    rows: { type: Number },
  },
  { collection: 'stat_folds', versionKey: false, minimize: false },
);
