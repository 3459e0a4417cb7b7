// The admin API (admins change, reviewers read: api/auth/roles.ts): ingestion runs across all users — list,
// rerun one job or all, cancel; the coach's prompt/model version — which one runs, and a reload of the
// registry's `production` version; the judgement weights' registry versions, promoted (gated) and rolled back. The embedded default's local admin reaches its own data only.
import { Router } from 'express';
import { judgementPromoteSchema, promoteSchema, runsQuerySchema } from '../../contract/index.js';
import { adminScopeOf, userOf, type ApiDeps } from '../context.js';
import { adminApiAccess } from '../auth/roles.js';
import { createIngestionService } from '../services/ingestion.js';
import { createCoachAdminService } from '../services/coach.js';

export function adminRouter(deps: ApiDeps): Router {
  const ingestion = createIngestionService(deps);
  const coach = createCoachAdminService(deps);
  const router = Router();
  // Reviewers read (GET), admins read and change (see api/auth/roles.ts).
  router.use('/api/admin', adminApiAccess);

  router.get('/api/admin/ingestion-runs', async (req, res) => {
    res.json(await ingestion.list({ ...runsQuerySchema.parse(req.query), ownerId: adminScopeOf(res) }));
  });

  router.post('/api/admin/jobs/:id/reingest', async (req, res) => {
    res
      .status(202)
      .json({ runId: await ingestion.reindex(userOf(req, res).id, req.params.id, adminScopeOf(res)) });
  });

  router.post('/api/admin/reingest', async (req, res) => {
    res.status(202).json({ runs: await ingestion.reindexAll(userOf(req, res).id, adminScopeOf(res)) });
  });

  router.post('/api/admin/ingestion-runs/:id/cancel', async (req, res) => {
    await ingestion.cancel(req.params.id, adminScopeOf(res));
    res.status(202).json({ runId: req.params.id, status: 'cancelling' });
  });

  router.get('/api/admin/coach', (_req, res) => {
    res.json(deps.coachVersion.current());
  });

  router.post('/api/admin/coach/reload', async (_req, res) => {
    res.json(await deps.coachVersion.reload());
  });

  router.get('/api/admin/coach/versions', async (_req, res) => {
    res.json(await coach.versions());
  });

  router.post('/api/admin/coach/promote', async (req, res) => {
    res.json(await coach.promote(promoteSchema.parse(req.body).version));
  });

  router.post('/api/admin/coach/rollback', async (_req, res) => {
    res.json(await coach.rollback());
  });

  router.get('/api/admin/judgement/versions', async (_req, res) => {
    res.json(await coach.judgementVersions());
  });

  router.post('/api/admin/judgement/promote', async (req, res) => {
    const { version, force } = judgementPromoteSchema.parse(req.body);
    res.json(await coach.promoteJudgement(version, force));
  });

  router.post('/api/admin/judgement/rollback', async (_req, res) => {
    res.json(await coach.rollbackJudgement());
  });

  return router;
}
