import { Router } from 'express';
import { registry } from '../../core/metrics.js';
import type { ApiDeps } from '../context.js';
import { problem } from '../errors.js';
import { openApiDocument } from '../openapi.js';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)),
  ]);

export function systemRouter(deps: ApiDeps): Router {
  const router = Router();
  const document = openApiDocument();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(deps.checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 3000);
          return [name, 'ok'] as const;
        } catch (err) {
          return [name, err instanceof Error ? err.message : String(err)] as const;
        }
      }),
    );
    const failing = results.filter(([, r]) => r !== 'ok');
    if (failing.length === 0) {
      res.json({ status: 'ready', checks: Object.fromEntries(results) });
    } else {
      res
        .status(503)
        .type('application/problem+json')
        .json({
          ...problem(
            503,
            'Service Unavailable',
            `not ready: ${failing.map(([n, r]) => `${n} (${r})`).join(', ')}`,
          ),
          checks: Object.fromEntries(results),
        });
    }
  });

  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  router.get('/api/openapi.json', (_req, res) => {
    res.json(document);
  });

  router.get('/api/meta', (_req, res) => {
    res.json(deps.meta);
  });

  return router;
}
