// Admin only: ingestion runs across all users — list, rerun one job or all, cancel; the coach's prompt/model
// version — which one runs, and a reload of the registry's `production` version.
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { userOf, type ApiDeps } from '../context.js';
import { HttpError } from '../errors.js';
import { createIngestionService } from '../services/ingestion.js';

const requireAdmin: RequestHandler = (req, res, next) => {
  if (userOf(req, res).role !== 'admin')
    return next(new HttpError(403, 'Forbidden', 'only admins use the admin API'));
  next();
};

const listQuery = z.object({
  jobId: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export function adminRouter(deps: ApiDeps): Router {
  const ingestion = createIngestionService(deps);
  const router = Router();
  router.use('/api/admin', requireAdmin);

  router.get('/api/admin/ingestion-runs', async (req, res) => {
    res.json(await ingestion.list(listQuery.parse(req.query)));
  });

  router.post('/api/admin/jobs/:id/reingest', async (req, res) => {
    res.status(202).json({ runId: await ingestion.reindex(userOf(req, res).id, req.params.id) });
  });

  router.post('/api/admin/reingest', async (req, res) => {
    res.status(202).json({ runs: await ingestion.reindexAll(userOf(req, res).id) });
  });

  router.post('/api/admin/ingestion-runs/:id/cancel', async (req, res) => {
    await ingestion.cancel(req.params.id);
    res.status(202).json({ runId: req.params.id, status: 'cancelling' });
  });

  router.get('/api/admin/coach', (_req, res) => {
    res.json(deps.coachVersion.current());
  });

  router.post('/api/admin/coach/reload', async (_req, res) => {
    res.json(await deps.coachVersion.reload());
  });

  return router;
}
