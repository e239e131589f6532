// Visitors are told apart by a salted hash of IP + user agent; the raw IP is never stored.
// The salt changes every UTC day (shared by all processes through the visitor_salts collection,
// first insert wins) and older salts are deleted, so yesterday's hashes cannot be recomputed.
import { createHash, randomBytes } from 'node:crypto';
import { addDays, utcDay } from '../domain/days';
import type { Models } from '../models';
import { isDuplicateKey } from './duplicates';

export function visitorHash(salt: string, ip: string, userAgent: string): string {
  return createHash('sha256').update(`${salt}\n${ip}\n${userAgent}`).digest('base64url').slice(0, 32);
}

export class VisitorHasher {
  private current: { day: string; salt: Promise<string> } | undefined;

  constructor(private readonly models: Models) {}

  /** Today's salt; on the first use of a day, created (or read from the process that won) and old ones dropped. */
  salt(now = new Date()): Promise<string> {
    const day = utcDay(now);
    if (this.current?.day !== day) {
      const salt = this.loadOrCreate(day, now);
      this.current = { day, salt };
      // A failed load must not stick for the whole day.
      salt.catch(() => {
        if (this.current?.salt === salt) this.current = undefined;
      });
    }
    return this.current.salt;
  }

  private async loadOrCreate(day: string, now: Date): Promise<string> {
    const existing = await this.models.VisitorSalt.findById(day).lean();
    if (existing) return existing.salt;
    const salt = randomBytes(32).toString('base64url');
    try {
      await this.models.VisitorSalt.create({ _id: day, salt });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const winner = await this.models.VisitorSalt.findById(day).lean();
      if (!winner) throw error;
      return winner.salt;
    }
    // Rotation: salts of earlier days, and the unique-click keys that only mattered on them.
    await this.models.VisitorSalt.deleteMany({ _id: { $lt: day } });
    await this.models.FirstSeen.deleteMany({ day: { $lt: utcDay(addDays(now, -1)) } });
    return salt;
  }
}
