import { Schema, type InferSchemaType } from 'mongoose';

/** An operator's note on a partner (never shown to the partner). Append-only; audited. */
export const partnerNoteSchema = new Schema(
  {
    _id: { type: String, required: true },
    partnerId: { type: String, required: true },
    text: { type: String, required: true },
    author: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'partner_notes', versionKey: false },
);
partnerNoteSchema.index({ partnerId: 1, at: -1 });

export type PartnerNoteDoc = InferSchemaType<typeof partnerNoteSchema>;
