import { Router } from 'express';
import { idempotentId } from '../idempotency.js';
import { createJobSchema, searchQuerySchema, updateJobSchema } from '../../contract/index.js';
import { jobStream } from '../../core/types.js';
import { lastEventIdOf, streamEvents } from '../sse.js';
import { ownerOf, type ApiDeps } from '../context.js';
import { createJobService } from '../services/jobs.js';
import { badRequest } from '../errors.js';
import { receiveFile } from '../upload.js';

export function jobsRouter(deps: ApiDeps): Router {
  const jobs = createJobService(deps);
  const router = Router();

  router.post('/api/jobs', async (req, res) => {
    const owner = ownerOf(req, res);
    const job = await jobs.create(owner, createJobSchema.parse(req.body), idempotentId(req, owner, 'job'));
    res.status(201).location(`/api/jobs/${job.id}`).json(job);
  });

  router.get('/api/jobs', async (req, res) => {
    res.json(await jobs.list(ownerOf(req, res)));
  });

  router.get('/api/jobs/:id', async (req, res) => {
    res.json(await jobs.view(await jobs.get(ownerOf(req, res), req.params.id)));
  });

  router.patch('/api/jobs/:id', async (req, res) => {
    res.json(await jobs.update(ownerOf(req, res), req.params.id, updateJobSchema.parse(req.body)));
  });

  router.delete('/api/jobs/:id', async (req, res) => {
    // Accepted: the job shows as `deleting` until its workflow has removed it (then GET answers 404).
    const job = await jobs.remove(ownerOf(req, res), req.params.id);
    res.status(202).location(`/api/jobs/${job.id}`).json(job);
  });

  router.get('/api/jobs/:id/documents', async (req, res) => {
    res.json(await jobs.documents(ownerOf(req, res), req.params.id));
  });

  router.post('/api/jobs/:id/documents', receiveFile(deps.config.UPLOAD_MAX_BYTES), async (req, res) => {
    if (!req.file) throw badRequest('send the document as the multipart field "file"');
    const accepted = await jobs.upload(ownerOf(req, res), String(req.params.id), {
      name: req.file.originalname,
      bytes: req.file.buffer,
      kind: (req.body as Record<string, unknown> | undefined)?.kind,
    });
    res.status(202).json(accepted);
  });

  router.get('/api/jobs/:id/documents/:documentId', async (req, res) => {
    res.json(await jobs.document(ownerOf(req, res), req.params.id, req.params.documentId));
  });

  router.get('/api/jobs/:id/events', async (req, res) => {
    const job = await jobs.get(ownerOf(req, res), req.params.id);
    streamEvents({
      req,
      res,
      stream: jobStream(job.id),
      afterId: lastEventIdOf(req),
      log: deps.events,
      heartbeatMs: deps.config.SSE_HEARTBEAT_MS,
    });
  });

  router.get('/api/jobs/:id/search', async (req, res) => {
    const job = await jobs.get(ownerOf(req, res), req.params.id);
    const { q, k, kind } = searchQuerySchema.parse(req.query);
    const hits = await deps.retrieve(job.id, q, k, kind ? [kind] : undefined);
    res.json({
      results: hits.map((h) => ({
        documentId: h.documentId,
        chunkId: h.chunkId,
        kind: h.kind,
        text: h.text,
        score: h.score,
      })),
    });
  });

  return router;
}
