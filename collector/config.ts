// Configuration from the environment (docs/CONTRACTS.md §6), read and validated once at start-up.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { parseRate, type Rate } from './domain/money';
import { attributionModels, type AttributionModel } from './domain/visitor-history';

export interface Config {
  mongodbUri: string | undefined;
  /** Address the collector and the demo site listen on. */
  host: string;
  port: number;
  sitePort: number;
  /** Express `trust proxy`: a hop count, or the addresses/subnets of trusted proxies. */
  trustProxy: number | string[];
  /** /healthz answers 503 once the database has been unreachable this long. */
  unhealthyAfterSeconds: number;
  siteUrl: string;
  /** The collector's own public origin: base of links in emails that the API answers (unsubscribe). */
  publicUrl: string;
  allowedOrigins: string[];
  jwtSecret: string;
  signupSecret: string;
  adminKey: string | undefined;
  serverKey: string | undefined;
  cookieDays: number;
  /** Which counted click of a live partner wins a signup: the visitor's first or last in the window. */
  attributionModel: AttributionModel;
  /** When a signup carries both a valid coupon code and a referral that attributes, which one wins. */
  couponPrecedence: 'coupon' | 'link';
  holdDays: number;
  minPayout: number;
  commissionRate: Rate;
  commissionableKinds: string[];
  currency: string;
  clickRetentionDays: number;
  /** Days sent mail and finished webhook deliveries (with their attempt leases) are kept. */
  deliveryLogDays: number;
  dataDir: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** How often a collector folds recorded facts into the counters (ms). */
  statsFoldMs: number;
  /** How long a recorded fact may take to be stored before the folder decides it never was (ms). */
  statsGraceMs: number;
  /** Signing secret of the Stripe webhook endpoint; the Stripe adapter is off without it. */
  stripeWebhookSecret: string | undefined;
  /** Invoice line kind when neither the line, its price nor its product names one. */
  stripeDefaultKind: string;
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

/** Names Express accepts besides addresses and subnets. */
const proxyNames = new Set(['loopback', 'linklocal', 'uniquelocal']);
const trustProxy = z
  .string()
  .trim()
  .default('loopback')
  .transform((value, ctx) => {
    if (/^\d{1,2}$/.test(value)) return Number(value);
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    const bad = entries.filter((entry) => !proxyNames.has(entry) && !isSubnet(entry));
    if (entries.length === 0 || bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a hop count or comma-separated addresses/subnets (or loopback, linklocal, uniquelocal); not ${bad.join(', ') || 'empty'}`,
      });
      return z.NEVER;
    }
    return entries;
  });

function isSubnet(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const schema = z.object({
  MONGODB_URI: optionalText.pipe(
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb://')
      .optional(),
  ),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: port(4000),
  SITE_PORT: port(8080),
  ASHOP_TRUST_PROXY: trustProxy,
  ASHOP_UNHEALTHY_AFTER_SECONDS: whole(60, 1),
  ASHOP_SITE_URL: origin.default('http://localhost:8080'),
  ASHOP_PUBLIC_URL: origin.optional(),
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
  ASHOP_ATTRIBUTION: z.enum(attributionModels).default('first'),
  ASHOP_COUPON_PRECEDENCE: z.enum(['coupon', 'link']).default('coupon'),
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
  ASHOP_DELIVERY_LOG_DAYS: whole(30, 1),
  ASHOP_DATA_DIR: z.string().min(1).default('.data'),
  SMTP_URL: optionalText.pipe(
    z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
  ),
  MAIL_FROM: z.string().min(3).default('Ashop Partners <partners@ashop.example>'),
  ASHOP_STATS_FOLD_MS: whole(1000, 10),
  ASHOP_STATS_GRACE_MS: whole(30_000, 100),
  ASHOP_STRIPE_WEBHOOK_SECRET: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  ASHOP_STRIPE_DEFAULT_KIND: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be a lowercase word (a-z 0-9 _ -)')
    .default('plan'),
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
  if (needsSecrets && e.MONGODB_URI) {
    // Secrets generated into one host's data folder would differ on every other collector.
    throw new ConfigError(
      'With MONGODB_URI set, ASHOP_JWT_SECRET and ASHOP_SIGNUP_SECRET must be set too (the same on every collector), e.g. from `openssl rand -base64 32`.',
    );
  }
  const stored = needsSecrets ? storedSecrets(dataDir) : undefined;
  return {
    mongodbUri: e.MONGODB_URI,
    host: e.HOST,
    port: e.PORT,
    sitePort: e.SITE_PORT,
    trustProxy: e.ASHOP_TRUST_PROXY,
    unhealthyAfterSeconds: e.ASHOP_UNHEALTHY_AFTER_SECONDS,
    siteUrl: e.ASHOP_SITE_URL,
    publicUrl: e.ASHOP_PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    allowedOrigins: e.ASHOP_ALLOWED_ORIGINS ?? [e.ASHOP_SITE_URL],
    jwtSecret: e.ASHOP_JWT_SECRET ?? stored!.jwtSecret,
    signupSecret: e.ASHOP_SIGNUP_SECRET ?? stored!.signupSecret,
    adminKey: e.ASHOP_ADMIN_KEY,
    serverKey: e.ASHOP_SERVER_KEY,
    cookieDays: e.ASHOP_COOKIE_DAYS,
    attributionModel: e.ASHOP_ATTRIBUTION,
    couponPrecedence: e.ASHOP_COUPON_PRECEDENCE,
    holdDays: e.ASHOP_HOLD_DAYS,
    minPayout: e.ASHOP_MIN_PAYOUT,
    commissionRate: e.ASHOP_COMMISSION_RATE,
    commissionableKinds: e.ASHOP_COMMISSIONABLE_KINDS,
    currency: e.ASHOP_CURRENCY,
    clickRetentionDays: e.ASHOP_CLICK_RETENTION_DAYS,
    deliveryLogDays: e.ASHOP_DELIVERY_LOG_DAYS,
    dataDir,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    statsFoldMs: e.ASHOP_STATS_FOLD_MS,
    statsGraceMs: e.ASHOP_STATS_GRACE_MS,
    stripeWebhookSecret: e.ASHOP_STRIPE_WEBHOOK_SECRET,
    stripeDefaultKind: e.ASHOP_STRIPE_DEFAULT_KIND,
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
