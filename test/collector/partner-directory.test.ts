// The partner directory and the partner page's lists (audit trail, notes) on the real engine: every
// read of the operator's partner list, partner page and report pages is one document by exact
// `_id`, a bounded number of them whatever the number of partners; an entry whose partner was never
// stored (the creation died between its two writes) is skipped.
import request from 'supertest';
import type { Collector } from '../../collector/app';
import { emailKey } from '../../collector/domain/account-emails';
import { logEntryId } from '../../collector/domain/keyed-log';
import { directoryStream } from '../../collector/domain/partner-directory';
import { appendToLog } from '../../collector/services/keyed-log';
import { createPartner } from '../../collector/services/partner-directory';
import { isDuplicateKey } from '../../collector/services/duplicates';
import { testAdminKey } from '../support/collector';
import { useTestDatabase } from '../support/db';
import { monitoredCollector, type MonitoredCollector } from '../support/monitored-collector';
import { createTestPartner } from '../support/partners';

const db = useTestDatabase(__filename);
const admin = { Authorization: `Bearer ${testAdminKey}` };
let monitored: MonitoredCollector;
let collector: Collector;

/** The collections these reads may touch, and the lists they replace (never read on these paths). */
const keyed = new Set(['partners', 'partner_directory', 'audit_trails', 'partner_note_log']);
const replaced = new Set(['audit_log', 'partner_notes']);

interface Reads {
  documents: number;
  /** Reads of the collections above whose filter was anything but `{_id: <string>}`. */
  filtered: string[];
}

let reads: Reads = { documents: 0, filtered: [] };
const pending = new Map<number, string>();

function watch(client: NodeJS.EventEmitter) {
  client.on('commandStarted', (event: { requestId: number; commandName: string; command: Record<string, unknown> }) => {
    if (event.commandName !== 'find' && event.commandName !== 'aggregate' && event.commandName !== 'count') return;
    const collection = String(event.command[event.commandName]);
    if (replaced.has(collection)) reads.filtered.push(`${collection}: read at all`);
    if (!keyed.has(collection)) return;
    const filter = event.command.filter as Record<string, unknown> | undefined;
    const exact = event.commandName === 'find' && filter && Object.keys(filter).join() === '_id';
    if (!exact || typeof filter._id !== 'string')
      reads.filtered.push(`${collection}: ${JSON.stringify(event.command)}`);
    pending.set(event.requestId, collection);
  });
  client.on('commandSucceeded', (event: { requestId: number; reply: { cursor?: { firstBatch?: unknown[] } } }) => {
    if (!pending.delete(event.requestId)) return;
    reads.documents += event.reply.cursor?.firstBatch?.length ?? 0;
  });
}

/** The reads one request made. */
async function measure(path: string): Promise<{ body: Record<string, unknown> & { items: unknown[] }; reads: Reads }> {
  reads = { documents: 0, filtered: [] };
  const res = await request(collector.app).get(path).set(admin).expect(200);
  return { body: res.body as never, reads };
}

beforeAll(async () => {
  monitored = await monitoredCollector(db.name);
  collector = monitored.collector;
  watch(monitored.client);
});
afterAll(() => monitored.close());

const ids = (body: { items: unknown[] }) => body.items.map((item) => (item as { partnerId: string }).partnerId);

