// Whether the database can take writes right now, from the driver's own view of the topology (it
// sees a dead engine at the first failed operation or heartbeat). While it cannot, requests are
// refused at once (503) instead of each waiting out server selection, and a probe pings every
// half second so the driver notices the database coming back without waiting for its next
// heartbeat. /healthz turns unhealthy once the outage lasts longer than configured.
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

interface TopologyEvent {
  newDescription: { servers: Map<string, { isWritable: boolean }> };
}

export class DatabaseHealth {
  private downSince: number | undefined;
  private probe: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly onTopology = (event: TopologyEvent) => {
    const writable = [...event.newDescription.servers.values()].some((server) => server.isWritable);
    if (writable) this.markUp();
    else this.markDown();
  };

  constructor(
    private readonly connection: Connection,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    connection.getClient().on('topologyDescriptionChanged', this.onTopology);
  }

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
    this.connection.getClient().off('topologyDescriptionChanged', this.onTopology);
  }

  private markDown(): void {
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

  /** A ping makes the driver select a server, which makes it check the engine again at once. */
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
