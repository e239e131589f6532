import { Schema, type InferSchemaType } from 'mongoose';

/**
 * One document per decision that must happen exactly once (an emailed token used, an application
 * approved): `_id` is the decision's key, so of two requests racing for it only the one whose
 * insert succeeds acts (conditional updates are not atomic on FerretDB).
 */
export const onceKeySchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'once_keys', versionKey: false },
);

export type OnceKeyDoc = InferSchemaType<typeof onceKeySchema>;
