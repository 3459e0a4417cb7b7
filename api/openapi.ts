// The public contract (../shared/API.md) as OpenAPI 3.1. Request bodies come from the same zod schemas
// the routes validate with, so the document cannot drift from what the API accepts.
import { z } from 'zod';
import { loginSchema, signupSchema } from './auth/accounts.js';
import { createJobSchema, updateJobSchema } from './services/jobs.js';
import { promoteSchema } from './services/coach.js';
import { answerSchema, createSessionSchema } from './services/sessions.js';
import { audioAnswerSchema, TTS_MAX_CHARS } from './services/voice.js';

const json = (schema: z.ZodType) => ({
  'application/json': { schema: z.toJSONSchema(schema, { io: 'input' }) },
});
const problem = {
  description: 'Problem',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};
const ok = (description: string, schema: object = { type: 'object' }) => ({
  description,
  content: { 'application/json': { schema } },
});
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
const turnParams = [...idParam, { name: 'turnId', in: 'path', required: true, schema: { type: 'string' } }];
/** A retried create with the same key returns what the first attempt made (422 if the body differs). */
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  schema: { type: 'string', minLength: 1, maxLength: 200 },
};

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Interview Helper API',
      version: '1.0.0',
      description: 'The public HTTP contract of Interview Helper.',
    },
    components: {
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
          },
        },
        Account: {
          type: 'object',
          required: ['id', 'email', 'role'],
          properties: {
            id: { type: 'string' },
            email: { type: 'string' },
            role: { enum: ['candidate', 'reviewer', 'admin'] },
            signedIn: { type: 'boolean' },
            authMode: { enum: ['local', 'accounts'] },
          },
        },
        Citation: {
          type: 'object',
          properties: {
            documentId: { type: 'string' },
            chunkId: { type: 'string' },
            kind: { type: 'string' },
            text: { type: 'string' },
          },
        },
        Job: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            title: { type: 'string' },
            company: { type: 'string' },
            seniority: { type: ['string', 'null'] },
            ingestion: {
              type: 'object',
              properties: {
                status: { enum: ['pending', 'running', 'ready', 'failed'] },
                chunks: { type: 'integer' },
                error: { type: 'string' },
              },
            },
          },
        },
        Session: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            status: { enum: ['active', 'awaiting_answer', 'coaching', 'reviewing', 'completed'] },
            round: { type: 'integer' },
            persona: { enum: ['friendly', 'neutral', 'tough'] },
            mode: { enum: ['text', 'voice'] },
            autoAdvance: {
              type: 'boolean',
              description: 'hands-free: the next round starts after the feedback',
            },
            turns: { type: 'array', items: { type: 'object' } },
          },
        },
      },
    },
    paths: {
      '/healthz': { get: { summary: 'Alive', responses: { 200: ok('alive') } } },
      '/readyz': {
        get: {
          summary: 'Temporal, Chroma and the database answer',
          responses: { 200: ok('ready'), 503: problem },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          responses: { 200: { description: 'text format', content: { 'text/plain': {} } } },
        },
      },
      '/api/me': {
        get: {
          summary:
            "The signed-in user; `signedIn` is false for the embedded default's local user (no cookie, AUTH_MODE=local)",
          responses: { 200: ok('user', { $ref: '#/components/schemas/Account' }), 401: problem },
        },
      },
      '/api/auth/config': {
        get: {
          summary: 'Public: the auth mode and the sign-in methods offered (password, company OIDC)',
          responses: { 200: ok('auth config') },
        },
      },
      '/api/auth/signup': {
        post: {
          summary:
            'Create a candidate account (password: at least 10 characters) and sign in: sets the session and CSRF cookies',
          requestBody: { required: true, content: json(signupSchema) },
          responses: {
            201: ok('account', { $ref: '#/components/schemas/Account' }),
            400: problem,
            409: problem,
            429: problem,
          },
        },
      },
      '/api/auth/login': {
        post: {
          summary: 'Sign in with email and password: sets the session and CSRF cookies',
          requestBody: { required: true, content: json(loginSchema) },
          responses: {
            200: ok('account', { $ref: '#/components/schemas/Account' }),
            401: problem,
            429: problem,
          },
        },
      },
      '/api/auth/logout': {
        post: { summary: 'Sign out this session', responses: { 204: { description: 'signed out' } } },
      },
      '/api/auth/logout-all': {
        post: {
          summary: "Sign out everywhere: end every session of the user's account",
          responses: { 204: { description: 'signed out everywhere' }, 401: problem },
        },
      },
      '/api/auth/oidc/start': {
        get: {
          summary: 'Company sign-in (when OIDC_* is set): redirects to the identity provider (PKCE, state)',
          responses: { 302: { description: 'to the identity provider' }, 404: problem, 503: problem },
        },
      },
      '/api/auth/oidc/callback': {
        get: {
          summary: 'Where the identity provider sends the browser back: signs in, redirects to /',
          responses: { 302: { description: 'signed in' }, 400: problem, 404: problem, 409: problem },
        },
      },
      '/api/analytics': {
        get: {
          summary:
            'Progress across my sessions: per dimension over time, per competency and module, streak, next drill',
          parameters: [
            { name: 'jobId', in: 'query', schema: { type: 'string' } },
            {
              name: 'module',
              in: 'query',
              schema: { enum: ['behavioral', 'technical', 'culture', 'mixed'] },
            },
          ],
          responses: { 200: ok('analytics'), 400: problem },
        },
      },
      '/api/meta': {
        get: { summary: 'Which coach and embeddings this deployment runs', responses: { 200: ok('meta') } },
      },
      '/api/jobs': {
        post: {
          summary: 'Create a target job; ingestion starts at once',
          parameters: [idempotencyKey],
          requestBody: { required: true, content: json(createJobSchema) },
          responses: {
            201: ok('created', { $ref: '#/components/schemas/Job' }),
            400: problem,
            413: problem,
            422: problem,
          },
        },
        get: {
          summary: 'List my jobs',
          responses: { 200: ok('jobs', { type: 'array', items: { $ref: '#/components/schemas/Job' } }) },
        },
      },
      '/api/jobs/{id}': {
        get: {
          summary: 'A job with its ingestion status',
          parameters: idParam,
          responses: { 200: ok('job', { $ref: '#/components/schemas/Job' }), 404: problem },
        },
        patch: {
          summary:
            'Edit a job: title, company, seniority, pasted texts (a changed text is re-ingested; an empty resume or notes removes it)',
          parameters: idParam,
          requestBody: { required: true, content: json(updateJobSchema) },
          responses: {
            200: ok('job', { $ref: '#/components/schemas/Job' }),
            400: problem,
            404: problem,
            409: problem,
          },
        },
        delete: {
          summary:
            'Delete a job with its documents, sessions, index and files (running ingestion is cancelled first)',
          parameters: idParam,
          responses: { 204: { description: 'deleted' }, 404: problem },
        },
      },
      '/api/jobs/{id}/documents': {
        get: {
          summary: "A job's documents",
          parameters: idParam,
          responses: { 200: ok('documents', { type: 'array' }), 404: problem },
        },
        post: {
          summary: 'Upload a document (ingested by the worker; progress on the document and the job events)',
          parameters: idParam,
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file'],
                  properties: {
                    file: { type: 'string', format: 'binary' },
                    kind: { enum: ['jd', 'resume', 'company', 'notes'] },
                  },
                },
              },
            },
          },
          responses: {
            202: ok('accepted'),
            400: problem,
            404: problem,
            409: problem,
            413: problem,
            415: problem,
          },
        },
      },
      '/api/jobs/{id}/documents/{documentId}': {
        get: {
          summary: 'One document with its extracted text (what a citation opens)',
          parameters: [
            ...idParam,
            { name: 'documentId', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: { 200: ok('document'), 404: problem },
        },
      },
      '/api/jobs/{id}/events': {
        get: {
          summary: "The job's ingestion progress (SSE, document events); replays after Last-Event-ID",
          parameters: [...idParam, { name: 'Last-Event-ID', in: 'header', schema: { type: 'integer' } }],
          responses: {
            200: { description: 'event stream', content: { 'text/event-stream': {} } },
            404: problem,
          },
        },
      },
      '/api/jobs/{id}/search': {
        get: {
          summary: 'The same retrieval the coach uses',
          parameters: [
            ...idParam,
            { name: 'q', in: 'query', required: true, schema: { type: 'string' } },
            { name: 'k', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50 } },
          ],
          responses: { 200: ok('results'), 400: problem, 404: problem },
        },
      },
      '/api/sessions': {
        post: {
          summary: 'Start a session',
          parameters: [idempotencyKey],
          requestBody: { required: true, content: json(createSessionSchema) },
          responses: { 201: ok('created'), 400: problem, 409: problem, 422: problem },
        },
        get: { summary: 'List my sessions', responses: { 200: ok('sessions', { type: 'array' }) } },
      },
      '/api/sessions/{id}': {
        get: {
          summary: 'Session state and turns',
          parameters: idParam,
          responses: { 200: ok('session', { $ref: '#/components/schemas/Session' }), 404: problem },
        },
      },
      '/api/sessions/{id}/answers': {
        post: {
          summary: 'Answer the current question',
          parameters: idParam,
          requestBody: { required: true, content: json(answerSchema) },
          responses: { 202: ok('accepted'), 400: problem, 404: problem, 409: problem },
        },
      },
      '/api/sessions/{id}/audio': {
        post: {
          summary: 'Answer the current question out loud',
          description:
            'A recording (webm/opus, ogg, mp4/aac, wav, mp3...) as the multipart field `file`, optionally with ' +
            '`turnId`. Checked before anything is stored: 413 over AUDIO_MAX_BYTES or over AUDIO_MAX_SECONDS ' +
            'of audio; 415 not audio, or a codec we cannot decode; 422 a broken file, no audio, or silence ' +
            'only; 409 when the session is not awaiting an answer. The session stays where it was on any ' +
            'refusal. Accepted: a `transcript` event, then coaching as for a typed answer; the feedback ' +
            'carries `speech` (pace, fillers, pauses). If no words are recognised, an `error` event asks ' +
            'for the answer again and the session awaits it on the same turn.',
          parameters: idParam,
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file'],
                  properties: {
                    file: { type: 'string', format: 'binary' },
                    ...z.toJSONSchema(audioAnswerSchema, { io: 'input' }).properties,
                  },
                },
              },
            },
          },
          responses: {
            202: ok('accepted', {
              type: 'object',
              required: ['turnId'],
              properties: { turnId: { type: 'string' } },
            }),
            400: problem,
            404: problem,
            409: problem,
            413: problem,
            415: problem,
            422: problem,
          },
        },
      },
      '/api/sessions/{id}/turns/{turnId}/audio': {
        get: {
          summary: "The recording of a turn's spoken answer (its owner only)",
          parameters: turnParams,
          responses: {
            200: { description: 'The recording as uploaded', content: { 'audio/*': {} } },
            404: problem,
          },
        },
        delete: {
          summary: "Delete the recording of a turn's spoken answer; its transcript and feedback stay",
          description:
            'Recordings are also deleted AUDIO_RETENTION_DAYS (default 30; 0 = kept) after they were made.',
          parameters: turnParams,
          responses: { 204: { description: 'deleted (or there was none)' }, 404: problem },
        },
      },
      '/api/tts': {
        get: {
          summary: 'Speak a text (a sentence of a question or critique)',
          description:
            'Streams audio as it is synthesised (chunked): `audio/wav` from the local engines, the ' +
            "endpoint's own type with TTS_PROVIDER=openai. Repeated texts come from a cache; the header " +
            '`x-tts-cache` says `hit` or `miss`.',
          parameters: [
            {
              name: 'text',
              in: 'query',
              required: true,
              schema: { type: 'string', minLength: 1, maxLength: TTS_MAX_CHARS },
            },
          ],
          responses: {
            200: {
              description: 'Speech',
              headers: { 'x-tts-cache': { schema: { enum: ['hit', 'miss'] } } },
              content: { 'audio/wav': {} },
            },
            400: problem,
            401: problem,
          },
        },
      },
      '/api/sessions/{id}/retry': {
        post: {
          summary: 'Ask the reviewed question again as a new turn',
          parameters: idParam,
          responses: { 202: ok('accepted'), 409: problem },
        },
      },
      '/api/sessions/{id}/next': {
        post: {
          summary: 'Go to the next round',
          parameters: idParam,
          responses: { 202: ok('accepted'), 409: problem },
        },
      },
      '/api/sessions/{id}/end': {
        post: {
          summary: 'End the session now',
          parameters: idParam,
          responses: { 202: ok('accepted'), 409: problem },
        },
      },
      '/api/sessions/{id}/export.md': {
        get: {
          summary: 'The session as Markdown',
          parameters: idParam,
          responses: { 200: { description: 'Markdown', content: { 'text/markdown': {} } }, 404: problem },
        },
      },
      '/api/sessions/{id}/export.pdf': {
        get: {
          summary: 'The session as PDF',
          parameters: idParam,
          responses: { 200: { description: 'PDF', content: { 'application/pdf': {} } }, 404: problem },
        },
      },
      '/api/admin/ingestion-runs': {
        get: {
          summary: 'Admin: every ingestion run, newest first (running ones with live progress)',
          parameters: [
            { name: 'jobId', in: 'query', schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } },
          ],
          responses: { 200: ok('runs', { type: 'array' }), 403: problem },
        },
      },
      '/api/admin/jobs/{id}/reingest': {
        post: {
          summary: "Admin: rebuild a job's index beside the serving one",
          parameters: idParam,
          responses: { 202: ok('started'), 403: problem, 404: problem, 409: problem },
        },
      },
      '/api/admin/reingest': {
        post: { summary: 'Admin: rebuild every job index', responses: { 202: ok('started'), 403: problem } },
      },
      '/api/admin/ingestion-runs/{id}/cancel': {
        post: {
          summary: 'Admin: cancel a running ingestion run (the serving index stays)',
          parameters: idParam,
          responses: { 202: ok('cancelling'), 403: problem, 404: problem, 409: problem },
        },
      },
      '/api/admin/coach': {
        get: {
          summary: 'Admin: the coach version in use',
          responses: { 200: ok('coach version'), 403: problem },
        },
      },
      '/api/admin/coach/reload': {
        post: {
          summary: 'Admin: load the coach version behind the registry alias again',
          responses: { 200: ok('coach version'), 403: problem },
        },
      },
      '/api/admin/coach/versions': {
        get: {
          summary:
            'Admin: the coach versions in the MLflow registry, with their aliases and the rollback target',
          responses: { 200: ok('coach registry'), 403: problem, 502: problem, 503: problem },
        },
      },
      '/api/admin/coach/promote': {
        post: {
          summary: 'Admin: point the alias production at a registry version, then reload the coach',
          requestBody: { required: true, content: json(promoteSchema) },
          responses: {
            200: ok('moved: from, to and the version now running'),
            400: problem,
            403: problem,
            404: problem,
            409: problem,
            503: problem,
          },
        },
      },
      '/api/admin/coach/rollback': {
        post: {
          summary: 'Admin: point production back at the version it left, then reload the coach',
          responses: {
            200: ok('moved: from, to and the version now running'),
            403: problem,
            409: problem,
            503: problem,
          },
        },
      },
      '/api/sessions/{id}/events': {
        get: {
          summary: 'Session events (SSE); replays after Last-Event-ID',
          parameters: [...idParam, { name: 'Last-Event-ID', in: 'header', schema: { type: 'integer' } }],
          responses: {
            200: { description: 'event stream', content: { 'text/event-stream': {} } },
            404: problem,
          },
        },
      },
    },
  };
}
