// The public contract (../shared/API.md) as OpenAPI 3.1. Request bodies come from the same zod schemas
// the routes validate with, so the document cannot drift from what the API accepts.
import { z } from 'zod';
import { createJobSchema } from './services/jobs.js';
import { answerSchema, createSessionSchema } from './services/sessions.js';

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
      '/api/me': { get: { summary: 'The signed-in user', responses: { 200: ok('user') } } },
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
          requestBody: { required: true, content: json(createJobSchema) },
          responses: { 201: ok('created', { $ref: '#/components/schemas/Job' }), 400: problem, 413: problem },
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
          requestBody: { required: true, content: json(createSessionSchema) },
          responses: { 201: ok('created'), 400: problem, 409: problem },
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
