// The durable mail queue: one delivery per job under concurrent senders, retries after a failing
// mail server, keyed deduplication, and abandoned leases.
import pino from 'pino';
import type { Collector } from '../../collector/app';
import { createMailSender, queueMail } from '../../collector/services/mail-queue';
import { testCollector, testConfig } from '../support/collector';
import { useTestDatabase } from '../support/db';

const db = useTestDatabase(__filename);
let collector: Collector;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  collector = await testCollector(db.connection());
});

const models = () => collector.context.models;
const sender = (options: Parameters<typeof createMailSender>[1] = {}, config = collector.context.config) =>
  createMailSender({ config, models: models(), logger }, options);
const outboxTo = (to: string) => models().OutboxMessage.countDocuments({ to });

describe('mail queue', () => {
  it('queues a key once', async () => {
    const job = { key: 'test:once', to: 'once@example.com', subject: 'Hi', text: 'once' };
    expect(await queueMail(models(), job)).toBe(true);
    expect(await queueMail(models(), { ...job, text: 'again' })).toBe(false);
    await sender().drain();
    expect(await queueMail(models(), job)).toBe(false);
    await sender().drain();
    expect(await outboxTo('once@example.com')).toBe(1);
  });

  it('delivers each job once under concurrent senders', async () => {
    for (let round = 0; round < 3; round++) {
      const to = `crowd-${round}@example.com`;
      for (let i = 0; i < 10; i++)
        await queueMail(models(), { key: `crowd:${round}:${i}`, to, subject: 'S', text: `${i}` });
      await Promise.all(Array.from({ length: 4 }, () => sender().drain()));
      expect(await outboxTo(to)).toBe(10);
      const texts = (await models().OutboxMessage.find({ to }).lean()).map((m) => m.text).sort();
      expect(new Set(texts).size).toBe(10);
    }
  });

  it('does not send a job another sender holds the lease of', async () => {
    await queueMail(models(), { key: 'held:1', to: 'held@example.com', subject: 'S', text: 'held' });
    let release!: () => void;
    const gate = new Promise<void>((done) => (release = done));
    let reached!: () => void;
    const atSeam = new Promise<void>((done) => (reached = done));
    const holder = sender({
      beforeSend: async () => {
        reached();
        await gate;
      },
    });
    const holding = holder.runOnce();
    await atSeam;
    expect(await sender().runOnce()).toEqual({ attempted: 0 });
    release();
    expect(await holding).toEqual({ attempted: 1 });
    expect(await outboxTo('held@example.com')).toBe(1);
    expect(await models().MailJob.findById('held:1').lean()).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('retries with backoff after a failing mail server, then gives up', async () => {
    await queueMail(models(), { key: 'retry:1', to: 'retry@example.com', subject: 'S', text: 'retry' });
    const failing = sender({ retryBaseMs: 60_000, maxAttempts: 3 }, testConfig({ SMTP_URL: 'smtp://127.0.0.1:1' }));
    await failing.drain();
    const first = await models().MailJob.findById('retry:1').lean();
    expect(first).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.any(String) });
    expect(first!.dueAt.getTime()).toBeGreaterThan(Date.now() + 50_000);
    // Not due yet: nothing is tried.
    expect(await failing.runOnce()).toEqual({ attempted: 0 });
    await failing.drain(new Date(first!.dueAt.getTime() + 1));
    const second = await models().MailJob.findById('retry:1').lean();
    expect(second).toMatchObject({ status: 'pending', attempts: 2 });
    expect(second!.dueAt.getTime() - first!.dueAt.getTime()).toBeGreaterThan(110_000);
    // A working server delivers it once due.
    await sender().drain(new Date(second!.dueAt.getTime() + 1));
    expect(await models().MailJob.findById('retry:1').lean()).toMatchObject({ status: 'sent', attempts: 3 });
    expect(await outboxTo('retry@example.com')).toBe(1);

    await queueMail(models(), { key: 'retry:2', to: 'lost@example.com', subject: 'S', text: 'lost' });
    for (let day = 1; day <= 4; day++) await failing.drain(new Date(Date.now() + day * 86_400_000));
    expect(await models().MailJob.findById('retry:2').lean()).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('counts an abandoned lease as a failed attempt and sends it again', async () => {
    await queueMail(models(), { key: 'dead:1', to: 'dead@example.com', subject: 'S', text: 'dead' });
    const old = new Date(Date.now() - 10 * 60_000);
    await models().MailLease.create({ _id: 'dead:1:1', jobId: 'dead:1', owner: 'gone', takenAt: old });
    expect(await sender().runOnce()).toEqual({ attempted: 0 });
    expect(await models().MailJob.findById('dead:1').lean()).toMatchObject({ status: 'pending', attempts: 1 });
    await sender().drain();
    expect(await models().MailJob.findById('dead:1').lean()).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await outboxTo('dead@example.com')).toBe(1);
  });

  it('runs in the background until stopped', async () => {
    const background = sender({ pollMs: 20 });
    background.start();
    await queueMail(models(), { key: 'bg:1', to: 'bg@example.com', subject: 'S', text: 'bg' });
    const deadline = Date.now() + 5000;
    while ((await outboxTo('bg@example.com')) === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await background.stop();
    expect(await outboxTo('bg@example.com')).toBe(1);
  });
});
