// A collector app on the test file's database, with a test configuration.
import type { Connection } from 'mongoose';
import pino from 'pino';
import { createCollector, type Collector } from '../../collector/app';
import { loadConfig, type Config } from '../../collector/config';
import { syncIndexes } from '../../collector/models';
import { createMailSender, type MailSender } from '../../collector/services/mail-queue';

export const testServerKey = 'test-server-key-0123456789';
export const testAdminKey = 'test-admin-key-0123456789';

export function testConfig(env: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({
    ASHOP_JWT_SECRET: 'test-jwt-secret-that-is-long-enough-0123',
    ASHOP_SIGNUP_SECRET: 'test-signup-secret-that-is-long-enough-01',
    ASHOP_SERVER_KEY: testServerKey,
    ASHOP_ADMIN_KEY: testAdminKey,
    ASHOP_SITE_URL: 'http://localhost:8080',
    ...env,
  });
}

export async function testCollector(connection: Connection, env: NodeJS.ProcessEnv = {}): Promise<Collector> {
  const collector = createCollector({
    config: testConfig(env),
    connection,
    logger: pino({ level: 'silent' }),
    checkAnswers: true,
  });
  await syncIndexes(collector.context.models);
  return collector;
}

const mailSenders = new WeakMap<Collector, MailSender>();

/** Sends the collector's queued mail that is due by `now` (tests run no background sender). */
export async function drainMail(collector: Collector, now?: Date): Promise<void> {
  let sender = mailSenders.get(collector);
  if (!sender) {
    sender = createMailSender(collector.context);
    mailSenders.set(collector, sender);
  }
  await sender.drain(now);
}
