// Peer review requests (issue 13). The candidate's routes and a named reviewer's need an account; a link
// reviewer's (/api/shared-reviews/:token) need only the token, the passcode if the link has one, and the
// reviewer key the link gave them (api/auth/identity.ts lets them through; the rate limiter counts them).
import { Router, type Request, type Response } from 'express';
import {
  commentMarksInputSchema,
  commentReplyInputSchema,
  createReviewRequestSchema,
  openShareSchema,
  reviewSubmissionSchema,
} from '../../contract/index.js';
import { adminApiAccess } from '../auth/roles.js';
import { adminScopeOf, ownerOf, type ApiDeps } from '../context.js';
import { idempotentId } from '../idempotency.js';
import { createReviewService } from '../services/reviews.js';
import { lastEventIdOf, streamEvents } from '../sse.js';

const passcodeOf = (req: Request) => req.get('x-share-passcode') || undefined;
const keyOf = (req: Request) => req.get('x-reviewer-key') || undefined;

/** A recording, whole: the reviewer's page fetches it with its headers and plays it from memory. */
const sendRecording = (res: Response, rec: { bytes: Buffer; contentType: string }) =>
  res.type(rec.contentType).set('cache-control', 'private, no-store').send(rec.bytes);

export function reviewsRouter(deps: ApiDeps): Router {
  const reviews = createReviewService(deps);
  const router = Router();
  const stream = (req: Request, res: Parameters<typeof streamEvents>[0]['res'], id: string) =>
    streamEvents({
      req,
      res,
      stream: id,
      afterId: lastEventIdOf(req),
      log: deps.events,
      heartbeatMs: deps.config.SSE_HEARTBEAT_MS,
    });

  // The candidate.
  router.post('/api/sessions/:id/reviews', async (req, res) => {
    const owner = ownerOf(req, res);
    const input = createReviewRequestSchema.parse(req.body);
    const created = await reviews.create(owner, req.params.id, input, idempotentId(req, owner, 'review'));
    res.status(201).location(`/api/reviews/${created.id}`).json(created);
  });
  router.get('/api/reviews', async (req, res) => {
    res.json(await reviews.list(ownerOf(req, res)));
  });
  router.get('/api/notices', async (req, res) => {
    res.json(await reviews.notices(ownerOf(req, res)));
  });
  router.post('/api/notices/seen', async (req, res) => {
    await reviews.noticesSeen(ownerOf(req, res));
    res.status(204).end();
  });
  router.get('/api/reviews/:id', async (req, res) => {
    res.json(await reviews.get(ownerOf(req, res), req.params.id));
  });
  router.post('/api/reviews/:id/withdraw', async (req, res) => {
    res.json(await reviews.withdraw(ownerOf(req, res), req.params.id));
  });
  router.patch('/api/reviews/:id/comments/:commentId', async (req, res) => {
    const marks = commentMarksInputSchema.parse(req.body);
    res.json(await reviews.markComment(ownerOf(req, res), req.params.id, req.params.commentId, marks));
  });
  router.post('/api/reviews/:id/comments/:commentId/replies', async (req, res) => {
    const owner = ownerOf(req, res);
    const { text } = commentReplyInputSchema.parse(req.body);
    const id = idempotentId(req, owner, 'reply');
    res.status(201).json(await reviews.reply(owner, req.params.id, req.params.commentId, text, id));
  });
  router.post('/api/reviews/:id/answers/:answerId/practice', async (req, res) => {
    const owner = ownerOf(req, res);
    const id = idempotentId(req, owner, 'practice');
    const created = await reviews.practise(owner, req.params.id, req.params.answerId, id);
    res.status(201).location(`/api/sessions/${created.id}`).json(created);
  });
  router.get('/api/reviews/:id/events', async (req, res) => {
    stream(req, res, await reviews.streamOf(ownerOf(req, res), req.params.id));
  });

  router.get('/api/reviews/:id/answers/:answerId/audio', async (req, res) => {
    sendRecording(res, await reviews.recording(ownerOf(req, res), req.params.id, req.params.answerId));
  });

  // A named reviewer (an account the candidate invited).
  router.get('/api/reviews/:id/reviewer', async (req, res) => {
    res.json(await reviews.asReviewer.view(ownerOf(req, res), req.params.id));
  });
  router.post('/api/reviews/:id/claim', async (req, res) => {
    res.json(await reviews.asReviewer.claim(ownerOf(req, res), req.params.id));
  });
  router.post('/api/reviews/:id/submission', async (req, res) => {
    const submission = reviewSubmissionSchema.parse(req.body);
    res.status(201).json(await reviews.asReviewer.submit(ownerOf(req, res), req.params.id, submission));
  });

  router.post('/api/reviews/:id/reviewer/comments/:commentId/replies', async (req, res) => {
    const reviewer = ownerOf(req, res);
    const { text } = commentReplyInputSchema.parse(req.body);
    const id = idempotentId(req, reviewer, 'reply');
    res
      .status(201)
      .json(await reviews.asReviewer.answer(reviewer, req.params.id, req.params.commentId, text, id));
  });

  // Anyone with the link.
  router.post('/api/shared-reviews/:token/open', async (req, res) => {
    const { passcode } = openShareSchema.parse(req.body ?? {});
    res.json(
      await reviews.shared.open(
        req.params.token,
        passcode ?? passcodeOf(req),
        req.get('x-reviewer-key') || undefined,
      ),
    );
  });
  router.get('/api/shared-reviews/:token', async (req, res) => {
    res.json(await reviews.shared.view(req.params.token, passcodeOf(req), keyOf(req)));
  });
  router.post('/api/shared-reviews/:token/claim', async (req, res) => {
    res.json(await reviews.shared.claim(req.params.token, passcodeOf(req), keyOf(req)));
  });
  router.post('/api/shared-reviews/:token/submission', async (req, res) => {
    const submission = reviewSubmissionSchema.parse(req.body);
    res
      .status(201)
      .json(await reviews.shared.submit(req.params.token, passcodeOf(req), keyOf(req), submission));
  });
  router.post('/api/shared-reviews/:token/comments/:commentId/replies', async (req, res) => {
    const { text } = commentReplyInputSchema.parse(req.body);
    const { token, commentId } = req.params;
    res.status(201).json(await reviews.shared.answer(token, passcodeOf(req), keyOf(req), commentId, text));
  });
  router.get('/api/shared-reviews/:token/answers/:answerId/audio', async (req, res) => {
    const { token, answerId } = req.params;
    sendRecording(res, await reviews.shared.recording(token, passcodeOf(req), keyOf(req), answerId));
  });
  router.get('/api/shared-reviews/:token/events', async (req, res) => {
    stream(req, res, await reviews.shared.stream(req.params.token, passcodeOf(req)));
  });

  // Admins (and staff reviewers, read-only): how human reviewers agree with the coach.
  router.get('/api/admin/reviews/calibration', adminApiAccess, async (_req, res) => {
    res.json(await reviews.calibration(adminScopeOf(res)));
  });
  router.get('/api/admin/reviews/export', adminApiAccess, async (_req, res) => {
    res.json(await reviews.labelledSet(adminScopeOf(res)));
  });

  return router;
}
