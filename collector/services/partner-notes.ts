// Operators' notes on a partner: kept apart from the partner's own data (never shown to them),
// append-only, and each one audited. A partner's notes are the keyed log `<partnerId>|notes`
// (models/note-entry.ts), read a page at a time by `_id`, newest first.
import { randomBytes } from 'node:crypto';
import { DomainError } from '../domain/errors';
import type { NoteEntryDoc } from '../models/note-entry';
import { audit } from './audit';
import type { ServiceDeps } from './deps';
import { appendToLog, readLogPage } from './keyed-log';

type Deps = Pick<ServiceDeps, 'models'>;

export const notesStream = (partnerId: string) => `${partnerId}|notes`;

const noteView = (note: Pick<NoteEntryDoc, 'noteId' | 'text' | 'author' | 'at'>) => ({
  noteId: note.noteId,
  text: note.text,
  author: note.author,
  at: note.at,
});

export async function partnerNotes(
  { models }: Deps,
  partnerId: string,
  page: { limit: number; after?: string | undefined },
) {
  const { items, nextAfter } = await readLogPage<NoteEntryDoc>(
    models.NoteEntry.collection,
    notesStream(partnerId),
    page,
  );
  return { items: items.map(noteView), nextAfter };
}

/** Appends a note to its partner's list (what a write does and the migration of older notes redoes). */
export const recordNote = (models: Deps['models'], note: Omit<NoteEntryDoc, '_id'>) =>
  appendToLog(models.NoteEntry.collection, notesStream(note.partnerId), note);

export async function addPartnerNote(deps: Deps, input: { partnerId: string; text: string; author: string }) {
  const { models } = deps;
  if (!(await models.Partner.exists({ _id: input.partnerId })))
    throw new DomainError('not-found', `No partner ${input.partnerId}.`, 'partner-not-found');
  const note = {
    noteId: `note_${randomBytes(6).toString('hex')}`,
    partnerId: input.partnerId,
    text: input.text,
    author: input.author,
    at: new Date(),
  };
  await recordNote(models, note);
  await audit(deps, {
    actor: input.author,
    action: 'partner.note',
    subject: `partner:${input.partnerId}`,
    details: { noteId: note.noteId, text: note.text },
  });
  return noteView(note);
}
