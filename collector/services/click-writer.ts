// Click ingestion with group commit (docs/ARCHITECTURE.md §6): requests wait a few milliseconds so that one
// insertMany stores many clicks; each is answered only after its batch is stored, so nothing
// acknowledged is lost. On close, what is queued is written before the database closes.
import { DomainError } from '../domain/errors';
import { randomUUID } from 'node:crypto';
import { isbot } from 'isbot';
import { utcDay } from '../domain/days';
import { landingPage, type ClickEntry } from '../domain/stat-layout';
import type { Logger } from '../logger';
import type { Models } from '../models';
import { insertNew } from './duplicates';
import { isLivePartner } from '../domain/partner-live';
import type { PartnerCache } from './partner-cache';
import type { StatsFolder } from './stats-folder';
import { appendVisitorClicks, type VisitorClick } from './visitor-history';
import { visitorHash, type VisitorHasher } from './visitor-hash';

export interface ClickInput {
  cid: string;
  partnerId: string;
  bid?: string | undefined;
  data1?: string | undefined;
  data2?: string | undefined;
  vid?: string | undefined;
  url?: string | undefined;
  referrer?: string | undefined;
  /** Used for the visitor hash only; never stored. */
  ip: string;
  /**
   * The visitor's browser: bot-checked (isbot) and part of the visitor hash. Undefined for a
   * server's import that names none: the caller is a server, its own agent says nothing of the
   * visitor, so no bot check is made.
   */
  userAgent: string | undefined;
  occurredAt: Date;
  /** Recorded by the redirect `/r/:aid`. */
  redirect?: boolean;
}

export interface ClickOutcome {
  cid: string;
  /** The partner is pending or active (its links work). */
  partnerLive: boolean;
  /** A live partner's click from a browser (not a bot): it counts in the stats and may set the cookie. */
  counted: boolean;
}

interface Waiting {
  input: ClickInput;
  resolve(outcome: ClickOutcome): void;
  reject(error: unknown): void;
}

export interface ClickWriterOptions {
  /** How long the first click of a batch waits for company. */
  maxWaitMs?: number;
  maxBatch?: number;
  /** Batches written at once: while one waits on the database, the next one's lookups proceed. */
  maxInFlight?: number;
}

