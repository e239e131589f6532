import { Schema, type InferSchemaType } from 'mongoose';

/** An operator who logs in for an admin JWT. */
export const adminUserSchema = new Schema(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true, unique: true },
    passwordHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'admin_users', versionKey: false },
);

export type AdminUserDoc = InferSchemaType<typeof adminUserSchema>;
