// Login email keys on the real engine: login, password reset, confirmation resend and the sign-up
// check find accounts by reading the key and the account by exact `_id` (any other filter is a scan
// of `partners` / `admin_users` on the embedded engine); of concurrent sign-ups with one address
// exactly one gets it; a claim whose account never came is taken over after the grace time; an
// email change moves the key, and a crash between its steps leaves the old address free.
import request from 'supertest';
import type { Collector } from '../../collector/app';
import { claimGraceMs, emailKey } from '../../collector/domain/account-emails';
import { createAdmin } from '../../collector/services/admins';
import { useTestDatabase } from '../support/db';
import { monitoredCollector, type MonitoredCollector } from '../support/monitored-collector';
import { linkToken, mailTo } from '../support/outbox';
import { holdAt } from '../support/seams';

const db = useTestDatabase(__filename);
let monitored: MonitoredCollector;
let collector: Collector;
const password = 'a good password';

/** The collections of accounts and their keys: every query of them must be by `_id` alone. */
const watched = new Set(['partners', 'admin_users', 'account_emails', 'once_claims']);
let filtered: string[] = [];

const exactId = (filter: unknown) =>
  typeof filter === 'object' &&
  filter !== null &&
  Object.keys(filter).join() === '_id' &&
  typeof (filter as { _id: unknown })._id === 'string';

function watch(client: NodeJS.EventEmitter) {
  client.on('commandStarted', (event: { commandName: string; command: Record<string, unknown> }) => {
    const { commandName, command } = event;
    const collection = String(command[commandName]);
    if (!watched.has(collection)) return;
    const filters =
      commandName === 'find'
        ? [command.filter]
        : commandName === 'update'
          ? (command.updates as Array<{ q: unknown }>).map((update) => update.q)
          : commandName === 'delete'
            ? (command.deletes as Array<{ q: unknown }>).map((deletion) => deletion.q)
            : commandName === 'insert'
              ? []
              : [undefined];
    for (const filter of filters)
      if (!exactId(filter)) filtered.push(`${collection} ${commandName}: ${JSON.stringify(filter ?? command)}`);
  });
}

/** Runs `action` and returns the queries of accounts it sent that were not by `_id` alone. */
async function scansOf(action: () => Promise<unknown>): Promise<string[]> {
  filtered = [];
  await action();
  return filtered;
}

beforeAll(async () => {
  monitored = await monitoredCollector(db.name);
  collector = monitored.collector;
  watch(monitored.client);
});
afterAll(() => monitored.close());

const api = () => request(collector.app);
const signup = (email: string) => api().post('/v1/partners').send({ email, password, name: 'Ann Partner' });
const login = (email: string, pass = password) => api().post('/v1/auth/login').send({ email, password: pass });
const keyOf = (email: string) => collector.context.models.AccountEmail.findById(emailKey('partner', email)).lean();
const partnersWith = (email: string) => collector.context.models.Partner.countDocuments({ email });

describe('lookups by email read keys', () => {
  it('logs partners and operators in, resets and resends, by `_id` only', async () => {
    const { models } = collector.context;
    let partnerId = '';
    expect(
      await scansOf(async () => {
        partnerId = (await signup('Keyed@Example.com').expect(201)).body.partnerId as string;
      }),
    ).toEqual([]);
    expect(await keyOf('keyed@example.com')).toMatchObject({ ownerId: partnerId });

    expect(await scansOf(() => login('keyed@example.com').expect(200))).toEqual([]);
    const admin = await createAdmin(collector.context, 'Ops@Example.com', password, 'test');
    expect(await models.AccountEmail.findById(emailKey('admin', 'ops@example.com')).lean()).toMatchObject({
      ownerId: admin.adminId,
    });
    const asAdmin = await login('ops@example.com').expect(200);
    expect(asAdmin.body.role).toBe('admin');
    expect(await scansOf(() => login('ops@example.com').expect(200))).toEqual([]);
    expect(await scansOf(() => login('nobody@example.com').expect(401))).toEqual([]);

    const before = await models.Partner.findById(partnerId).lean();
    expect(
      await scansOf(() => api().post('/v1/auth/password-reset').send({ email: 'keyed@example.com' }).expect(202)),
    ).toEqual([]);
    expect(
      await scansOf(() => api().post('/v1/partners/confirm/resend').send({ email: 'keyed@example.com' }).expect(202)),
    ).toEqual([]);
    const after = await models.Partner.findById(partnerId).lean();
    expect(after!.resetTokenHash).toEqual(expect.any(String));
    expect(after!.confirmTokenHash).not.toBe(before!.confirmTokenHash);
    expect(
      await scansOf(() => api().post('/v1/auth/password-reset').send({ email: 'nobody@example.com' }).expect(202)),
    ).toEqual([]);

    expect(await scansOf(() => signup('keyed@example.com').expect(409))).toEqual([]);
    expect(await partnersWith('keyed@example.com')).toBe(1);
  });

  it('never logs into the account a stale key names', async () => {
    const owner = (await signup('owner@example.com').expect(201)).body.partnerId as string;
    // A key of another address naming this partner (an email change that moved on).
    await collector.context.models.AccountEmail.create({
      _id: emailKey('partner', 'elsewhere@example.com'),
      ownerId: owner,
      at: new Date(),
      nonce: 'stale',
    });
    await login('elsewhere@example.com').expect(401);
    await api().post('/v1/auth/password-reset').send({ email: 'elsewhere@example.com' }).expect(202);
    expect((await collector.context.models.Partner.findById(owner).lean())!.resetTokenHash).toBeUndefined();
  });
});

