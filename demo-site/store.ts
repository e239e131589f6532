// The demo's stand-in for Ashop Commerce's own app: store accounts in the site's own database
// (not the collector's).
import { randomBytes } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';

const storeSchema = new Schema(
  {
    /** The customer ID the collector knows this store by. */
    _id: { type: String, required: true },
    storeName: { type: String, required: true },
    email: { type: String, required: true, unique: true },
    plan: { type: String, required: true },
    apps: { type: [String], required: true, default: [] },
    design: { type: Boolean, required: true, default: false },
    /** Invoices issued, one per month (see billing.ts). */
    invoices: {
      type: [{ _id: false, month: { type: String, required: true }, issuedAt: { type: Date, required: true } }],
      required: true,
      default: [],
    },
    createdAt: { type: Date, required: true },
  },
  { collection: 'stores', versionKey: false },
);

export async function storeModel(connection: Connection) {
  const Store = connection.model('Store', storeSchema);
  await Store.createIndexes();
  return Store;
}

export type StoreModel = Awaited<ReturnType<typeof storeModel>>;

export function newCustomerId(): string {
  return `st_${randomBytes(8).toString('hex')}`;
}
