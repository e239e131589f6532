import { Schema, type InferSchemaType } from 'mongoose';

/**
 * An operator's note on a partner (never shown to the partner), entry n of the keyed log
 * `<partnerId>|notes` (domain/keyed-log.ts): read a page at a time by key, newest first.
 * Append-only; audited. Replaces the `partner_notes` collection, read only to move its notes here.
 */
export const noteEntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    noteId: { type: String, required: true },
    partnerId: { type: String, required: true },
    text: { type: String, required: true },
    author: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'partner_note_log', versionKey: false },
);

export type NoteEntryDoc = InferSchemaType<typeof noteEntrySchema>;