describe('concurrent sign-ups with one address', () => {
  it('the one that claimed it first gets it, even when the other finishes first', async () => {
    const held = holdAt('account.email:claimed');
    const first = signup('race@example.com').then((res) => res);
    await held.reached;
    // The first claimed the address and waits before storing its partner: the second loses.
    const second = await signup('race@example.com').expect(409);
    expect(second.body.type).toBe('/problems/email-taken');
    held.release();
    const won = await first;
    expect(won.status).toBe(201);
    expect(await partnersWith('race@example.com')).toBe(1);
    expect(await keyOf('race@example.com')).toMatchObject({ ownerId: won.body.partnerId });
  });

  it('of many at once, exactly one gets an account, round after round', async () => {
    for (let round = 0; round < 3; round++) {
      const email = `stress${round}@example.com`;
      const answers = await Promise.all(Array.from({ length: 6 }, () => signup(email).then((res) => res)));
      const created = answers.filter((res) => res.status === 201);
      expect(created).toHaveLength(1);
      expect(answers.filter((res) => res.status === 409)).toHaveLength(5);
      expect(await partnersWith(email)).toBe(1);
      expect(await keyOf(email)).toMatchObject({ ownerId: created[0]!.body.partnerId });
      await login(email).expect(200);
    }
  });
});

describe('concurrent operator creations with one address', () => {
  it('create one operator; the others are told the address is taken', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 4 }, () => createAdmin(collector.context, 'twin@example.com', password, 'test')),
    );
    const created = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(created).toHaveLength(1);
    for (const outcome of outcomes)
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'email-taken' });
    expect(await collector.context.models.AdminUser.countDocuments({ email: 'twin@example.com' })).toBe(1);
    expect(
      await collector.context.models.AccountEmail.findById(emailKey('admin', 'twin@example.com')).lean(),
    ).toMatchObject({ ownerId: created[0]!.adminId });
  });
});

describe('a claim whose account never came', () => {
  const ghost = async (email: string, ageMs: number, nonce: string) =>
    collector.context.models.AccountEmail.create({
      _id: emailKey('partner', email),
      ownerId: `pghost${nonce}`,
      at: new Date(Date.now() - ageMs),
      nonce,
    });

  it('holds the address for the grace time, then is taken over', async () => {
    await ghost('young@example.com', 1000, 'young');
    await signup('young@example.com').expect(409);
    await ghost('old@example.com', claimGraceMs + 1000, 'old');
    const created = await signup('old@example.com').expect(201);
    expect(await keyOf('old@example.com')).toMatchObject({ ownerId: created.body.partnerId });
    await login('old@example.com').expect(200);
  });

  it('is taken over by one of many at once', async () => {
    await ghost('contested@example.com', claimGraceMs + 1000, 'contested');
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => signup('contested@example.com').then((res) => res)),
    );
    const created = answers.filter((res) => res.status === 201);
    expect(created).toHaveLength(1);
    expect(await partnersWith('contested@example.com')).toBe(1);
    expect(await keyOf('contested@example.com')).toMatchObject({ ownerId: created[0]!.body.partnerId });
  });

  it('a takeover whose winner died before replacing the key is finished by the next claimant', async () => {
    const old = new Date(Date.now() - 2 * claimGraceMs);
    await ghost('orphan@example.com', 3 * claimGraceMs, 'orphan');
    // The winner of the takeover decided to replace the key with its own (an account that never came).
    await collector.context.models.OnceClaim.create({
      _id: `account-email:${emailKey('partner', 'orphan@example.com')}:orphan`,
      holder: 'partner:pdead',
      data: { ownerId: 'pdead', at: old, nonce: 'dead' },
      at: old,
    });
    const created = await signup('orphan@example.com').expect(201);
    expect(await keyOf('orphan@example.com')).toMatchObject({ ownerId: created.body.partnerId });
  });
});

