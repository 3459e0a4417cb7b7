import { Router } from 'express';
import { idempotentId } from '../idempotency.js';
import { ownerOf, type ApiDeps } from '../context.js';
import { analyticsQuerySchema, answerSchema, createSessionSchema } from '../../contract/index.js';
import { createSessionService } from '../services/sessions.js';
import { createAnalyticsService } from '../services/analytics.js';
import { createExportService, exportFilename, toMarkdown, toPdf } from '../services/export.js';
import { lastEventIdOf, streamEvents } from '../sse.js';

/** A quoted download filename (the slugged names are plain ASCII, so no RFC 5987 form is needed). */
const attachment = (filename: string) => `attachment; filename="${filename}"`;

export function sessionsRouter(deps: ApiDeps): Router {
  const sessions = createSessionService(deps);
  const analytics = createAnalyticsService(deps);
  const exports = createExportService(deps);
  const router = Router();

  router.post('/api/sessions', async (req, res) => {
    const owner = ownerOf(req, res);
    const created = await sessions.create(
      owner,
      createSessionSchema.parse(req.body),
      idempotentId(req, owner, 'session'),
    );
    res.status(201).location(`/api/sessions/${created.id}`).json(created);
  });

  router.get('/api/sessions', async (req, res) => {
    res.json(await sessions.list(ownerOf(req, res)));
  });

  router.get('/api/analytics', async (req, res) => {
    res.json(await analytics.of(ownerOf(req, res), analyticsQuerySchema.parse(req.query)));
  });

  router.get('/api/sessions/:id', async (req, res) => {
    res.json(await sessions.get(ownerOf(req, res), req.params.id));
  });

  router.get('/api/sessions/:id/export.md', async (req, res) => {
    const data = await exports.of(ownerOf(req, res), req.params.id);
    res
      .type('text/markdown; charset=utf-8')
      .set('content-disposition', attachment(exportFilename(data, 'md')))
      .send(toMarkdown(data));
  });

  router.get('/api/sessions/:id/export.pdf', async (req, res) => {
    const data = await exports.of(ownerOf(req, res), req.params.id);
    const pdf = await toPdf(data);
    res
      .type('application/pdf')
      .set('content-disposition', attachment(exportFilename(data, 'pdf')))
      .send(Buffer.from(pdf));
  });

  router.post('/api/sessions/:id/answers', async (req, res) => {
    res
      .status(202)
      .json(await sessions.answer(ownerOf(req, res), req.params.id, answerSchema.parse(req.body)));
  });

  router.post('/api/sessions/:id/retry', async (req, res) => {
    res.status(202).json(await sessions.retry(ownerOf(req, res), req.params.id));
  });

  router.post('/api/sessions/:id/next', async (req, res) => {
    res.status(202).json(await sessions.next(ownerOf(req, res), req.params.id));
  });

  router.post('/api/sessions/:id/end', async (req, res) => {
    res.status(202).json(await sessions.end(ownerOf(req, res), req.params.id));
  });

  router.get('/api/sessions/:id/events', async (req, res) => {
    const session = await sessions.row(ownerOf(req, res), req.params.id);
    const afterId = lastEventIdOf(req);
    streamEvents({
      req,
      res,
      stream: session.id,
      afterId,
      log: deps.events,
      heartbeatMs: deps.config.SSE_HEARTBEAT_MS,
    });
  });

  return router;
}
