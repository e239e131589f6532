// Test support for the SDK: a real HTTP endpoint on loopback that answers like the collector's
// browser endpoints (CORS preflight, text/plain JSON) and records what it received; and helpers to
// look at the browser state the SDK leaves behind in happy-dom.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  contentType: string | undefined;
  origin: string | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever fields a request carried
  body: any;
}

export interface Answer {
  status: number;
  json: unknown;
  headers?: Record<string, string>;
}

export interface Endpoint {
  /** e.g. `http://127.0.0.1:41234` */
  origin: string;
  /** Every POST, in arrival order. */
  received: Received[];
  /** Resolves with the next POST to arrive (or the oldest one not yet taken). */
  next(): Promise<Received>;
  /** The answer to POSTs to `path` (default: 202 `{}`), or a function of what arrived. */
  answer(path: string, answer: Answer | ((received: Received) => Answer)): void;
  /** Extra routes (GET files for the script tag and the Chromium test). */
  serve(path: string, contentType: string, body: string): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startEndpoint(): Promise<Endpoint> {
  const received: Received[] = [];
  let taken = 0;
  let waiting: ((r: Received) => void)[] = [];
  const answers = new Map<string, Answer | ((received: Received) => Answer)>();
  const files = new Map<string, { contentType: string; body: string }>();

  const cors = (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
    res.setHeader('Access-Control-Allow-Credentials', 'true');
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      cors(req, res);
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
        return res.writeHead(204).end();
      }
      if (req.method === 'GET') {
        const file = files.get(path);
        if (!file) return res.writeHead(404).end();
        return res.writeHead(200, { 'Content-Type': file.contentType, 'Cache-Control': 'no-store' }).end(file.body);
      }
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: the raw text is recorded
      }
      const entry = {
        method: req.method ?? '',
        path,
        contentType: req.headers['content-type'],
        origin: req.headers.origin,
        body,
      };
      received.push(entry);
      const answerOf = answers.get(path) ?? { status: 202, json: {} };
      const answer = typeof answerOf === 'function' ? answerOf(entry) : answerOf;
      res
        .writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers })
        .end(JSON.stringify(answer.json));
      const waiter = waiting.shift();
      if (waiter) {
        taken++;
        waiter(entry);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    next: () =>
      new Promise<Received>((resolve, reject) => {
        if (taken < received.length) return resolve(received[taken++]!);
        const timer = setTimeout(() => reject(new Error('no request arrived within 5 s')), 5000);
        waiting.push((r) => {
          clearTimeout(timer);
          resolve(r);
        });
      }),
    answer: (path, answer) => void answers.set(path, answer),
    serve: (path, contentType, body) => void files.set(path, { contentType, body }),
    reset: () => {
      received.length = 0;
      taken = 0;
      waiting = [];
      answers.clear();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface RequestWatch {
  /** One promise per request the page started, settled once its answer (or failure) has landed. */
  started: Promise<unknown>[];
  /** Waits until every request started so far has its answer. */
  settled(): Promise<void>;
  restore(): void;
}

/**
 * Watches every request the page starts, as it starts. The SDK calls sendBeacon or fetch on the
 * code path that sends, never later, and happy-dom's sendBeacon goes through window.fetch: so right
 * after that path, `started` says whether anything was sent, without waiting for what should not
 * come. Awaiting `settled()` before teardown lets every answer land (happy-dom leaves a request
 * still open at teardown aborted and unhandled).
 */
export function watchRequests(): RequestWatch {
  const own = Object.getOwnPropertyDescriptor(window, 'fetch');
  const original = window.fetch;
  const started: Promise<unknown>[] = [];
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const request = original.call(window, input, init);
    started.push(request.catch(() => undefined));
    return request;
  };
  return {
    started,
    settled: async () => void (await Promise.all(started)),
    restore: () =>
      own ? Object.defineProperty(window, 'fetch', own) : delete (window as unknown as Record<string, unknown>).fetch,
  };
}

export const UUID_V4 = /^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/;