describe('an email change', () => {
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('claims the new address, then frees the old one', async () => {
    const partnerId = (await signup('mover@example.com').expect(201)).body.partnerId as string;
    const { token } = (await login('mover@example.com').expect(200)).body as { token: string };
    await api()
      .post('/v1/me/email-change')
      .set(bearer(token))
      .send({ email: 'moved@example.com', password })
      .expect(202);
    const link = linkToken(await mailTo(collector, 'moved@example.com', /confirm-email/), 'confirm-email');
    await api().post('/v1/partners/email-change/confirm').send({ token: link }).expect(200);

    expect(await keyOf('moved@example.com')).toMatchObject({ ownerId: partnerId });
    expect(await keyOf('mover@example.com')).toMatchObject({ ownerId: null });
    await login('moved@example.com').expect(200);
    await login('mover@example.com').expect(401);
    // The new address is taken, the old one free.
    await signup('moved@example.com').expect(409);
    const other = await signup('mover@example.com').expect(201);
    expect(await keyOf('mover@example.com')).toMatchObject({ ownerId: other.body.partnerId });
  });

  it('that died before releasing the old address leaves it free', async () => {
    const { models } = collector.context;
    const partnerId = (await signup('crashed@example.com').expect(201)).body.partnerId as string;
    const oldKey = await keyOf('crashed@example.com');
    // What the change wrote before the process died: the new key claimed, the partner's email
    // changed; the old key (just claimed, well within the grace time) still names the partner.
    await models.AccountEmail.create({
      _id: emailKey('partner', 'landed@example.com'),
      ownerId: partnerId,
      at: new Date(),
      nonce: 'landed',
    });
    await models.Partner.updateOne({ _id: partnerId }, { $set: { email: 'landed@example.com' } });
    expect(await keyOf('crashed@example.com')).toEqual(oldKey);

    await login('crashed@example.com').expect(401);
    await login('landed@example.com').expect(200);
    const other = await signup('crashed@example.com').expect(201);
    expect(await keyOf('crashed@example.com')).toMatchObject({ ownerId: other.body.partnerId });
    await login('crashed@example.com').expect(200);
  });

  it('that died between claiming the new address and storing it keeps the address for the partner', async () => {
    const { models } = collector.context;
    const partnerId = (await signup('halfway@example.com').expect(201)).body.partnerId as string;
    const { token } = (await login('halfway@example.com').expect(200)).body as { token: string };
    await api()
      .post('/v1/me/email-change')
      .set(bearer(token))
      .send({ email: 'target@example.com', password })
      .expect(202);
    // The change claimed the new address long ago (the grace time is over) and stored nothing.
    await models.AccountEmail.create({
      _id: emailKey('partner', 'target@example.com'),
      ownerId: partnerId,
      at: new Date(Date.now() - 2 * claimGraceMs),
      nonce: 'halfway',
    });
    // The pending change still names the address: nobody else takes it.
    await signup('target@example.com').expect(409);
    // The partner confirms (here from a new link): the key is theirs already, the change completes.
    await api().post('/v1/me/email-change/resend').set(bearer(token)).expect(202);
    const link = linkToken(await mailTo(collector, 'target@example.com', /confirm-email/), 'confirm-email');
    await api().post('/v1/partners/email-change/confirm').send({ token: link }).expect(200);
    await login('target@example.com').expect(200);
  });
});
