import { Router } from 'express';
import { ownerOf, type ApiDeps } from '../context.js';
import { panelTemplateSchema } from '../../contract/index.js';
import { createPanelService } from '../services/panels.js';

export function panelsRouter(deps: ApiDeps): Router {
  const panels = createPanelService(deps);
  const router = Router();

  router.get('/api/panel-templates', async (req, res) => {
    res.json(await panels.list(ownerOf(req, res)));
  });

  router.post('/api/panel-templates', async (req, res) => {
    const created = await panels.create(ownerOf(req, res), panelTemplateSchema.parse(req.body));
    res.status(201).json(created);
  });

  return router;
}
