import { Schema, type InferSchemaType } from 'mongoose';

/**
 * One document per decision that must be taken once: its `_id` names the decision
 * (`payout:<id>:completed`, `fate:<commissionId>`, `token:<hash>`, ...), and the unique `_id` lets
 * exactly one concurrent insert win, on FerretDB and across MongoDB processes alike. `holder`
 * says who won, `data` what they decided (so a replay can answer the same).
 */
export const onceClaimSchema = new Schema(
  {
    _id: { type: String, required: true },
    holder: { type: String, required: true },
    data: { type: Schema.Types.Mixed },
    at: { type: Date, required: true },
  },
  { collection: 'once_claims', versionKey: false },
);
onceClaimSchema.index({ holder: 1 });

export type OnceClaimDoc = InferSchemaType<typeof onceClaimSchema>;
