// The rules for account fields, shared by partner sign-up, settings, login and operator accounts.
import { z } from 'zod';

/** Emails are compared and stored trimmed and lower-cased. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/**
 * The mailbox an address reaches, to tell whether two addresses are one person: normalized, and
 * a `+tag` in the local part dropped (`Ann+shop@x.example` is `ann@x.example`).
 */
export function canonicalEmail(email: string): string {
  const normal = normalizeEmail(email);
  const at = normal.lastIndexOf('@');
  if (at < 1) return normal;
  return normal.slice(0, at).replace(/\+.*$/, '') + normal.slice(at);
}

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 200;

export const EMAIL_MAX_LENGTH = 254;
export const emailSchema = z.email().max(EMAIL_MAX_LENGTH);
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH);
/** One-time tokens from emailed links (opaque to the client). */
export const tokenSchema = z.string().min(1).max(300);
export const websiteSchema = z.url({ protocol: /^https?$/ }).max(300);
export const nameSchema = z.string().trim().min(1).max(120);
