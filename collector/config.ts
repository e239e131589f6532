// Configuration from the environment (DESIGN.md §7), read and validated once at start-up.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { parseRate, type Rate } from './domain/money';

export interface Config {
  mongodbUri: string | undefined;
  port: number;
  sitePort: number;
  siteUrl: string;
  allowedOrigins: string[];
  jwtSecret: string;
  signupSecret: string;
  adminKey: string | undefined;
  serverKey: string | undefined;
  cookieDays: number;
  holdDays: number;
  minPayout: number;
  commissionRate: Rate;
  commissionableKinds: string[];
  currency: string;
  clickRetentionDays: number;
  dataDir: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** `manual`: a confirmed partner waits in `pending_approval` until an operator approves. */
  partnerApproval: 'auto' | 'manual';
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const optionalText = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .optional();
const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const whole = (fallback: number, min = 0) => z.coerce.number().int().min(min).max(1_000_000_000).default(fallback);
const origin = z.url({ protocol: /^https?$/ }).transform((value) => new URL(value).origin);
const kinds = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((kind) => kind.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/)).min(1));

const schema = z.object({
  MONGODB_URI: optionalText.pipe(
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb://')
      .optional(),
  ),
  PORT: port(4000),
  SITE_PORT: port(8080),
  ASHOP_SITE_URL: origin.default('http://localhost:8080'),
  ASHOP_ALLOWED_ORIGINS: optionalText.pipe(
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      )
      .pipe(z.array(origin))
      .optional(),
  ),
  ASHOP_JWT_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  ASHOP_SIGNUP_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  ASHOP_ADMIN_KEY: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  ASHOP_SERVER_KEY: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  ASHOP_COOKIE_DAYS: whole(60, 1),
  ASHOP_HOLD_DAYS: whole(120),
  ASHOP_MIN_PAYOUT: whole(10000, 1),
  ASHOP_COMMISSION_RATE: z
    .string()
    .default('0.25')
    .transform((value, ctx) => {
      const rate = parseRate(value);
      if (!rate) ctx.addIssue({ code: 'custom', message: 'must be a decimal from 0 to 1 with at most 6 decimals' });
      return rate ?? z.NEVER;
    }),
  ASHOP_COMMISSIONABLE_KINDS: kinds.default(['plan', 'app']),
  ASHOP_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code')
    .default('USD'),
  ASHOP_CLICK_RETENTION_DAYS: whole(400, 1),
  ASHOP_DATA_DIR: z.string().min(1).default('.data'),
  SMTP_URL: optionalText.pipe(
    z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
  ),
  MAIL_FROM: z.string().min(3).default('Ashop Partners <partners@ashop.example>'),
  ASHOP_PARTNER_APPROVAL: z.enum(['auto', 'manual']).default('auto'),
});

/**
 * Parses the environment. Secrets not given are generated once and kept in the data folder,
 * so tokens survive restarts. Throws ConfigError naming every bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.ASHOP_DATA_DIR);
  const needsSecrets = !e.ASHOP_JWT_SECRET || !e.ASHOP_SIGNUP_SECRET;
  const stored = needsSecrets ? storedSecrets(dataDir) : undefined;
  return {
    mongodbUri: e.MONGODB_URI,
    port: e.PORT,
    sitePort: e.SITE_PORT,
    siteUrl: e.ASHOP_SITE_URL,
    allowedOrigins: e.ASHOP_ALLOWED_ORIGINS ?? [e.ASHOP_SITE_URL],
    jwtSecret: e.ASHOP_JWT_SECRET ?? stored!.jwtSecret,
    signupSecret: e.ASHOP_SIGNUP_SECRET ?? stored!.signupSecret,
    adminKey: e.ASHOP_ADMIN_KEY,
    serverKey: e.ASHOP_SERVER_KEY,
    cookieDays: e.ASHOP_COOKIE_DAYS,
    holdDays: e.ASHOP_HOLD_DAYS,
    minPayout: e.ASHOP_MIN_PAYOUT,
    commissionRate: e.ASHOP_COMMISSION_RATE,
    commissionableKinds: e.ASHOP_COMMISSIONABLE_KINDS,
    currency: e.ASHOP_CURRENCY,
    clickRetentionDays: e.ASHOP_CLICK_RETENTION_DAYS,
    dataDir,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    partnerApproval: e.ASHOP_PARTNER_APPROVAL,
  };
}

interface Secrets {
  jwtSecret: string;
  signupSecret: string;
}

function storedSecrets(dataDir: string): Secrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>;
    if (saved.jwtSecret && saved.signupSecret) return { jwtSecret: saved.jwtSecret, signupSecret: saved.signupSecret };
  }
  const secrets: Secrets = {
    jwtSecret: randomBytes(32).toString('base64url'),
    signupSecret: randomBytes(32).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
