// A merchant's webhook receiver on loopback: records what arrives, answers as told, and checks
// signatures the way a merchant would (written here from the documented format, not our code).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; created: number; data: Record<string, unknown> };
}

/** How to answer one request: a status, or hang past the sender's timeout. */
export type Answer = number | 'hang';

export interface Receiver {
  url: string;
  received: Received[];
  /** Answers for the next requests, in order; afterwards 200. */
  answers: Answer[];
  /** Resolves when `count` requests have arrived in total. */
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const answers: Answer[] = [];
  const waiters: Array<{ count: number; done: () => void }> = [];
  const hanging = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body, json: JSON.parse(body) as Received['json'] });
      for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.done();
      const answer = answers.shift() ?? 200;
      if (answer === 'hang') {
        const end = () => res.destroy();
        hanging.add(end);
        res.on('close', () => hanging.delete(end));
        return;
      }
      res.writeHead(answer, { 'Content-Type': 'text/plain' }).end(answer < 300 ? 'ok' : 'nope');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/ashop`,
    received,
    answers,
    waitFor: (count) =>
      received.length >= count ? Promise.resolve() : new Promise((done) => waiters.push({ count, done })),
    close: async () => {
      for (const end of hanging) end();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** Verifies `Ashop-Signature: t=<unix>,v1=<hex>,...` against one secret, within 5 minutes. */
export function verifySignature(header: string | string[] | undefined, body: string, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const parts = header.split(',').map((part) => part.split('=') as [string, string]);
  const t = parts.find(([name]) => name === 't')?.[1];
  if (!t || Math.abs(Date.now() / 1000 - Number(t)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return parts
    .filter(([name]) => name === 'v1')
    .some(([, hex]) => hex.length === expected.length * 2 && timingSafeEqual(Buffer.from(hex, 'hex'), expected));
}
