import { Schema, type InferSchemaType } from 'mongoose';

/**
 * The partner directory (domain/partner-directory.ts): entry n of the keyed log `directory`, one per
 * partner, newest last, written just before the partner itself. Holds only what never changes.
 */
export const directoryEntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    partnerId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'partner_directory', versionKey: false },
);

export type DirectoryEntryDoc = InferSchemaType<typeof directoryEntrySchema>;
