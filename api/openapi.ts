// The public contract (../shared/API.md) as OpenAPI 3.1, generated from the zod schemas of ../contract: the
// same schemas the routes validate requests with and the web client and admin CLI take their types from,
// so the document cannot drift from what the API accepts and answers. Here: only which route answers what.
import { OpenApiGeneratorV31, OpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  accountSchema,
  analyticsQuerySchema,
  analyticsSchema,
  answerSchema,
  audioFieldsSchema,
  audioSegmentParamsSchema,
  finishAudioSchema,
  segmentAcceptedSchema,
  authConfigSchema,
  coachMoveSchema,
  judgementMoveSchema,
  judgementPromoteSchema,
  judgementRegistrySchema,
  coachRegistrySchema,
  coachVersionSchema,
  commentMarksInputSchema,
  commentReplyInputSchema,
  commentReplySchema,
  createdSchema,
  createJobSchema,
  createReviewRequestSchema,
  openShareSchema,
  cohortSchema,
  createCohortSchema,
  joinCohortSchema,
  reviewCalibrationSchema,
  reviewClaimSchema,
  reviewCommentViewSchema,
  reviewLabelledSetSchema,
  reviewerViewSchema,
  reviewEventSchema,
  reviewListSchema,
  reviewNoticesSchema,
  reviewRequestCreatedSchema,
  reviewRequestSchema,
  reviewSubmissionSchema,
  shareOpenedSchema,
  createSessionSchema,
  panelTemplateSchema,
  panelTemplateEntrySchema,
  documentDetailSchema,
  documentEventSchema,
  healthSchema,
  ingestionRunSchema,
  jobDocumentSchema,
  jobSchema,
  loginSchema,
  meSchema,
  metaSchema,
  notReadySchema,
  problemSchema,
  promoteSchema,
  readySchema,
  reindexAllSchema,
  reindexStartedSchema,
  roundMovedSchema,
  runCancellingSchema,
  runsQuerySchema,
  searchQuerySchema,
  searchResultsSchema,
  sessionEventSchema,
  sessionSchema,
  sessionSummarySchema,
  signupSchema,
  ttsQuerySchema,
  turnAcceptedSchema,
  updateJobSchema,
  uploadAcceptedSchema,
  uploadFieldsSchema,
} from '../contract/index.js';

type Responses = RouteConfig['responses'];

const json = (description: string, schema: z.ZodType) => ({
  description,
  content: { 'application/json': { schema } },
});
const problem = (description = 'Problem') => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});
/** The problem answers of a route, by status. */
const problems = (...statuses: number[]): Responses =>
  Object.fromEntries(statuses.map((s) => [s, problem()]));
const jsonBody = (schema: z.ZodType) => ({
  required: true,
  content: { 'application/json': { schema } },
});
const binary = z.string().meta({ format: 'binary' });
const multipart = (schema: z.ZodType) => ({
  required: true,
  content: { 'multipart/form-data': { schema } },
});
const eventStream = (description: string, data: z.ZodType) => ({
  description: `${description}: \`text/event-stream\`, each event's \`data:\` one JSON object as below`,
  content: { 'text/event-stream': { schema: data } },
});

const idParams = z.object({ id: z.string() });
const turnParams = idParams.extend({ turnId: z.string() });
const documentParams = idParams.extend({ documentId: z.string() });
const tokenParams = z.object({ token: z.string() });
const commentParams = idParams.extend({ commentId: z.string() });
const answerParams = idParams.extend({ answerId: z.string() });
/** A link reviewer's headers: the key the link gave them, and the link's passcode if it has one. */
const linkReviewerHeaders = z.object({
  'x-reviewer-key': z.string().meta({ description: 'from POST /api/shared-reviews/{token}/open' }),
  'x-share-passcode': z.string().optional(),
});
const passcodeHeaders = z.object({ 'x-share-passcode': z.string().optional() });
/** What a share link answers when it does not open: 404 unknown or revoked, 410 expired, 401 passcode. */
const shareProblems = () => ({
  ...problems(400, 409, 429),
  401: problem('passcode_required or wrong_passcode (the detail starts with which), or no x-reviewer-key'),
  404: problem('no such link, or it was revoked or its request withdrawn'),
  410: problem('the link has expired'),
});
/** A retried create with the same key returns what the first attempt made (422 if the body differs). */
const idempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });
const lastEventIdHeaders = z.object({
  'last-event-id': z
    .string()
    .regex(/^\d+$/)
    .optional()
    .meta({ description: 'replay the events after this id, then live ones' }),
});

