// One-time moves of lists that were read with a filter into keyed logs (domain/keyed-log.ts): each
// partner's payouts (v1); the partner directory, each subject's audit trail and each partner's
// notes (v2); the entries of payout batches' items out of the batches (v3); and login emails into
// keys (v4, domain/account-emails.ts). Each move is done by one process (a unique claim); a move that died is done again by
// the next start after a while, and skips what is there already, so running it twice adds nothing.
import { emailKeysMove, moveMarkers } from '../domain/account-emails';
import type { Logger } from '../logger';
import type { Models } from '../models';
import { claimEmail } from './account-emails';
import { auditStream, trailEntry } from './audit';
import { claimOnce, findClaim } from './claim-once';
import { appendToLog, logLength, type LogCollection } from './keyed-log';
import { logEntryId } from '../domain/keyed-log';
import { listPartner } from './partner-directory';
import { notesStream, recordNote } from './partner-notes';
import { payoutsStream, recordPartnerPayouts } from './partner-payouts';
import { moveBatchEntries } from './payout-entries';

/** A move started longer ago than this and never finished is taken to be from a crashed process. */
const staleAfterMs = 10 * 60_000;

interface Move {
  version: string;
  what: string;
  move(models: Models): Promise<Record<string, number>>;
}

const moves: Move[] = [
  { version: 'v1', what: 'partner payout lists', move: async (models) => ({ payouts: await movePayouts(models) }) },
  {
    version: 'v2',
    what: 'the partner directory, audit trails and partner notes',
    move: async (models) => ({
      partners: await moveDirectory(models),
      auditEntries: await moveAuditTrails(models),
      notes: await moveNotes(models),
    }),
  },
  {
    version: 'v3',
    what: 'the entries payout batches pay',
    move: async (models) => ({ batches: await moveBatchEntries(models) }),
  },
  {
    version: emailKeysMove,
    what: 'the login emails of partners and operators',
    move: async (models) => ({ emailKeys: await moveEmailKeys(models) }),
  },
];

/** Runs each move not done yet; returns how many entries were moved in all. */
export async function migrateKeyedLists(models: Models, logger: Logger, owner: string): Promise<number> {
  let total = 0;
  for (const { version, what, move } of moves) {
    const { started: startedKey, done: doneKey } = moveMarkers(version);
    if (await findClaim(models, doneKey)) continue;
    const started = await claimOnce(models, startedKey, owner);
    if (!started.won && Date.now() - started.claim.at.getTime() < staleAfterMs) continue;
    logger.info(`moving ${what} to keyed logs (once)`);
    const moved = await move(models);
    await claimOnce(models, doneKey, owner, moved);
    logger.info(moved, `${what} moved to keyed logs`);
    total += Object.values(moved).reduce((sum, count) => sum + count, 0);
  }
  return total;
}

/** Every item of every batch that opened, oldest batch first, unless its partner's list has it. */
async function movePayouts(models: Models): Promise<number> {
  const listed = new Map<string, Set<string>>();
  const alreadyListed = async (partnerId: string) => {
    let ids = listed.get(partnerId);
    if (!ids) {
      ids = await listedIn(models.PartnerPayout.collection, payoutsStream(partnerId), 'payoutId');
      listed.set(partnerId, ids);
    }
    return ids;
  };
  let moved = 0;
  const batches = models.Payout.find(
    // A batch of this version lists its items itself (`listed`): never twice, even while this runs.
    { status: { $in: ['open', 'completed'] }, listed: { $ne: true } },
    // The entries each item pays are the bulk of a batch and not needed here.
    { 'items.entryIds': 0, withheld: 0 },
  )
    .sort({ createdAt: 1 })
    .lean()
    .cursor();
  for await (const batch of batches) {
    const missing = [];
    for (const item of batch.items) if (!(await alreadyListed(item.partnerId)).has(batch._id)) missing.push(item);
    await recordPartnerPayouts(models, batch, missing);
    for (const item of missing) (await alreadyListed(item.partnerId)).add(batch._id);
    moved += missing.length;
  }
  return moved;
}

