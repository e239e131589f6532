// The filter of a write to one document whose partner is known. On MongoDB it names the partner as
// well as the `_id`, so a collection sharded by `partnerId` (README "Running in production") routes
// the write to one shard instead of rejecting it (an upsert without the shard key, MongoDB 6) or
// broadcasting it (7+). On the embedded FerretDB engine it is the `_id` alone: FerretDB sends a
// filter to SQLite only when `_id` is its one key (a string or ObjectId); with a second key it
// reads the whole table (FerretDB 1.24 internal/backends/sqlite/collection.go, `Filter.Len() == 1`),
// which would turn every keyed write into a scan. Which engine it is comes from the server itself
// (buildInfo names a FerretDB version), so an external URI pointing at a FerretDB is right too.
import type { Connection } from 'mongoose';

const idOnly = new WeakSet<Connection>();

/** Asks the server which engine it is; called once per connection when it opens. */
export async function learnKeyFilterShape(connection: Connection): Promise<void> {
  const info = await connection.db!.admin().command({ buildInfo: 1 });
  if (typeof info.ferretdbVersion === 'string') idOnly.add(connection);
  else idOnly.delete(connection);
}

/** `{_id, partnerId}`, or `{_id}` on FerretDB; `model` is the mongoose model written to. */
export function keyFilter(
  model: { db: Connection },
  _id: string,
  partnerId: string,
): { _id: string; partnerId?: string } {
  return idOnly.has(model.db) ? { _id } : { _id, partnerId };
}