/** Every route the API serves, in the order of ../shared/API.md where it has them. */
function routes(): RouteConfig[] {
  return [
    {
      method: 'get',
      path: '/healthz',
      summary: 'Alive',
      responses: { 200: json('alive', healthSchema) },
    },
    {
      method: 'get',
      path: '/readyz',
      summary: 'Temporal, Chroma and the database answer',
      responses: {
        200: json('ready', readySchema),
        503: {
          description: 'not ready',
          content: { 'application/problem+json': { schema: notReadySchema } },
        },
      },
    },
    {
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics',
      responses: { 200: { description: 'text format', content: { 'text/plain': { schema: z.string() } } } },
    },
    {
      method: 'get',
      path: '/api/openapi.json',
      summary: 'This document',
      responses: {
        200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: z.object({}) } } },
      },
    },
    {
      method: 'get',
      path: '/api/meta',
      summary: 'Which coach and embeddings this deployment runs',
      responses: { 200: json('meta', metaSchema) },
    },
    {
      method: 'get',
      path: '/api/me',
      summary:
        "The signed-in user; `signedIn` is false for the embedded default's local user (no cookie, AUTH_MODE=local)",
      responses: { 200: json('user', meSchema), ...problems(401) },
    },
    {
      method: 'get',
      path: '/api/auth/config',
      summary: 'Public: the auth mode and the sign-in methods offered (password, company OIDC)',
      responses: { 200: json('auth config', authConfigSchema) },
    },
    {
      method: 'post',
      path: '/api/auth/signup',
      summary:
        'Create a candidate account (password: at least 10 characters) and sign in: sets the session and CSRF cookies',
      request: { body: jsonBody(signupSchema) },
      responses: { 201: json('account', accountSchema), ...problems(400, 409, 429) },
    },
    {
      method: 'post',
      path: '/api/auth/login',
      summary: 'Sign in with email and password: sets the session and CSRF cookies',
      request: { body: jsonBody(loginSchema) },
      responses: { 200: json('account', accountSchema), ...problems(400, 401, 429) },
    },
    {
      method: 'post',
      path: '/api/auth/logout',
      summary: 'Sign out this session',
      responses: { 204: { description: 'signed out' } },
    },
    {
      method: 'post',
      path: '/api/auth/logout-all',
      summary: "Sign out everywhere: end every session of the user's account",
      responses: { 204: { description: 'signed out everywhere' }, ...problems(401) },
    },
    {
      method: 'get',
      path: '/api/auth/oidc/start',
      summary: 'Company sign-in (when OIDC_* is set): redirects to the identity provider (PKCE, state)',
      responses: { 302: { description: 'to the identity provider' }, ...problems(404, 503) },
    },
    {
      method: 'get',
      path: '/api/auth/oidc/callback',
      summary: 'Where the identity provider sends the browser back: signs in, redirects to /',
      responses: { 302: { description: 'signed in' }, ...problems(400, 404, 409) },
    },
    {
      method: 'get',
      path: '/api/analytics',
      summary:
        'Progress across my sessions: per dimension over time, per competency and module, streak, next drill',
      request: { query: analyticsQuerySchema },
      responses: { 200: json('analytics', analyticsSchema), ...problems(400) },
    },
    {
      method: 'post',
      path: '/api/jobs',
      summary: 'Create a target job; ingestion starts at once',
      request: { headers: idempotencyHeaders, body: jsonBody(createJobSchema) },
      responses: { 201: json('created', jobSchema), ...problems(400, 413, 422) },
    },
    {
      method: 'get',
      path: '/api/jobs',
      summary: 'List my jobs',
      responses: { 200: json('jobs', z.array(jobSchema)) },
    },
    {
      method: 'get',
      path: '/api/jobs/{id}',
      summary: 'A job with its ingestion status',
      request: { params: idParams },
      responses: { 200: json('job', jobSchema), ...problems(404) },
    },
    {
      method: 'patch',
      path: '/api/jobs/{id}',
      summary:
        'Edit a job: title, company, seniority, pasted texts (a changed text is re-ingested; an empty resume or notes removes it)',
      request: { params: idParams, body: jsonBody(updateJobSchema) },
      responses: { 200: json('job', jobSchema), ...problems(400, 404, 409) },
    },
    {
      method: 'delete',
      path: '/api/jobs/{id}',
      summary:
        'Delete a job with its documents, sessions, index and files (running ingestion is cancelled first). ' +
        'Accepted at once (202, the job with `status: "deleting"`); a workflow deletes it, then GET answers 404',
      request: { params: idParams },
      responses: { 202: json('job, being deleted', jobSchema), ...problems(404) },
    },
    {
      method: 'get',
      path: '/api/jobs/{id}/documents',
      summary: "A job's documents",
      request: { params: idParams },
      responses: { 200: json('documents', z.array(jobDocumentSchema)), ...problems(404) },
    },
    {
      method: 'post',
      path: '/api/jobs/{id}/documents',
      summary: 'Upload a document (ingested by the worker; progress on the document and the job events)',
      request: { params: idParams, body: multipart(uploadFieldsSchema.extend({ file: binary })) },
      responses: { 202: json('accepted', uploadAcceptedSchema), ...problems(400, 404, 409, 413, 415) },
    },
    {
      method: 'get',
      path: '/api/jobs/{id}/documents/{documentId}',
      summary: 'One document with its extracted text (what a citation opens)',
      request: { params: documentParams },
      responses: { 200: json('document', documentDetailSchema), ...problems(404) },
    },
    {
      method: 'get',
      path: '/api/jobs/{id}/events',
      summary: "The job's ingestion progress (SSE, document events); replays after Last-Event-ID",
      request: { params: idParams, headers: lastEventIdHeaders },
      responses: { 200: eventStream('document events', documentEventSchema), ...problems(400, 404) },
    },
    {
      method: 'get',
      path: '/api/jobs/{id}/search',
      summary: 'The same retrieval the coach uses',
      request: { params: idParams, query: searchQuerySchema },
      responses: { 200: json('results', searchResultsSchema), ...problems(400, 404) },
    },
    {
      method: 'post',
      path: '/api/sessions',
      summary: 'Start a session',
      request: { headers: idempotencyHeaders, body: jsonBody(createSessionSchema) },
      responses: { 201: json('created', createdSchema), ...problems(400, 409, 422) },
    },
    {
      method: 'get',
      path: '/api/panel-templates',
      summary: 'Mock panel templates I can start a session with: the built-in ones, then my own',
      responses: { 200: json('templates', z.array(panelTemplateEntrySchema)) },
    },
    {
      method: 'post',
      path: '/api/panel-templates',
      summary:
        'Make my own mock panel template. 400: not the shape of a template; 422: a template the panel ' +
        'cannot run (the detail lists every problem: a competency without bank questions, a veto without a ' +
        'bar raiser, two panelists with one voice…); 409: the id is taken (by a built-in panel or one of mine)',
      request: { body: jsonBody(panelTemplateSchema) },
      responses: { 201: json('created', panelTemplateEntrySchema), ...problems(400, 409, 422) },
    },
    {
      method: 'put',
      path: '/api/panel-templates/{id}',
      summary:
        'Change my own mock panel template, checked as on create (400 shape, 422 what the panel cannot run); ' +
        'its id stays (400 when the body names another). 403: a built-in panel; 404: no template of mine ' +
        'with this id. Sessions already made from it keep the panel they started with',
      request: { params: idParams, body: jsonBody(panelTemplateSchema) },
      responses: { 200: json('changed', panelTemplateEntrySchema), ...problems(400, 403, 404, 422) },
    },
    {
      method: 'delete',
      path: '/api/panel-templates/{id}',
      summary:
        'Delete my own mock panel template. 403: a built-in panel; 404: no template of mine with this id. ' +
        'Sessions made from it, running or finished, keep their copy of the panel (panelists and debrief)',
      request: { params: idParams },
      responses: { 204: { description: 'deleted' }, ...problems(403, 404) },
    },
    {
      method: 'get',
      path: '/api/sessions',
      summary: 'List my sessions',
      responses: { 200: json('sessions', z.array(sessionSummarySchema)) },
    },
    {
      method: 'get',
      path: '/api/sessions/{id}',
      summary: 'Session state and turns',
      request: { params: idParams },
      responses: { 200: json('session', sessionSchema), ...problems(404) },
    },
    {
      method: 'post',
      path: '/api/sessions/{id}/answers',
      summary: 'Answer the current question',
      request: { params: idParams, body: jsonBody(answerSchema) },
      responses: { 202: json('accepted', turnAcceptedSchema), ...problems(400, 404, 409) },
    },
    {
      method: 'post',
      path: '/api/sessions/{id}/audio',
      summary: 'Answer the current question out loud',
      description:
        'A recording (webm/opus, ogg, mp4/aac, wav, mp3...) as the multipart field `file`, optionally with ' +
        '`turnId`. Checked before anything is stored: 413 over AUDIO_MAX_BYTES or over AUDIO_MAX_SECONDS ' +
        'of audio; 415 not audio, or a codec we cannot decode; 422 a broken file, no audio, or silence ' +
        'only; 409 when the session is not awaiting an answer. The session stays where it was on any ' +
        'refusal. Accepted: a `transcript` event, then coaching as for a typed answer; the feedback ' +
        'carries `speech` (pace, fillers, pauses). If no words are recognised, an `error` event asks ' +
        'for the answer again and the session awaits it on the same turn.',
      request: { params: idParams, body: multipart(audioFieldsSchema.extend({ file: binary })) },
      responses: { 202: json('accepted', turnAcceptedSchema), ...problems(400, 404, 409, 413, 415, 422) },
    },
    {
      method: 'put',
      path: '/api/sessions/{id}/turns/{turnId}/audio/segments/{index}',
      summary: 'Send one segment of an answer while it is being spoken',
      description:
        'For a live transcript: the browser cuts the answer at pauses and sends each piece as soon as it ' +
        'ends, numbered from 0, as the request body (a WAV, 16 kHz mono 16-bit PCM). Each segment is stored ' +
        'at once and transcribed while the candidate goes on speaking; the transcript so far arrives as ' +
        '`transcript` events with `partial: true`. Sending a segment again replaces it (same index, same ' +
        'audio: idempotent). A segment may be silence. 415 not a WAV; 413 over AUDIO_MAX_BYTES; 409 the ' +
        'session has ended. A segment for a turn that no longer awaits its answer is stored but ignored.',
      request: {
        params: audioSegmentParamsSchema,
        body: { content: { 'audio/wav': { schema: binary } } },
      },
      responses: { 202: json('stored', segmentAcceptedSchema), ...problems(400, 404, 409, 413, 415, 422) },
    },
    {
      method: 'post',
      path: '/api/sessions/{id}/turns/{turnId}/audio/finish',
      summary: 'End an answer sent in segments',
      description:
        'The segments 0..`segments`-1 are joined into one recording, checked as POST ' +
        '/api/sessions/{id}/audio checks an upload (413, 415, 422 alike), kept as the turn’s recording, ' +
        'and submitted as the answer: the final `transcript` event (no `partial`) joins the segments’ ' +
        'transcripts (only those not yet transcribed are transcribed now), then coaching goes on as for an ' +
        'uploaded recording. 409 names the segments never received (send them again, then finish again), ' +
        'or says the session is not awaiting this answer. Finishing again after it was accepted answers ' +
        'the same 202.',
      request: { params: audioSegmentParamsSchema.omit({ index: true }), body: jsonBody(finishAudioSchema) },
      responses: { 202: json('accepted', turnAcceptedSchema), ...problems(400, 404, 409, 413, 415, 422) },
    },
    {
      method: 'get',
      path: '/api/sessions/{id}/turns/{turnId}/audio',
      summary: "The recording of a turn's spoken answer (its owner only)",
      request: { params: turnParams },
      responses: {
        200: { description: 'The recording as uploaded', content: { 'audio/*': { schema: binary } } },
        206: { description: 'One byte range of it', content: { 'audio/*': { schema: binary } } },
        416: { description: 'The range is outside the recording' },
        ...problems(404),
      },
    },
    {
      method: 'delete',
      path: '/api/sessions/{id}/turns/{turnId}/audio',
      summary: "Delete the recording of a turn's spoken answer; its transcript and feedback stay",
      description:
        'Recordings are also deleted AUDIO_RETENTION_DAYS (default 30; 0 = kept) after they were made.',
      request: { params: turnParams },
      responses: { 204: { description: 'deleted (or there was none)' }, ...problems(404) },
    },
    {
      method: 'get',
      path: '/api/tts',
      summary: 'Speak a text (a sentence of a question or critique)',
      description:
        'Streams audio as it is synthesised (chunked): `audio/wav` from the local engines, the ' +
        "endpoint's own type with TTS_PROVIDER=openai. Repeated texts come from a cache; the header " +
        '`x-tts-cache` says `hit` or `miss`.',
      request: { query: ttsQuerySchema },
      responses: {
        200: {
          description: 'Speech',
          headers: z.object({ 'x-tts-cache': z.enum(['hit', 'miss']) }),
          content: { 'audio/wav': { schema: binary } },
        },
        ...problems(400, 401),
      },
    },
    {
      method: 'post',
      path: '/api/sessions/{id}/retry',
      summary: 'Ask the reviewed question again as a new turn',
      request: { params: idParams },
      responses: { 202: json('accepted', turnAcceptedSchema), ...problems(404, 409) },
    },
    {
      method: 'post',
      path: '/api/sessions/{id}/next',
      summary: 'Go to the next round',
      request: { params: idParams },
      responses: { 202: json('accepted', roundMovedSchema), ...problems(404, 409) },
    },
    {
      method: 'post',
      path: '/api/sessions/{id}/end',
      summary: 'End the session now',
      request: { params: idParams },
      responses: { 202: json('accepted', roundMovedSchema), ...problems(404, 409) },
    },
    {
      method: 'get',
      path: '/api/sessions/{id}/events',
      summary:
        'Session events (SSE); replays after Last-Event-ID, ends with `event: end` when the session does',
      request: { params: idParams, headers: lastEventIdHeaders },
      responses: { 200: eventStream('session events', sessionEventSchema), ...problems(400, 404) },
    },
    {
      method: 'get',
      path: '/api/sessions/{id}/export.md',
      summary: 'The session as Markdown',
      request: { params: idParams },
      responses: {
        200: { description: 'Markdown', content: { 'text/markdown': { schema: z.string() } } },
        ...problems(404),
      },
    },
    {
      method: 'get',
      path: '/api/sessions/{id}/export.pdf',
      summary: 'The session as PDF',
      request: { params: idParams },
      responses: {
        200: { description: 'PDF', content: { 'application/pdf': { schema: binary } } },
        ...problems(404),
      },
    },
    {
      method: 'get',
      path: '/api/admin/ingestion-runs',
      summary: 'Admin: every ingestion run, newest first (running ones with live progress)',
      request: { query: runsQuerySchema },
      responses: { 200: json('runs', z.array(ingestionRunSchema)), ...problems(400, 403) },
    },
    {
      method: 'post',
      path: '/api/admin/jobs/{id}/reingest',
      summary: "Admin: rebuild a job's index beside the serving one",
      request: { params: idParams },
      responses: { 202: json('started', reindexStartedSchema), ...problems(403, 404, 409) },
    },
    {
      method: 'post',
      path: '/api/admin/reingest',
      summary: 'Admin: rebuild every job index',
      responses: { 202: json('started', reindexAllSchema), ...problems(403) },
    },
    {
      method: 'post',
      path: '/api/admin/ingestion-runs/{id}/cancel',
      summary: 'Admin: cancel a running ingestion run (the serving index stays)',
      request: { params: idParams },
      responses: { 202: json('cancelling', runCancellingSchema), ...problems(403, 404, 409) },
    },
    {
      method: 'get',
      path: '/api/admin/coach',
      summary: 'Admin: the coach version and the judgement weights in use, with their sources',
      responses: { 200: json('coach version', coachVersionSchema), ...problems(403) },
    },
    {
      method: 'post',
      path: '/api/admin/coach/reload',
      summary: 'Admin: load the coach version and the judgement weights behind the registry alias again',
      responses: { 200: json('coach version', coachVersionSchema), ...problems(403) },
    },
    {
      method: 'get',
      path: '/api/admin/coach/versions',
      summary: 'Admin: the coach versions in the MLflow registry, with their aliases and the rollback target',
      responses: { 200: json('coach registry', coachRegistrySchema), ...problems(403, 502, 503) },
    },
    {
      method: 'post',
      path: '/api/admin/coach/promote',
      summary: 'Admin: point the alias production at a registry version, then reload the coach',
      request: { body: jsonBody(promoteSchema) },
      responses: { 200: json('moved', coachMoveSchema), ...problems(400, 403, 404, 409, 503) },
    },
    {
      method: 'post',
      path: '/api/admin/coach/rollback',
      summary: 'Admin: point production back at the version it left, then reload the coach',
      responses: { 200: json('moved', coachMoveSchema), ...problems(403, 409, 503) },
    },
    {
      method: 'get',
      path: '/api/admin/judgement/versions',
      summary:
        'Admin: the trained judgement weights in the MLflow registry, with their test kappas and aliases',
      responses: { 200: json('judgement registry', judgementRegistrySchema), ...problems(403, 502, 503) },
    },
    {
      method: 'post',
      path: '/api/admin/judgement/promote',
      summary:
        "Admin: point the judgement's production alias at a version, then reload; 409 when its test figures " +
        "are worse than production's on any dimension, unless `force`",
      request: { body: jsonBody(judgementPromoteSchema) },
      responses: { 200: json('moved', judgementMoveSchema), ...problems(400, 403, 404, 409, 503) },
    },
    {
      method: 'post',
      path: '/api/admin/judgement/rollback',
      summary: "Admin: point the judgement's production alias back at the version it left, then reload",
      responses: { 200: json('moved', judgementMoveSchema), ...problems(403, 409, 503) },
    },
  ];
}