/**
 * Partners from before the directory, oldest first (so the list stays newest first). A partner
 * created meanwhile is listed already (it has its `directoryNo`); one listed twice by a move that
 * died between its two writes shows once (domain/partner-directory.ts `shownAt`).
 */
async function moveDirectory(models: Models): Promise<number> {
  let moved = 0;
  const partners = models.Partner.find({ directoryNo: { $exists: false } }, { createdAt: 1 })
    .sort({ createdAt: 1, _id: 1 })
    .lean()
    .cursor();
  for await (const partner of partners) {
    const createdAt = (partner as { createdAt?: Date }).createdAt ?? new Date(0);
    await listPartner(models, { _id: partner._id, createdAt });
    moved += 1;
  }
  return moved;
}

/**
 * The entries of one stream already in its log, by the field naming their source (a move done
 * again after a crash): read once per stream, which the moves take one at a time.
 */
async function listedIn(collection: LogCollection, stream: string, field: string): Promise<Set<string>> {
  const length = await logLength(collection, stream);
  const entries = await Promise.all(
    Array.from({ length }, (_, i) =>
      collection.findOne({ _id: logEntryId(stream, i + 1) }, { projection: { [field]: 1 } }),
    ),
  );
  return new Set(entries.flatMap((entry) => (entry ? [String((entry as Record<string, unknown>)[field])] : [])));
}

/**
 * Audit entries written before trails, subject by subject, oldest first. Entries written since are
 * marked `listed` (services/audit.ts) and never copied twice.
 */
async function moveAuditTrails(models: Models): Promise<number> {
  let moved = 0;
  let subject: string | undefined;
  let listed = new Set<string>();
  const entries = models.AuditEntry.find({ listed: { $ne: true } })
    .sort({ subject: 1, at: 1, _id: 1 })
    .lean()
    .cursor();
  for await (const entry of entries) {
    if (entry.subject !== subject) {
      subject = entry.subject;
      listed = await listedIn(models.AuditTrailEntry.collection, auditStream(subject), 'auditId');
    }
    const auditId = String(entry._id);
    if (listed.has(auditId)) continue;
    const { actor, action, reason, details, at } = entry;
    await appendToLog(
      models.AuditTrailEntry.collection,
      auditStream(subject),
      trailEntry(auditId, {
        actor,
        action,
        subject,
        at,
        ...(reason ? { reason } : {}),
        ...(details ? { details: details as Record<string, unknown> } : {}),
      }),
    );
    moved += 1;
  }
  return moved;
}

/** Notes of the old `partner_notes` collection (no longer written), partner by partner, oldest first. */
async function moveNotes(models: Models): Promise<number> {
  let moved = 0;
  let partnerId: string | undefined;
  let listed = new Set<string>();
  const notes = models.PartnerNote.find().sort({ partnerId: 1, at: 1, _id: 1 }).lean().cursor();
  for await (const note of notes) {
    if (note.partnerId !== partnerId) {
      partnerId = note.partnerId;
      listed = await listedIn(models.NoteEntry.collection, notesStream(partnerId), 'noteId');
    }
    if (listed.has(note._id)) continue;
    await recordNote(models, {
      noteId: note._id,
      partnerId: note.partnerId,
      text: note.text,
      author: note.author,
      at: note.at,
    });
    moved += 1;
  }
  return moved;
}

/**
 * A key for every partner and operator that has none (accounts from before the keys). Accounts
 * created meanwhile claimed theirs already (`owned`); a key left by a sign-up that lost the address
 * to an account of this list is taken over at once, since that account holds it.
 */
async function moveEmailKeys(models: Models): Promise<number> {
  let moved = 0;
  for await (const partner of models.Partner.find({}, { email: 1 }).lean().cursor())
    if ((await claimEmail(models, 'partner', partner.email, partner._id, { holds: true })) === 'claimed') moved += 1;
  for await (const admin of models.AdminUser.find({}, { email: 1 }).lean().cursor())
    if ((await claimEmail(models, 'admin', admin.email, admin._id, { holds: true })) === 'claimed') moved += 1;
  return moved;
}