describe('the partner directory', () => {
  const created: string[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 40; i++)
      created.push((await createTestPartner(collector, { status: i % 10 === 0 ? 'frozen' : 'active' })).partnerId);
  });

  it('pages newest first by key: at most 2 reads per partner shown and the length search', async () => {
    const first = await measure('/v1/admin/partners?limit=10');
    expect(ids(first.body)).toEqual(created.slice(-10).reverse());
    expect(first.reads.filtered).toEqual([]);
    // 10 entries, 10 partners, about 2·log2(40) probes.
    expect(first.reads.documents).toBeLessThanOrEqual(2 * 10 + 2 * Math.ceil(Math.log2(40)) + 2);
    const second = await measure(`/v1/admin/partners?limit=10&cursor=${first.body.nextCursor as string}`);
    expect(ids(second.body)).toEqual(created.slice(-20, -10).reverse());
    expect(second.reads.filtered).toEqual([]);
  });

  it('filters in memory over a bounded walk, still by key', async () => {
    const frozen = await measure('/v1/admin/partners?status=frozen&limit=2');
    expect(ids(frozen.body)).toEqual([created[30], created[20]]);
    expect(frozen.reads.filtered).toEqual([]);
    expect(frozen.reads.documents).toBeLessThanOrEqual(2 * 40 + 2 * Math.ceil(Math.log2(40)) + 2);
    const byId = await measure(`/v1/admin/partners?q=${created[5]!}`);
    expect(ids(byId.body)).toEqual([created[5]]);
    expect(byId.reads).toEqual({ documents: 1, filtered: [] });
  });

  it('reads the partner page, its notes and a report page by key', async () => {
    const partnerId = created[3]!;
    await request(collector.app)
      .post(`/v1/admin/partners/${partnerId}/status`)
      .set(admin)
      .send({ status: 'frozen', reason: 'review' })
      .expect(200);
    for (const text of ['one', 'two', 'three'])
      await request(collector.app).post(`/v1/admin/partners/${partnerId}/notes`).set(admin).send({ text }).expect(201);

    const page = await measure(`/v1/admin/partners/${partnerId}`);
    expect((page.body.audit as Array<{ action: string }>).map((entry) => entry.action)).toEqual([
      'partner.note',
      'partner.note',
      'partner.note',
      'partner.status',
    ]);
    expect(page.reads.filtered).toEqual([]);

    const log = await measure(`/v1/admin/audit?subject=partner:${partnerId}&limit=2`);
    expect(log.body.items.map((entry) => (entry as { action: string }).action)).toEqual([
      'partner.note',
      'partner.note',
    ]);
    expect(log.reads.filtered).toEqual([]);

    const notes = await measure(`/v1/admin/partners/${partnerId}/notes?limit=2`);
    expect(notes.body.items.map((note) => (note as { text: string }).text)).toEqual(['three', 'two']);
    const rest = await measure(
      `/v1/admin/partners/${partnerId}/notes?limit=2&cursor=${notes.body.nextCursor as string}`,
    );
    expect(rest.body).toMatchObject({ items: [{ text: 'one' }], nextCursor: null });
    expect([...notes.reads.filtered, ...rest.reads.filtered]).toEqual([]);

    const report = await measure('/v1/admin/reports/partners?limit=5');
    expect(report.body.items.map((row) => (row as { partnerId: string }).partnerId).sort()).toEqual(
      created.slice(-5).sort(),
    );
    expect(report.reads.filtered).toEqual([]);
    const next = await measure(`/v1/admin/reports/partners?limit=5&cursor=${report.body.nextCursor as string}`);
    expect(next.body.items.map((row) => (row as { partnerId: string }).partnerId).sort()).toEqual(
      created.slice(-10, -5).sort(),
    );
  });
});

describe('a creation that died between its two writes', () => {
  it('leaves an entry that names nobody, which every list skips', async () => {
    const before = await createTestPartner(collector);
    // A sign-up that lost the email to a partner from before the login email keys (the move that
    // makes their keys still running): it claims the address, its entry is written, the partner is
    // not (the unique email index).
    await collector.context.models.AccountEmail.deleteOne({ _id: emailKey('partner', before.email) });
    const lost: unknown = await createPartner(collector.context.models, {
      _id: 'pnobody',
      email: before.email,
      name: 'Nobody',
      passwordHash: 'x',
    }).catch((error: unknown) => error);
    expect(isDuplicateKey(lost)).toBe(true);
    // A process killed between the two writes.
    await appendToLog(collector.context.models.DirectoryEntry.collection, directoryStream, {
      partnerId: 'pkilled',
      createdAt: new Date(),
    });
    const after = await createTestPartner(collector);
    const page = await measure('/v1/admin/partners?limit=2');
    expect(ids(page.body)).toEqual([after.partnerId, before.partnerId]);
    expect(page.reads.filtered).toEqual([]);
  });

  it('answers a short page with a cursor to read on when only such entries were read', async () => {
    const { models } = collector.context;
    const top = await models.DirectoryEntry.countDocuments();
    await models.DirectoryEntry.insertMany(
      Array.from({ length: 30 }, (_, i) => ({
        _id: logEntryId(directoryStream, top + 1 + i),
        partnerId: `pghost${i}`,
        createdAt: new Date(),
      })),
    );
    const empty = await measure('/v1/admin/partners?limit=5');
    expect(empty.body.items).toEqual([]);
    expect(empty.body.nextCursor).toEqual(expect.any(String));
    // Read on: the walk reaches the partners below.
    let cursor = empty.body.nextCursor as string | null;
    let found: string[] = [];
    while (cursor !== null && found.length === 0) {
      const next = await measure(`/v1/admin/partners?limit=5&cursor=${cursor}`);
      found = ids(next.body);
      cursor = next.body.nextCursor as string | null;
    }
    expect(found).toHaveLength(5);
  });
});

describe('sign-ups', () => {
  it('lists a partner who signs up first; concurrent ones each once', async () => {
    const signUp = (n: number) =>
      request(collector.app)
        .post('/v1/partners')
        .send({ email: `signup${n}@partners.example`, password: 'a long passphrase', name: `Sign-up ${n}` })
        .expect(201);
    const first = await signUp(0);
    expect(ids((await measure('/v1/admin/partners?limit=1')).body)).toEqual([first.body.partnerId]);
    const racing = await Promise.all(Array.from({ length: 8 }, (_, i) => signUp(i + 1)));
    const page = await measure('/v1/admin/partners?limit=9');
    expect(new Set(ids(page.body))).toEqual(
      new Set([first, ...racing].map((res) => (res.body as { partnerId: string }).partnerId)),
    );
    expect(ids(page.body).at(-1)).toBe(first.body.partnerId);
  });
});
