// POST /v1/signups: from the merchant's server (server key), or from the browser with the
// signature the merchant's server computed (domain/signup-signature.ts).
import { Router } from 'express';
import { z } from 'zod';
import { sameSecret } from '../auth/api-keys';
import type { Context } from '../context';
import { signupSignature } from '../domain/signup-signature';
import { emailSchema } from '../domain/account-fields';
import { externalIdField, occurredAtField } from '../domain/validation';
import { optionalCaller } from '../http/auth';
import { HttpProblem } from '../http/problem';
import { recordSignup } from '../services/signups';
import { browserEndpoint } from '../http/browser-endpoint';
import { signupAnswer } from '../http/answers';
import type { Operation } from '../http/openapi';

const fields = {
  customerId: externalIdField,
  email: emailSchema.nullish().transform((value) => value ?? undefined),
  /** The cookie's object or its raw (URI-encoded JSON) value; judged by attribution, not here. */
  referral: z.union([z.string().max(4096), z.record(z.string(), z.unknown()), z.null()]).optional(),
  signature: z.string().max(128).optional(),
  /** Judged by the coupon rules (an unknown or malformed code is a reason, never a 4xx). */
  couponCode: z.string().max(64).optional(),
};
const browserSignup = z.object(fields);
const serverSignup = z.object({ ...fields, occurredAt: occurredAtField.optional() }).strict();

export function signupRoutes(context: Context): Router {
  const router = Router();
  router.post(
    '/v1/signups',
    ...browserEndpoint(router, '/v1/signups', context.config),
    optionalCaller(context),
    async (req, res) => {
      const fromServer = req.caller?.kind === 'key';
      const body = fromServer
        ? serverSignup.parse(req.body)
        : { ...browserSignup.parse(req.body), occurredAt: undefined };
      if (!fromServer) {
        if (!body.signature)
          throw new HttpProblem(401, 'A signup from a browser needs the signature (or send it with a server key).', {
            slug: 'signature-required',
          });
        // What the merchant signed decides: an email and a code ride only inside the signed payload.
        const given = body.signature.toLowerCase();
        const { signupSecret } = context.config;
        const signs = (email: string | undefined) =>
          sameSecret(given, signupSignature(signupSecret, body.customerId, email, body.couponCode));
        const emailSigned = body.email !== undefined && signs(body.email);
        if (!emailSigned && !signs(undefined))
          throw new HttpProblem(401, 'The signature does not match the customerId (and email, coupon code).', {
            slug: 'invalid-signature',
          });
        // An email the merchant did not sign is the browser's word only: it decides nothing.
        if (!emailSigned) body.email = undefined;
      }
      const attribution = await recordSignup(context, body);
      res.status(attribution.attributed ? 201 : 200).json(attribution);
    },
  );
  return router;
}

export const signupDocs: Operation[] = [
  {
    method: 'post',
    path: '/v1/signups',
    summary: 'A signup: from the server (server key) or the browser with the signature the server computed.',
    auth: 'browser',
    body: serverSignup,
    responses: { '200': 'Already recorded.', '201': 'Recorded, with its attribution.' },
    answer: signupAnswer,
  },
];
