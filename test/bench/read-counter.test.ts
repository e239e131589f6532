import { EventEmitter } from 'node:events';
import { addReads, collectionOf, documentsInReply, emptyTally, ReadCounter } from '../../bench/lib/read-counter';

describe('documents in a reply', () => {
  it('counts the first batch of find and aggregate, the next batch of getMore', () => {
    expect(documentsInReply('find', { cursor: { firstBatch: [{}, {}, {}], id: 0 } })).toBe(3);
    expect(documentsInReply('aggregate', { cursor: { firstBatch: [{}], id: 0 } })).toBe(1);
    expect(documentsInReply('getMore', { cursor: { nextBatch: [{}, {}], id: 0 } })).toBe(2);
  });

  it('counts nothing for writes and malformed replies', () => {
    expect(documentsInReply('insert', { n: 5, ok: 1 })).toBe(0);
    expect(documentsInReply('find', { ok: 1 })).toBe(0);
    expect(documentsInReply('find', null)).toBe(0);
    expect(documentsInReply('getMore', { cursor: { firstBatch: [{}] } })).toBe(0);
  });

  it('names the collection of reading commands only', () => {
    expect(collectionOf('find', { find: 'daily_stats', filter: {} })).toBe('daily_stats');
    expect(collectionOf('aggregate', { aggregate: 'clicks', pipeline: [] })).toBe('clicks');
    expect(collectionOf('getMore', { getMore: 7, collection: 'ledger' })).toBe('ledger');
    expect(collectionOf('insert', { insert: 'clicks' })).toBeUndefined();
  });
});

describe('tallies', () => {
  it('adds reads per collection without changing the earlier tally', () => {
    const first = addReads(emptyTally(), 'clicks', 0);
    const second = addReads(first, 'daily_stats', 30);
    const third = addReads(second, 'daily_stats', 12);
    expect(first).toEqual({ commands: 1, documents: 0, collections: { clicks: { commands: 1, documents: 0 } } });
    expect(third).toEqual({
      commands: 3,
      documents: 42,
      collections: { clicks: { commands: 1, documents: 0 }, daily_stats: { commands: 2, documents: 42 } },
    });
  });
});

describe('ReadCounter on command monitoring events', () => {
  it('pairs replies with their commands by request id, ignores failures and writes, and resets', () => {
    const client = new EventEmitter();
    const counter = new ReadCounter();
    counter.attach(client);
    client.emit('commandStarted', { requestId: 1, commandName: 'find', command: { find: 'daily_stats' } });
    client.emit('commandStarted', { requestId: 2, commandName: 'insert', command: { insert: 'clicks' } });
    client.emit('commandStarted', { requestId: 3, commandName: 'aggregate', command: { aggregate: 'clicks' } });
    client.emit('commandSucceeded', { requestId: 2, commandName: 'insert', reply: { n: 1 } });
    client.emit('commandFailed', { requestId: 3 });
    client.emit('commandSucceeded', { requestId: 1, commandName: 'find', reply: { cursor: { firstBatch: [{}, {}] } } });
    client.emit('commandStarted', {
      requestId: 4,
      commandName: 'getMore',
      command: { getMore: 9, collection: 'daily_stats' },
    });
    client.emit('commandSucceeded', { requestId: 4, commandName: 'getMore', reply: { cursor: { nextBatch: [{}] } } });
    expect(counter.read()).toEqual({
      commands: 2,
      documents: 3,
      collections: { daily_stats: { commands: 2, documents: 3 } },
    });
    counter.reset();
    expect(counter.read()).toEqual(emptyTally());
  });
});
