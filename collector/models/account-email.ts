import { Schema, type InferSchemaType } from 'mongoose';

/**
 * The login email keys (domain/account-emails.ts): `_id` is `partner|<email>` or `admin|<email>`
 * (normalized), naming the account that holds the address, so logins and sign-up checks read one
 * document by key instead of searching `partners` or `admin_users`. Claimed by a unique insert,
 * replaced only by the winner of a takeover (services/account-emails.ts), never deleted.
 */
export const accountEmailSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** The account's `_id`; null once released (the address is free). */
    ownerId: { type: String, default: null },
    /** When this holder claimed it: a claim whose account never appeared is free after a grace time. */
    at: { type: Date, required: true },
    /** Names this version of the key: a takeover of it is decided once (`account-email:<key>:<nonce>`). */
    nonce: { type: String, required: true },
  },
  { collection: 'account_emails', versionKey: false },
);

export type AccountEmailDoc = InferSchemaType<typeof accountEmailSchema>;
