// The one HTTP contract (contract/) against the running API: every route the Express app registers is in
// the generated OpenAPI document (and nothing else is), and what a real session flow answers and streams
// conforms to the contract's response and event schemas, with no field the contract does not declare.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../api/app.js';
import { openApiDocument } from '../../api/openapi.js';
import {
  analyticsSchema,
  authConfigSchema,
  coachVersionSchema,
  createdSchema,
  documentDetailSchema,
  documentEventSchema,
  ingestionRunSchema,
  jobDocumentSchema,
  jobSchema,
  MAX_ROUNDS,
  meSchema,
  metaSchema,
  problemSchema,
  readySchema,
  roundMovedSchema,
  searchResultsSchema,
  sessionEventSchema,
  sessionSchema,
  sessionSummarySchema,
  turnAcceptedSchema,
} from '../../contract/index.js';
import { createLogger } from '../../core/logger.js';
import { apiDeps } from '../../server/services.js';
import { ANSWER, apiClient, JOB, type SseEvent } from '../support/client.js';
import { startStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
let client: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startStack();
  client = apiClient(stack.baseUrl);
});
afterAll(() => stack?.close());

/** Valid, and nothing beyond the contract: parsing drops undeclared fields, so the result must equal the input. */
function conforms(schema: z.ZodType, value: unknown, what: string): void {
  const parsed = schema.safeParse(value);
  expect(parsed.error?.issues, `${what} ${JSON.stringify(value).slice(0, 400)}`).toBeUndefined();
  expect(parsed.data, `${what}: fields the contract does not declare`).toEqual(value);
}

/** GET/POST a route and check its status and body against the contract. */
async function checked(
  method: string,
  path: string,
  status: number,
  schema: z.ZodType,
  body?: unknown,
): Promise<unknown> {
  const res = await client.call<unknown>(method, path, body);
  expect(res.status, `${method} ${path} ${JSON.stringify(res.json)}`).toBe(status);
  conforms(schema, res.json, `${method} ${path}`);
  return res.json;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every `METHOD /path` the app routes, in OpenAPI's path form (`:id` -> `{id}`). */
function registeredRoutes(stack: Layer[], out = new Set<string>()): Set<string> {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const p of paths)
        for (const [method, on] of Object.entries(layer.route.methods))
          if (on && method !== '_all') out.add(`${method} ${p.replace(/:(\w+)/g, '{$1}')}`);
    } else if (layer.handle?.stack) {
      registeredRoutes(layer.handle.stack, out);
    }
  }
  return out;
}

describe('the OpenAPI document is generated from the contract', () => {
  it('declares exactly the routes the Express app registers', () => {
    const app = createApp(apiDeps(stack.config, createLogger('silent'), stack.services, stack.temporal));
    const registered = registeredRoutes((app as unknown as { router: { stack: Layer[] } }).router.stack);
    const documented = new Set(
      Object.entries(openApiDocument().paths ?? {}).flatMap(([p, item]) =>
        Object.keys(item as object).map((method) => `${method} ${p}`),
      ),
    );
    expect(registered.size).toBeGreaterThan(40);
    expect([...registered].filter((r) => !documented.has(r)).sort(), 'routes missing from OpenAPI').toEqual(
      [],
    );
    expect([...documented].filter((r) => !registered.has(r)).sort(), 'documented but not served').toEqual([]);
  });

  it("states the contract's limits, e.g. the rounds of a session", () => {
    const doc = openApiDocument();
    const input = doc.components?.schemas?.SessionInput as { properties: { rounds: { maximum: number } } };
    expect(input.properties.rounds.maximum).toBe(MAX_ROUNDS);
  });
});

