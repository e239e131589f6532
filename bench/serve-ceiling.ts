// The HTTP ceiling: a bare node:http server that reads the body and answers 202, nothing else.
// Whatever the collector does per click costs throughput relative to this.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { reportStartupFailure, serveIpc } from './lib/child';

async function main(): Promise<void> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(202, { 'Content-Length': '0' });
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  serveIpc((server.address() as AddressInfo).port, {
    stop: () => {
      server.closeAllConnections();
      process.exit(0);
    },
  });
}

main().catch(reportStartupFailure);