export class ClickWriter {
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly writers = new Set<Promise<void>>();
  private closed = false;
  private readonly maxWaitMs: number;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly deps: {
      models: Models;
      logger: Logger;
      partners: PartnerCache;
      visitors: VisitorHasher;
      stats: StatsFolder;
    },
    options: ClickWriterOptions = {},
  ) {
    this.maxWaitMs = options.maxWaitMs ?? 5;
    this.maxBatch = options.maxBatch ?? 500;
    this.maxInFlight = options.maxInFlight ?? 2;
  }

  /** Queues a click; resolves once it is stored (or known to be stored already). */
  submit(input: ClickInput): Promise<ClickOutcome> {
    if (this.closed)
      return Promise.reject(new DomainError('unavailable', 'The collector is stopping; retry.', 'stopping'));
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.kick();
      else this.timer ??= setTimeout(() => this.kick(), this.maxWaitMs);
    });
  }

  /** Writes every queued click now. */
  async flush(): Promise<void> {
    this.kick();
    while (this.writers.size > 0) await Promise.all(this.writers);
  }

  /** Stops taking clicks and writes every queued one. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /** Starts batch writes while fewer than maxInFlight run; each one ending picks up what queued meanwhile. */
  private kick(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writers.size < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      const writer: Promise<void> = this.write(batch).finally(() => {
        this.writers.delete(writer);
        if (this.queue.length > 0) this.kick();
      });
      this.writers.add(writer);
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    try {
      const outcomes = await this.store(batch.map((waiting) => waiting.input));
      batch.forEach((waiting, i) => waiting.resolve(outcomes[i]!));
    } catch (error) {
      this.deps.logger.error({ err: error, clicks: batch.length }, 'click batch not stored');
      for (const waiting of batch) waiting.reject(error);
    }
  }

  private async store(inputs: ClickInput[]): Promise<ClickOutcome[]> {
    const { models, partners, visitors, stats } = this.deps;
    const statuses = await partners.statuses(inputs.map((input) => input.partnerId));
    const salt = await visitors.salt();
    const facts = inputs.map((input) => {
      const bot = input.userAgent !== undefined && isbot(input.userAgent);
      const partnerLive = isLivePartner(statuses.get(input.partnerId));
      const hash = visitorHash(salt, input.ip, input.userAgent ?? '');
      return { bot, partnerLive, counted: partnerLive && !bot, visitorHash: hash, day: utcDay(input.occurredAt) };
    });
    // One visitor (vid, else the visitor hash), one partner, one UTC day: the first insert of the key wins.
    const countedIndexes = facts.flatMap((fact, i) => (fact.counted ? [i] : []));
    const firsts = await insertNew(
      models.FirstSeen.collection,
      countedIndexes.map((i) => {
        const input = inputs[i]!;
        const visitor = input.vid ? `v:${input.vid}` : `h:${facts[i]!.visitorHash}`;
        return { _id: `uclick:${input.partnerId}|${facts[i]!.day}|${visitor}`, day: facts[i]!.day };
      }),
    );
    const unique = new Set(countedIndexes.filter((_i, n) => firsts[n]));
    // The batch's counters are recorded before its clicks (see stats-folder.ts): one delta per batch.
    const batch = randomUUID();
    const counted: ClickEntry[] = countedIndexes.map((i) => ({
      ...withoutUndefined({ bid: inputs[i]!.bid, data1: inputs[i]!.data1, data2: inputs[i]!.data2 }),
      cid: inputs[i]!.cid,
      partnerId: inputs[i]!.partnerId,
      day: facts[i]!.day,
      page: landingPage(inputs[i]!.url),
      unique: unique.has(i),
    }));
    await stats.recordClicks(batch, counted);
    const stored = await insertNew(
      models.Click.collection,
      inputs.map((input, i) => clickDocument(input, facts[i]!, unique.has(i), batch)),
    );
    await stats.clicksStored(
      batch,
      counted,
      countedIndexes.flatMap((i, position) => (stored[i] ? [position] : [])),
    );
    await this.recordHistory(inputs, facts, stored);
    return inputs.map((input, i) => {
      const fact = facts[i]!;
      return {
        cid: input.cid,
        partnerLive: fact.partnerLive,
        counted: fact.counted,
      };
    });
  }

  /**
   * Adds counted clicks to their visitor's history. A click whose cid was stored before is a retry,
   * or the SDK reporting a redirect's click (`a_cid`) with its visitor ID: that one is linked to the
   * visitor (read by key; a retry of it adds a duplicate record of the same click, which changes no
   * decision).
   */
  private async recordHistory(
    inputs: ClickInput[],
    facts: Array<{ counted: boolean }>,
    stored: boolean[],
  ): Promise<void> {
    const { models } = this.deps;
    const fresh: VisitorClick[] = [];
    const seen: ClickInput[] = [];
    inputs.forEach((input, i) => {
      if (!input.vid) return;
      if (!stored[i]) seen.push(input);
      else if (facts[i]!.counted)
        fresh.push({
          vid: input.vid,
          cid: input.cid,
          partnerId: input.partnerId,
          bid: input.bid,
          redirect: input.redirect,
          occurredAt: input.occurredAt,
        });
    });
    const redirects = await Promise.all(
      seen.map((input) =>
        models.Click.findById(input.cid, {
          partnerId: 1,
          bid: 1,
          counted: 1,
          redirect: 1,
          vid: 1,
          occurredAt: 1,
        }).lean(),
      ),
    );
    redirects.forEach((click, i) => {
      const input = seen[i]!;
      if (click?.redirect && click.counted && !click.vid && click.partnerId === input.partnerId)
        fresh.push({
          vid: input.vid!,
          cid: click._id,
          partnerId: click.partnerId,
          bid: click.bid ?? undefined,
          redirect: true,
          occurredAt: click.occurredAt,
        });
    });
    await appendVisitorClicks(models, fresh);
  }
}

/** A click as stored: the facts judged at ingestion (bot, counted, unique) and the batch it was counted in. */
export function clickDocument(
  input: ClickInput,
  fact: { visitorHash: string; bot: boolean; counted: boolean },
  unique: boolean,
  batch: string,
) {
  return withoutUndefined({
    _id: input.cid,
    partnerId: input.partnerId,
    bid: input.bid,
    data1: input.data1,
    data2: input.data2,
    vid: input.vid,
    url: input.url,
    referrer: input.referrer,
    visitorHash: fact.visitorHash,
    bot: fact.bot,
    counted: fact.counted,
    unique,
    redirect: input.redirect || undefined,
    occurredAt: input.occurredAt,
    batch,
  });
}

function withoutUndefined<T extends object>(doc: T): T {
  return Object.fromEntries(Object.entries(doc).filter(([, value]) => value !== undefined)) as T;
}
