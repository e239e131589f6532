// Serves the SDK bundle for the script tag: cacheable for a week (revalidated by ETag after) and
// readable cross-origin, since merchants load it from their own pages.
import { Router } from 'express';
import { sdkBundleDir } from '../paths';
import { HttpProblem } from '../http/problem';
import type { Operation } from '../http/openapi';

const weekSeconds = 7 * 24 * 60 * 60;

export function sdkRoutes(): Router {
  const router = Router();
  router.get(['/sdk/ashop.min.js', '/sdk/ashop.mjs'], (req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Cache-Control', `public, max-age=${weekSeconds}, stale-while-revalidate=${weekSeconds}`);
    res.sendFile(
      req.path.slice('/sdk/'.length),
      { root: sdkBundleDir, etag: true, lastModified: true, cacheControl: false },
      (error) => {
        if (!error) return;
        if (res.headersSent) return next(error);
        next(new HttpProblem(404, 'The SDK bundle is not built: run `npm run build`.', { slug: 'not-found' }));
      },
    );
  });
  return router;
}

export const sdkDocs: Operation[] = [
  {
    method: 'get',
    path: '/sdk/ashop.min.js',
    summary: 'The browser SDK for a script tag.',
    auth: 'public',
    responses: { '200': 'JavaScript.' },
    produces: 'text/javascript',
  },
  {
    method: 'get',
    path: '/sdk/ashop.mjs',
    summary: 'The browser SDK as an ES module.',
    auth: 'public',
    responses: { '200': 'JavaScript.' },
    produces: 'text/javascript',
  },
];
