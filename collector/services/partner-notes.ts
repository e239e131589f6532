// Operators' notes on a partner: kept apart from the partner's own data (never shown to them),
// append-only, and each one audited.
import { randomBytes } from 'node:crypto';
import { DomainError } from '../domain/errors';
import { audit } from './audit';
import type { ServiceDeps } from './deps';

type Deps = Pick<ServiceDeps, 'models'>;

export async function partnerNotes({ models }: Deps, partnerId: string) {
  const notes = await models.PartnerNote.find({ partnerId }).sort({ at: -1 }).limit(200).lean();
  return notes.map((note) => ({ noteId: note._id, text: note.text, author: note.author, at: note.at }));
}

export async function addPartnerNote(deps: Deps, input: { partnerId: string; text: string; author: string }) {
  const { models } = deps;
  if (!(await models.Partner.exists({ _id: input.partnerId })))
    throw new DomainError('not-found', `No partner ${input.partnerId}.`, 'partner-not-found');
  const note = {
    _id: `note_${randomBytes(6).toString('hex')}`,
    partnerId: input.partnerId,
    text: input.text,
    author: input.author,
    at: new Date(),
  };
  await models.PartnerNote.create(note);
  await audit(deps, {
    actor: input.author,
    action: 'partner.note',
    subject: `partner:${input.partnerId}`,
    details: { noteId: note._id, text: note.text },
  });
  return { noteId: note._id, text: note.text, author: note.author, at: note.at };
}
