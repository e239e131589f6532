// While the database is known to be unreachable, requests that need it are refused at once (503
// with Retry-After, through the error handler) instead of each waiting out server selection.
import type { RequestHandler } from 'express';
import type { DatabaseHealth } from '../db/health';

export function databaseGuard(database: DatabaseHealth): RequestHandler {
  return (req, _res, next) => {
    // CORS preflights never touch the database.
    if (req.method !== 'OPTIONS') database.assertAvailable();
    next();
  };
}
