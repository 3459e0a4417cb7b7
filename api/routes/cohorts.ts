// Cohorts: named groups whose members review each other's requests (api/services/cohorts.ts).
import { Router } from 'express';
import { createCohortSchema, joinCohortSchema } from '../../contract/index.js';
import { ownerOf, type ApiDeps } from '../context.js';
import { createCohortService } from '../services/cohorts.js';

export function cohortsRouter(deps: ApiDeps): Router {
  const cohorts = createCohortService(deps);
  const router = Router();
  router.post('/api/cohorts', async (req, res) => {
    const { name } = createCohortSchema.parse(req.body);
    res.status(201).json(await cohorts.create(ownerOf(req, res), name));
  });
  router.get('/api/cohorts', async (req, res) => {
    res.json(await cohorts.list(ownerOf(req, res)));
  });
  router.post('/api/cohorts/join', async (req, res) => {
    const { inviteCode } = joinCohortSchema.parse(req.body);
    res.json(await cohorts.join(ownerOf(req, res), inviteCode));
  });
  return router;
}
