// The server's click history per visitor (domain/visitor-history.ts): counted clicks appended
// under `<vid>:<n>` (the insert is the arbiter of each number, on MongoDB with many processes as
// on FerretDB), read back by exact keys only.
import { addDays } from '../domain/days';
import { maxVisitorClicks, visitorClickKey } from '../domain/visitor-history';
import type { Models } from '../models';
import { insertNew } from './duplicates';

export interface VisitorClick {
  vid: string;
  cid: string;
  partnerId: string;
  bid?: string | undefined;
  redirect?: boolean | undefined;
  occurredAt: Date;
}

/**
 * Appends each click to its visitor's history: every click first tries number 0, and whichever
 * number is taken (by this visitor's earlier clicks or by a concurrent one) makes it try the next,
 * all pending clicks of a round in one unordered insert. Typical visitors cost one round.
 */
export async function appendVisitorClicks(models: Models, clicks: readonly VisitorClick[]): Promise<void> {
  let pending = clicks.map((click) => ({ click, n: 0 }));
  while (pending.length > 0) {
    const inserted = await insertNew(
      models.VisitorClick.collection,
      pending.map(({ click, n }) => ({
        _id: visitorClickKey(click.vid, n),
        cid: click.cid,
        partnerId: click.partnerId,
        ...(click.bid ? { bid: click.bid } : {}),
        ...(click.redirect ? { redirect: true } : {}),
        occurredAt: click.occurredAt,
      })),
    );
    pending = pending
      .filter((_entry, i) => !inserted[i])
      .map(({ click, n }) => ({ click, n: n + 1 }))
      .filter(({ n }) => n < maxVisitorClicks);
  }
}

/** How many of a visitor's keys are read at once. */
const readAhead = 4;

/** A visitor's counted clicks in recording order, read `vid:0`, `vid:1`, … until one is missing. */
export async function readVisitorHistory(models: Models, vid: string): Promise<VisitorClick[]> {
  const history: VisitorClick[] = [];
  for (let start = 0; start < maxVisitorClicks; start += readAhead) {
    const keys = Array.from({ length: Math.min(readAhead, maxVisitorClicks - start) }, (_, i) =>
      visitorClickKey(vid, start + i),
    );
    const docs = await Promise.all(keys.map((key) => models.VisitorClick.findById(key).lean()));
    for (const doc of docs) {
      if (!doc) return history;
      history.push({
        vid,
        cid: doc.cid,
        partnerId: doc.partnerId,
        bid: doc.bid ?? undefined,
        redirect: doc.redirect ?? undefined,
        occurredAt: doc.occurredAt,
      });
    }
  }
  return history;
}

/**
 * Deletes the histories whose last click is older than the attribution window (plus a day), one
 * whole visitor at a time: a history with a gap at 0 would read as empty. A batch job: it streams
 * every record in key order (a visitor's records are adjacent) with one visitor in memory.
 */
export async function purgeVisitorHistories(
  { models, config }: { models: Models; config: { cookieDays: number } },
  now = new Date(),
): Promise<number> {
  const cutoff = addDays(now, -(config.cookieDays + 1)).getTime();
  let deleted = 0;
  let vid: string | undefined;
  let keys: string[] = [];
  let newest = 0;
  const settle = async () => {
    if (keys.length > 0 && newest < cutoff) {
      for (const key of keys) deleted += (await models.VisitorClick.deleteOne({ _id: key })).deletedCount;
    }
  };
  for await (const doc of models.VisitorClick.find({}, { occurredAt: 1 }).sort({ _id: 1 }).lean().cursor()) {
    const owner = doc._id.slice(0, doc._id.lastIndexOf(':'));
    if (owner !== vid) {
      await settle();
      vid = owner;
      keys = [];
      newest = 0;
    }
    keys.push(doc._id);
    newest = Math.max(newest, doc.occurredAt.getTime());
  }
  await settle();
  return deleted;
}
