// Partner facts for the hot tracking path, cached per process for a few seconds (docs/ARCHITECTURE.md §6:
// caches may be per process). Money decisions (signups, revenue) read the database instead.
import type { Models } from '../models';

export interface CachedPartner {
  status: string;
}

export class PartnerCache {
  private readonly entries = new Map<string, { value: CachedPartner | null; expires: number }>();

  constructor(
    private readonly models: Models,
    private readonly ttlMs = 5000,
    private readonly maxEntries = 100_000,
  ) {}

  /** Statuses of the given partners (null = unknown partner), the cache misses read by key. */
  async statuses(partnerIds: Iterable<string>): Promise<Map<string, CachedPartner | null>> {
    const now = Date.now();
    const found = new Map<string, CachedPartner | null>();
    const missing: string[] = [];
    for (const id of new Set(partnerIds)) {
      const entry = this.entries.get(id);
      if (entry && entry.expires > now) found.set(id, entry.value);
      else missing.push(id);
    }
    if (missing.length > 0) {
      // One lookup by key each: an `$in` filter reads every partner on the embedded engine.
      const partners = await Promise.all(missing.map((id) => this.models.Partner.findById(id, { status: 1 }).lean()));
      const byId = new Map(partners.flatMap((partner) => (partner ? [[partner._id, { status: partner.status }]] : [])));
      if (this.entries.size + missing.length > this.maxEntries) this.entries.clear();
      for (const id of missing) {
        const value = byId.get(id) ?? null;
        found.set(id, value);
        this.entries.set(id, { value, expires: now + this.ttlMs });
      }
    }
    return found;
  }

  /** Drops a partner's entry, so a status change made by this process applies to its next click. */
  forget(partnerId: string): void {
    this.entries.delete(partnerId);
  }

  async status(partnerId: string): Promise<CachedPartner | null> {
    return (await this.statuses([partnerId])).get(partnerId) ?? null;
  }
}