describe('a real session flow conforms to the contract', () => {
  it('answers and streams only what the contract declares', async () => {
    await checked('GET', '/api/me', 200, meSchema);
    await checked('GET', '/api/auth/config', 200, authConfigSchema);
    await checked('GET', '/api/meta', 200, metaSchema);
    await checked('GET', '/readyz', 200, readySchema);

    const job = (await checked('POST', '/api/jobs', 201, jobSchema, JOB)) as { id: string };
    const deadline = Date.now() + 60_000;
    for (;;) {
      const j = (await checked('GET', `/api/jobs/${job.id}`, 200, jobSchema)) as z.infer<typeof jobSchema>;
      if (j.ingestion.status === 'ready') break;
      expect(j.ingestion.status).not.toBe('failed');
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 200));
    }
    await checked('GET', '/api/jobs', 200, z.array(jobSchema));
    const docs = (await checked('GET', `/api/jobs/${job.id}/documents`, 200, z.array(jobDocumentSchema))) as {
      id: string;
    }[];
    expect(docs.length).toBeGreaterThan(0);
    await checked('GET', `/api/jobs/${job.id}/documents/${docs[0]!.id}`, 200, documentDetailSchema);
    await checked('GET', `/api/jobs/${job.id}/search?q=payments&k=3`, 200, searchResultsSchema);
    const jobEvents = await client.events('', {
      path: `/api/jobs/${job.id}/events`,
      until: (_e, all) => all.filter((e) => e.data.stage === 'indexed').length === docs.length,
    });
    for (const e of jobEvents) conforms(documentEventSchema, e.data, `job event ${e.id}`);

    // Two rounds: answer, retry the same question, answer again, next round, then end early.
    const created = (await checked('POST', '/api/sessions', 201, createdSchema, {
      jobId: job.id,
      module: 'behavioral',
      mode: 'text',
      rounds: 2,
    })) as { id: string };
    const id = created.id;
    const answerUntilFeedback = async (after: number): Promise<SseEvent[]> =>
      client.events(id, {
        lastEventId: after,
        until: (e) => {
          if (e.data.type === 'question')
            void checked('POST', `/api/sessions/${id}/answers`, 202, turnAcceptedSchema, {
              text: ANSWER,
              turnId: e.data.turnId,
            });
          return e.data.type === 'feedback';
        },
      });
    const first = await answerUntilFeedback(0);
    await client.waitStatus(id, 'reviewing');
    await checked('GET', `/api/sessions/${id}`, 200, sessionSchema);
    await checked('POST', `/api/sessions/${id}/retry`, 202, turnAcceptedSchema);
    const retried = await answerUntilFeedback(first.at(-1)!.id);
    await client.waitStatus(id, 'reviewing');
    await checked('POST', `/api/sessions/${id}/next`, 202, roundMovedSchema);
    await client.waitStatus(id, 'awaiting_answer');
    await checked('POST', `/api/sessions/${id}/end`, 202, roundMovedSchema);
    const ended = (await client.waitStatus(id, 'completed')) as { debrief?: unknown };
    expect(ended.debrief).toBeDefined();

    const all = await client.events(id, {
      until: (e) => e.data.type === 'state' && e.data.status === 'completed',
    });
    expect(all.length).toBeGreaterThan(first.length + retried.length);
    expect(new Set(all.map((e) => e.data.type))).toEqual(
      new Set(['node', 'token', 'question', 'feedback', 'state']),
    );
    for (const e of all) conforms(sessionEventSchema, e.data, `session event ${e.id}`);

    await checked('GET', `/api/sessions/${id}`, 200, sessionSchema);
    await checked('GET', '/api/sessions', 200, z.array(sessionSummarySchema));
    await checked('GET', '/api/analytics', 200, analyticsSchema);
    await checked('GET', '/api/admin/ingestion-runs', 200, z.array(ingestionRunSchema));
    await checked('GET', '/api/admin/coach', 200, coachVersionSchema);
    // Refusals are problems too: the session has ended.
    await checked('POST', `/api/sessions/${id}/answers`, 409, problemSchema, { text: ANSWER });
  });
});
