// POST /v1/clicks: a click reported by the SDK (or imported by a server key). Answered 202 once
// stored (group commit); sets the `ashop_ref` cookie itself when the request is same-site.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Context } from '../context';
import { referralCookieScope } from '../domain/tracking-http';
import { bannerIdField, partnerIdField, subIdField, occurredAtField, urlField, uuidField } from '../domain/validation';
import { optionalCaller } from '../http/auth';
import { browserEndpoint } from '../http/browser-endpoint';
import { referralCookieAnswer, type ReportedClick } from '../services/referral-cookie';
import type { Operation } from '../http/openapi';

const optional = <T extends z.ZodType>(field: T) => field.nullish().transform((value) => value ?? undefined);

const clickFields = {
  aid: partnerIdField,
  bid: optional(bannerIdField),
  data1: optional(subIdField),
  data2: optional(subIdField),
  cid: uuidField,
  vid: uuidField,
  url: urlField,
  // The SDK sends the page's document.referrer: '' when there is none.
  referrer: urlField.nullish().transform((value) => value || undefined),
};
/** From browsers: unknown fields are ignored (older or newer SDKs). */
const browserClick = z.object(clickFields);
/** From a server key (imports): strict, and may say when, from where and with which browser. */
const importedClick = z
  .object({
    ...clickFields,
    occurredAt: occurredAtField.optional(),
    ip: z.union([z.ipv4(), z.ipv6()]).optional(),
    userAgent: z.string().max(1024).optional(),
  })
  .strict();

export function clickRoutes(context: Context): Router {
  const router = Router();
  router.post(
    '/v1/clicks',
    ...browserEndpoint(router, '/v1/clicks', context.config),
    optionalCaller(context),
    async (req, res) => {
      const now = new Date();
      const fromServer = req.caller?.kind === 'key';
      const body = fromServer
        ? importedClick.parse(req.body)
        : { ...browserClick.parse(req.body), occurredAt: undefined, ip: undefined, userAgent: undefined };
      const outcome = await context.tracking.clicks.submit({
        cid: body.cid,
        partnerId: body.aid,
        bid: body.bid,
        data1: body.data1,
        data2: body.data2,
        vid: body.vid,
        url: body.url,
        referrer: body.referrer,
        ip: body.ip ?? req.ip ?? '',
        // A server's import names the visitor's browser or none: never the importing server's own.
        userAgent: fromServer ? body.userAgent : (req.get('user-agent') ?? ''),
        occurredAt: body.occurredAt ?? now,
      });
      if (!fromServer) await answerWithCookie(context, req, res, { ...body, counted: outcome.counted }, now);
      res.status(202).json({ cid: outcome.cid });
    },
  );
  return router;
}

/** The collector's own Set-Cookie, when the request reached it same-site (README "Cookie, storage and requests"). */
async function answerWithCookie(
  context: Context,
  req: Request,
  res: Response,
  click: ReportedClick,
  now: Date,
): Promise<void> {
  const scope = referralCookieScope(req.hostname, context.config.siteUrl);
  if (!scope) return;
  const answer = await referralCookieAnswer(context, req.get('cookie'), click, now);
  if (!answer) return;
  res.cookie('ashop_ref', answer.value, {
    maxAge: answer.maxAgeMs,
    path: '/',
    sameSite: 'lax',
    secure: req.secure,
    httpOnly: false,
    ...(scope.domain ? { domain: scope.domain } : {}),
    // The value is already encoded as the SDK writes it.
    encode: String,
  });
}

export const clickDocs: Operation[] = [
  {
    method: 'post',
    path: '/v1/clicks',
    summary: 'A click from the SDK; with the server key, an imported click (may add occurredAt, ip, userAgent).',
    auth: 'browser',
    body: importedClick,
    responses: { '202': 'Stored; sets the referral cookie on same-site requests.' },
    answer: z.strictObject({ cid: z.string() }),
  },
];
