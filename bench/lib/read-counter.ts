// Documents read, counted from the MongoDB driver's command monitoring: the same figure on any
// engine, unlike times. Only replies of reading commands count (find, aggregate, getMore).
import type { EventEmitter } from 'node:events';

export interface CollectionReads {
  commands: number;
  documents: number;
}

export interface ReadTally {
  commands: number;
  documents: number;
  /** Per collection, so a report that touches raw `clicks` shows even when the reply is small. */
  collections: Record<string, CollectionReads>;
}

type Doc = Record<string, unknown>;

const readingCommands = new Set(['find', 'aggregate', 'getMore']);

/** The collection a reading command targets (`getMore` names it in `collection`). */
export function collectionOf(commandName: string, command: Doc): string | undefined {
  if (!readingCommands.has(commandName)) return undefined;
  const name = commandName === 'getMore' ? command.collection : command[commandName];
  return typeof name === 'string' ? name : undefined;
}

/** How many documents a reading command's reply carries (its cursor batch). */
export function documentsInReply(commandName: string, reply: unknown): number {
  if (!readingCommands.has(commandName) || typeof reply !== 'object' || reply === null) return 0;
  const cursor = (reply as Doc).cursor;
  if (typeof cursor !== 'object' || cursor === null) return 0;
  const batch = (cursor as Doc)[commandName === 'getMore' ? 'nextBatch' : 'firstBatch'];
  return Array.isArray(batch) ? batch.length : 0;
}

export function emptyTally(): ReadTally {
  return { commands: 0, documents: 0, collections: {} };
}

/** Adds one command's reads to a tally (pure: returns a new tally). */
export function addReads(tally: ReadTally, collection: string, documents: number): ReadTally {
  const before = tally.collections[collection] ?? { commands: 0, documents: 0 };
  return {
    commands: tally.commands + 1,
    documents: tally.documents + documents,
    collections: {
      ...tally.collections,
      [collection]: { commands: before.commands + 1, documents: before.documents + documents },
    },
  };
}

interface StartedEvent {
  requestId: number;
  commandName: string;
  command: Doc;
}
interface SucceededEvent {
  requestId: number;
  commandName: string;
  reply: unknown;
}

/** Counts reads on a MongoClient created with `monitorCommands: true`. */
export class ReadCounter {
  private tally = emptyTally();
  private readonly pending = new Map<number, string>();

  attach(client: EventEmitter): void {
    client.on('commandStarted', (event: StartedEvent) => {
      const collection = collectionOf(event.commandName, event.command);
      if (collection) this.pending.set(event.requestId, collection);
    });
    client.on('commandSucceeded', (event: SucceededEvent) => {
      const collection = this.pending.get(event.requestId);
      if (collection === undefined) return;
      this.pending.delete(event.requestId);
      this.tally = addReads(this.tally, collection, documentsInReply(event.commandName, event.reply));
    });
    client.on('commandFailed', (event: { requestId: number }) => this.pending.delete(event.requestId));
  }

  reset(): void {
    this.tally = emptyTally();
  }

  read(): ReadTally {
    return this.tally;
  }
}