/** Peer review (issue 13): the candidate's, a named reviewer's, a link reviewer's and the admin's routes. */
function reviewRoutes(): RouteConfig[] {
  return [
    {
      method: 'post',
      path: '/api/sessions/{id}/reviews',
      summary:
        "Ask for a review of the session's coached answers (a frozen snapshot): named accounts, a share link and/or a cohort's pool",
      request: { params: idParams, headers: idempotencyHeaders, body: jsonBody(createReviewRequestSchema) },
      responses: { 201: json('requested', reviewRequestCreatedSchema), ...problems(400, 401, 404, 409) },
    },
    {
      method: 'get',
      path: '/api/reviews',
      summary: "The reviews I asked for, those I am invited to give, and my cohorts' pool",
      responses: { 200: json('reviews', reviewListSchema), ...problems(401) },
    },
    {
      method: 'get',
      path: '/api/notices',
      summary:
        'Review notices I have not seen (reviews arrived on my requests, new requests I may review): the nav badge',
      responses: { 200: json('notices', reviewNoticesSchema), ...problems(401) },
    },
    {
      method: 'post',
      path: '/api/notices/seen',
      summary: 'I have seen my review notices (the Reviews page says so when it opens): the count drops to 0',
      responses: { 204: { description: 'seen' }, ...problems(401) },
    },
    {
      method: 'get',
      path: '/api/reviews/{id}',
      summary: 'The candidate: my review request, with the coach and every submitted review',
      request: { params: idParams },
      responses: { 200: json('request', reviewRequestSchema), ...problems(401, 404) },
    },
    {
      method: 'post',
      path: '/api/reviews/{id}/withdraw',
      summary: 'The candidate: take the request back; nobody may open it from now on',
      request: { params: idParams },
      responses: { 200: json('withdrawn', reviewRequestSchema), ...problems(401, 404, 409) },
    },
    {
      method: 'patch',
      path: '/api/reviews/{id}/comments/{commentId}',
      summary: "The candidate: mark a reviewer's comment resolved and/or helpful (false takes the mark back)",
      request: { params: commentParams, body: jsonBody(commentMarksInputSchema) },
      responses: { 200: json('comment', reviewCommentViewSchema), ...problems(400, 401, 404) },
    },
    {
      method: 'post',
      path: '/api/reviews/{id}/comments/{commentId}/replies',
      summary: "The candidate: reply to a reviewer's comment (text only); reviewers who submitted see it",
      request: {
        params: commentParams,
        headers: idempotencyHeaders,
        body: jsonBody(commentReplyInputSchema),
      },
      responses: { 201: json('reply', commentReplySchema), ...problems(400, 401, 404, 422) },
    },
    {
      method: 'post',
      path: '/api/reviews/{id}/answers/{answerId}/practice',
      summary:
        'The candidate: practise a reviewed answer again: a new one-round session on the same job whose question is that answer’s',
      request: { params: answerParams, headers: idempotencyHeaders },
      responses: { 201: json('session', createdSchema), ...problems(400, 401, 404, 409, 422) },
    },
    {
      method: 'get',
      path: '/api/reviews/{id}/answers/{answerId}/audio',
      summary:
        'The recording of a spoken answer of the snapshot (the candidate, or a named reviewer): 404 when it was typed or the candidate deleted it',
      request: { params: answerParams },
      responses: {
        200: { description: 'The recording', content: { 'audio/*': { schema: binary } } },
        ...problems(401, 404, 410),
      },
    },
    {
      method: 'get',
      path: '/api/reviews/{id}/events',
      summary:
        "The request's steps as they happen, and a `replied` step (no text) when a comment's thread grows (the candidate, or a named reviewer). The stream ends (`event: end`) only after `withdrawn`: a completed or expired request's threads go on",
      request: { params: idParams, headers: lastEventIdHeaders },
      responses: { 200: eventStream('review steps', reviewEventSchema), ...problems(400, 401, 404) },
    },
    {
      method: 'get',
      path: '/api/reviews/{id}/reviewer',
      summary:
        "An account reviewer (named, or a member of the request's cohort): the snapshot; the coach and other reviews only once I have submitted",
      request: { params: idParams },
      responses: { 200: json('review', reviewerViewSchema), ...problems(401, 404) },
    },
    {
      method: 'post',
      path: '/api/reviews/{id}/claim',
      summary:
        "An account reviewer (named, or a member of the request's cohort): hold a seat for 24 h (409 when none is free or the request ended)",
      request: { params: idParams },
      responses: { 200: json('claimed', reviewClaimSchema), ...problems(401, 404, 409) },
    },
    {
      method: 'post',
      path: '/api/reviews/{id}/submission',
      summary:
        'An account reviewer: submit scores and comments while the claim holds; answers with what I may now see',
      request: { params: idParams, body: jsonBody(reviewSubmissionSchema) },
      responses: { 201: json('submitted', reviewerViewSchema), ...problems(400, 401, 404, 409) },
    },
    {
      method: 'post',
      path: '/api/reviews/{id}/reviewer/comments/{commentId}/replies',
      summary:
        "An account reviewer: answer the candidate's reply to one of my comments (409 until the candidate has replied)",
      request: {
        params: commentParams,
        headers: idempotencyHeaders,
        body: jsonBody(commentReplyInputSchema),
      },
      responses: { 201: json('reply', commentReplySchema), ...problems(400, 401, 404, 409, 410, 422) },
    },
    {
      method: 'post',
      path: '/api/shared-reviews/{token}/open',
      summary: 'Anyone with the link (no account): open it, and get the reviewer key that names me on it',
      request: {
        params: tokenParams,
        headers: z.object({ 'x-reviewer-key': z.string().optional() }),
        body: { required: false, content: { 'application/json': { schema: openShareSchema } } },
      },
      responses: { 200: json('opened', shareOpenedSchema), ...shareProblems() },
    },
    {
      method: 'get',
      path: '/api/shared-reviews/{token}',
      summary: 'A link reviewer: the snapshot; the coach and other reviews only once I have submitted',
      request: { params: tokenParams, headers: linkReviewerHeaders },
      responses: { 200: json('review', reviewerViewSchema), ...shareProblems() },
    },
    {
      method: 'post',
      path: '/api/shared-reviews/{token}/claim',
      summary: 'A link reviewer: hold a seat',
      request: { params: tokenParams, headers: linkReviewerHeaders },
      responses: { 200: json('claimed', reviewClaimSchema), ...shareProblems() },
    },
    {
      method: 'post',
      path: '/api/shared-reviews/{token}/submission',
      summary: 'A link reviewer: submit scores and comments',
      request: { params: tokenParams, headers: linkReviewerHeaders, body: jsonBody(reviewSubmissionSchema) },
      responses: { 201: json('submitted', reviewerViewSchema), ...shareProblems() },
    },
    {
      method: 'post',
      path: '/api/shared-reviews/{token}/comments/{commentId}/replies',
      summary: "A link reviewer: answer the candidate's reply to one of my comments",
      request: {
        params: tokenParams.extend({ commentId: z.string() }),
        headers: linkReviewerHeaders,
        body: jsonBody(commentReplyInputSchema),
      },
      responses: { 201: json('reply', commentReplySchema), ...shareProblems() },
    },
    {
      method: 'get',
      path: '/api/shared-reviews/{token}/answers/{answerId}/audio',
      summary: 'A link reviewer: the recording of a spoken answer of the snapshot',
      request: { params: tokenParams.extend({ answerId: z.string() }), headers: linkReviewerHeaders },
      responses: {
        200: { description: 'The recording', content: { 'audio/*': { schema: binary } } },
        ...shareProblems(),
      },
    },
    {
      method: 'get',
      path: '/api/shared-reviews/{token}/events',
      summary:
        "A link reviewer: the request's steps as they happen, as on /api/reviews/{id}/events. The passcode goes in `x-share-passcode`, never the query: EventSource cannot send it, so the web client reads this stream with fetch",
      request: { params: tokenParams, headers: lastEventIdHeaders.extend(passcodeHeaders.shape) },
      responses: { 200: eventStream('review steps', reviewEventSchema), ...shareProblems() },
    },
    {
      method: 'get',
      path: '/api/admin/reviews/calibration',
      summary:
        'Admin: agreement of human reviewers with the coach per dimension, and each reviewer’s leniency',
      responses: { 200: json('calibration', reviewCalibrationSchema), ...problems(401, 403) },
    },
    {
      method: 'get',
      path: '/api/admin/reviews/export',
      summary:
        "Admin: the human scores as a labelled set in the coach's eval format (answers.jsonl lines), for `npm run eval`",
      responses: { 200: json('labelled set', reviewLabelledSetSchema), ...problems(401, 403) },
    },
  ];
}

