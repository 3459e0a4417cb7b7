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

  router.put('/api/panel-templates/:id', async (req, res) => {
    const body = panelTemplateSchema.parse(req.body);
    res.json(await panels.update(ownerOf(req, res), req.params.id, body));
  });

  router.delete('/api/panel-templates/:id', async (req, res) => {
    await panels.remove(ownerOf(req, res), req.params.id);
    res.status(204).end();
  });

  return router;
}
