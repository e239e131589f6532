// Whether the database can be reached right now. A request that fails because the database is
// unreachable (http/errors.ts decides which errors mean that) or a failed /readyz ping marks it
// down; from then on requests are refused at once (503) instead of each waiting for the driver,
// and a probe pings every half second until the database answers again. (The driver's own
// topology events are no help here: a dead FerretDB leaves its description unchanged until the
// next heartbeat, 10 s later.) /healthz turns unhealthy once an outage lasts longer than configured.
import type { Connection } from 'mongoose';
import type { Logger } from '../logger';

/** Raised for requests refused while the database is unreachable (answered 503). */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
  constructor() {
    super('The database is unavailable; try again shortly.');
  }
}

const probeEveryMs = 500;

export class DatabaseHealth {
  private downSince: number | undefined;
  private probe: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly connection: Connection,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  get available(): boolean {
    return this.downSince === undefined;
  }

  /** How long the database has been unreachable (0 while it is reachable). */
  get downForMs(): number {
    return this.downSince === undefined ? 0 : this.now() - this.downSince;
  }

  /** Throws DatabaseUnavailableError while the database is known to be unreachable. */
  assertAvailable(): void {
    if (this.downSince !== undefined) throw new DatabaseUnavailableError();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.probe);
  }

  /** An operation failed because the database is unreachable: refuse requests until a ping answers. */
  markDown(): void {
    if (this.downSince !== undefined || this.closed) return;
    this.downSince = this.now();
    this.logger.warn('database unreachable: requests answer 503 until it is back');
    this.schedulePing();
  }

  private markUp(): void {
    if (this.downSince === undefined) return;
    const downMs = this.now() - this.downSince;
    this.downSince = undefined;
    clearTimeout(this.probe);
    this.logger.warn({ downMs }, `database reachable again after ${downMs} ms`);
  }

  private schedulePing(): void {
    this.probe = setTimeout(() => {
      const db = this.connection.db;
      const ping = db ? db.command({ ping: 1 }) : Promise.reject(new Error('not connected'));
      ping.then(
        () => this.markUp(),
        () => {
          if (this.downSince !== undefined && !this.closed) this.schedulePing();
        },
      );
    }, probeEveryMs);
    this.probe.unref();
  }
}