/** Cohorts: named groups whose members review each other's requests (a review request's cohort pool). */
function cohortRoutes(): RouteConfig[] {
  return [
    {
      method: 'post',
      path: '/api/cohorts',
      summary: 'Create a cohort; I am its first member and get its invite code to pass on',
      request: { body: jsonBody(createCohortSchema) },
      responses: { 201: json('created', cohortSchema), ...problems(400, 401) },
    },
    {
      method: 'get',
      path: '/api/cohorts',
      summary: 'The cohorts I am a member of',
      responses: { 200: json('cohorts', z.array(cohortSchema)), ...problems(401) },
    },
    {
      method: 'post',
      path: '/api/cohorts/join',
      summary: 'Join a cohort with its invite code (404 for a code nobody made)',
      request: { body: jsonBody(joinCohortSchema) },
      responses: { 200: json('joined', cohortSchema), ...problems(400, 401, 404) },
    },
  ];
}

export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  for (const route of [...routes(), ...reviewRoutes(), ...cohortRoutes()]) registry.registerPath(route);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Interview Helper API',
      version: '1.0.0',
      description:
        'The public HTTP contract of Interview Helper. Errors are application/problem+json; auth (cookie) ' +
        'applies to all routes but health, metrics and sign-in.',
    },
  });
}
