// Listening with start-up errors in one sentence: a port in use names the variable to change.
import { once } from 'node:events';
import type { Server } from 'node:http';
import { ConfigError } from './config';

interface Listenable {
  listen(port: number, host: string): Server;
}

/** `variable` is the setting that chose the port (PORT, SITE_PORT). */
export async function listen(app: Listenable, port: number, host: string, variable: string): Promise<Server> {
  const server = app.listen(port, host);
  try {
    await once(server, 'listening');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE')
      throw new ConfigError(`Port ${port} is already in use: stop what uses it, or set ${variable} to another port.`);
    if (code === 'EACCES')
      throw new ConfigError(`Port ${port} needs privileges this process lacks: set ${variable} to a port above 1023.`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new ConfigError(`HOST=${host} is not an address of this machine: set HOST to one (default 127.0.0.1).`);
    throw error;
  }
  return server;
}

const localNames = new Set(['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost']);

/**
 * The URL to show for a listening address: loopback and wildcard addresses as localhost, the
 * name the default ASHOP_SITE_URL (and so the allowed origins) uses.
 */
export function urlOf(host: string, port: number): string {
  const shown = localNames.has(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/**
 * The URL this machine reaches a server on `host` at, by address ("localhost" may resolve to ::1,
 * where an IPv4 listener is not); a wildcard address is reached on loopback.
 */
export function localUrlOf(host: string, port: number): string {
  const address = host === '0.0.0.0' || host === '::' || host === 'localhost' ? '127.0.0.1' : host;
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}
