// Every way the driver says "the database cannot take this now" answers 503 problem+json with
// Retry-After, never 500; request errors that are not about availability keep their own status.
import express from 'express';
import { mongo } from 'mongoose';
import pino from 'pino';
import request from 'supertest';
import { DatabaseUnavailableError } from '../../../collector/db/health';
import { errorHandler, isDatabaseUnavailable } from '../../../collector/http/errors';

const network = () => new mongo.MongoNetworkError('connection 4 to 127.0.0.1:27017 closed');
const server = (code: number, codeName: string, labels: string[] = []) =>
  new mongo.MongoServerError({ ok: 0, code, codeName, errmsg: codeName, errorLabels: labels });

const unavailable: Array<[string, () => unknown]> = [
  ['a refusal while known down', () => new DatabaseUnavailableError()],
  ['a network error', network],
  ['a network timeout', () => new mongo.MongoNetworkTimeoutError('timed out')],
  [
    'no server selectable',
    () => new mongo.MongoServerSelectionError('Server selection timed out', { error: undefined } as never),
  ],
  ['a closed client', () => new mongo.MongoClientClosedError()],
  ['a closed topology', () => new mongo.MongoTopologyClosedError()],
  [
    'a write concern error',
    () => new mongo.MongoWriteConcernError({ ok: 1, writeConcernError: { code: 64, errmsg: 'wtimeout' } }),
  ],
  ...(
    [
      [10107, 'NotWritablePrimary'],
      [11602, 'InterruptedDueToReplStateChange'],
      [91, 'ShutdownInProgress'],
      [189, 'PrimarySteppedDown'],
      [64, 'WriteConcernFailed'],
      [13435, 'NotPrimaryNoSecondaryOk'],
      [11600, 'InterruptedAtShutdown'],
      [6, 'HostUnreachable'],
      [7, 'HostNotFound'],
      [89, 'NetworkTimeout'],
      [9001, 'SocketException'],
    ] as const
  ).map(([code, name]): [string, () => unknown] => [`server error ${code} ${name}`, () => server(code, name)]),
  ['a retryable-write label on another code', () => server(262, 'ExceededTimeLimit', ['RetryableWriteError'])],
  ['a bulk write cut short by a closed connection', () => new mongo.MongoBulkWriteError(network(), {} as never)],
  [
    'a bulk write with a write concern error',
    () => new mongo.MongoBulkWriteError({ message: 'waiting for replication timed out', code: 64 }, {} as never),
  ],
];

const notAboutAvailability: Array<[string, number, () => unknown]> = [
  ['a duplicate key', 500, () => server(11000, 'DuplicateKey')],
  [
    'a bulk write refused for duplicates',
    500,
    () =>
      new mongo.MongoBulkWriteError(
        { message: 'E11000', code: 11000, writeErrors: [{ index: 0, code: 11000 }] as never },
        {} as never,
      ),
  ],
  ['a programming error', 500, () => new TypeError('x is undefined')],
  ['a bad JSON body', 400, () => Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed' })],
];

function appThrowing(error: unknown) {
  const app = express();
  app.get('/', () => {
    throw error;
  });
  app.use(errorHandler(pino({ level: 'silent' })));
  return app;
}

describe('database errors', () => {
  it.each(unavailable)('%s answers 503 with Retry-After', async (_what, make) => {
    const error = make();
    expect(isDatabaseUnavailable(error)).toBe(true);
    const answer = await request(appThrowing(error)).get('/');
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('5');
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ status: 503, type: '/problems/database-unavailable' });
  });

  it.each(notAboutAvailability)('%s answers %i, not 503', async (_what, status, make) => {
    const error = make();
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect((await request(appThrowing(error)).get('/')).status).toBe(status);
  });
});
