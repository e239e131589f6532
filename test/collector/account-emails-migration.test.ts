// A collector started on a data folder from before login email keys: partners and operators log in
// while the keys are being made (the email search stands in until the move is done), the move makes
// each key once and says so in the log, and afterwards logins read keys only.
import { Writable } from 'node:stream';
import mongoose, { type Connection } from 'mongoose';
import pino from 'pino';
import request from 'supertest';
import type { Collector } from '../../collector/app';
import { hashPassword } from '../../collector/auth/passwords';
import { connectionOptions } from '../../collector/db/connection';
import { learnKeyFilterShape } from '../../collector/db/key-filter';
import { emailKey, emailKeysMove, moveMarkers } from '../../collector/domain/account-emails';
import { createModels, syncIndexes, type Models } from '../../collector/models';
import { migrateKeyedLists } from '../../collector/services/keyed-lists-migration';
import { testCollector } from '../support/collector';
import { engineUri, useTestDatabase } from '../support/db';

const db = useTestDatabase(__filename);
let connection: Connection;
let models: Models;
let collector: Collector;
const password = 'an old password';
const markers = moveMarkers(emailKeysMove);

const partners = ['pa', 'pb', 'pc'];
const lines: string[] = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(String((JSON.parse(chunk.toString()) as { msg: string }).msg));
      done();
    },
  }),
);

/** Queries of `partners` and `admin_users` that were not by `_id` alone (scans on the embedded engine). */
let scans: string[] = [];

beforeAll(async () => {
  connection = mongoose.createConnection(engineUri(), { ...connectionOptions, dbName: db.name, monitorCommands: true });
  await connection.asPromise();
  await learnKeyFilterShape(connection);
  models = createModels(connection);
  await syncIndexes(models);
  const passwordHash = await hashPassword(password);
  const at = new Date('2026-01-01T00:00:00Z');
  // Accounts as the versions before the keys stored them.
  await models.Partner.collection.insertMany(
    partners.map((id) => ({
      _id: id as never,
      email: `${id}@old.example`,
      name: `Old ${id}`,
      passwordHash,
      status: 'active',
      tokenVersion: 0,
      createdAt: at,
      updatedAt: at,
    })),
  );
  await models.AdminUser.collection.insertOne({
    _id: 'adm_old' as never,
    email: 'ops@old.example',
    passwordHash,
    createdAt: at,
  });
  // A sign-up of this version that claimed an old partner's address and then lost it to the unique
  // email index: its key names an account that never came.
  await models.AccountEmail.create({ _id: emailKey('partner', 'pc@old.example'), ownerId: 'plost', at, nonce: 'x' });
  // Another process is making the keys right now: this collector starts without them.
  await models.OnceClaim.create({ _id: markers.started, holder: 'other', at: new Date() });
  collector = await testCollector(connection);
  await collector.migrated;
  const client = connection.getClient() as unknown as NodeJS.EventEmitter;
  client.on('commandStarted', (event: { commandName: string; command: Record<string, unknown> }) => {
    const collection = String(event.command[event.commandName]);
    if (event.commandName !== 'find' || (collection !== 'partners' && collection !== 'admin_users')) return;
    const filter = event.command.filter as Record<string, unknown>;
    if (Object.keys(filter).join() !== '_id') scans.push(`${collection}: ${JSON.stringify(filter)}`);
  });
});
afterAll(async () => {
  await collector.close();
  await connection.close();
});

const login = (email: string) => request(collector.app).post('/v1/auth/login').send({ email, password });
const keys = () => models.AccountEmail.countDocuments();

async function everyoneLogsIn(): Promise<void> {
  for (const id of partners) expect((await login(`${id}@old.example`).expect(200)).body.role).toBe('partner');
  expect((await login('ops@old.example').expect(200)).body.role).toBe('admin');
}

describe('keys for accounts from before them', () => {
  it('logs everyone in before the move, and refuses their addresses to new sign-ups', async () => {
    expect(await keys()).toBe(1);
    await everyoneLogsIn();
    await request(collector.app)
      .post('/v1/partners')
      .send({ email: 'pa@old.example', password, name: 'Copycat' })
      .expect(409);
    await request(collector.app)
      .post('/v1/partners')
      .send({ email: 'pb@old.example', password, name: 'Copycat' })
      .expect(409);
  });

  it('makes each key once, says so, and logs in by key afterwards', async () => {
    await models.OnceClaim.deleteOne({ _id: markers.started });
    // 3 partners and an operator, `pc` taken back from the sign-up that lost it.
    expect(await migrateKeyedLists(models, logger, 'test')).toBe(4);
    expect(lines).toContain('moving the login emails of partners and operators to keyed logs (once)');
    for (const id of partners)
      expect(await models.AccountEmail.findById(emailKey('partner', `${id}@old.example`)).lean()).toMatchObject({
        ownerId: id,
      });
    expect(await models.AccountEmail.findById(emailKey('admin', 'ops@old.example')).lean()).toMatchObject({
      ownerId: 'adm_old',
    });
    const made = await keys();

    // Done: a later start does nothing; a move done again (a crash before its marker) adds nothing.
    expect(await migrateKeyedLists(models, logger, 'later')).toBe(0);
    await models.OnceClaim.deleteMany({ _id: { $in: [markers.started, markers.done] } });
    expect(await migrateKeyedLists(models, logger, 'again')).toBe(0);
    expect(await keys()).toBe(made);

    scans = [];
    await everyoneLogsIn();
    expect(scans).toEqual([]);
    // From now on a missing key means no account: the search is not made.
    await models.AccountEmail.deleteOne({ _id: emailKey('partner', 'pb@old.example') });
    await login('pb@old.example').expect(401);
    expect(scans).toEqual([]);
  });
});
