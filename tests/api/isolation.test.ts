// Isolation: every API route, enumerated from the served OpenAPI document (so a route added later is
// walked too, and the walk fails until it knows how to call it), is called against user A's objects:
// - as a second account B and as an anonymous client (AUTH_MODE=accounts): 401/403/404, never A's data;
// - as the embedded default's cookie-less local admin (AUTH_MODE=local): A's objects stay invisible.
// Candidates get 403 on every admin route. SSE streams, downloads, exports, search and analytics included.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestionRuns, turns } from '../../core/db/schema.js';
import { accountClient, type AccountClient } from '../support/accounts.js';
import { ANSWER, JOB } from '../support/client.js';
import { smallPanel } from '../support/panel.js';
import { startStack, type TestStack } from '../support/stack.js';

/** Routes anyone may call (health, metrics, the contract) and sign-in itself (tested in auth.test.ts). */
const PUBLIC = [/^\/healthz$/, /^\/readyz$/, /^\/metrics$/, /^\/api\/openapi\.json$/, /^\/api\/auth\//];

/** How to call a route with a valid request, so that only authorization can refuse it. */
const QUERY: Record<string, string> = {
  'GET /api/jobs/{id}/search': 'q=booking%20flow&k=3',
  'GET /api/tts': 'text=Hello',
};
type Body = { json: unknown } | { multipart: Record<string, string | Blob> } | { raw: Blob } | undefined;
const WAV = new Blob([wavOfSilence()], { type: 'audio/wav' });
const bodyFor = (route: string, a: SeedA): Body =>
  (
    ({
      'POST /api/jobs': { json: JOB },
      'PATCH /api/jobs/{id}': { json: { title: 'Renamed by someone else' } },
      'POST /api/jobs/{id}/documents': {
        multipart: { kind: 'notes', file: new Blob(['Notes from someone else.'], { type: 'text/plain' }) },
      },
      'POST /api/sessions': { json: { jobId: a.jobId, module: 'behavioral', mode: 'text', rounds: 1 } },
      'POST /api/panel-templates': { json: smallPanel('someone-else', 'Someone else’s panel') },
      // A's template, rewritten (a valid body: only whose template it is can refuse it).
      'PUT /api/panel-templates/{id}': { json: smallPanel(a.panelId, 'Someone else’s panel') },
      'POST /api/sessions/{id}/answers': { json: { text: ANSWER, turnId: a.turnId } },
      'POST /api/sessions/{id}/audio': { multipart: { turnId: a.turnId, file: WAV } },
      'PUT /api/sessions/{id}/turns/{turnId}/audio/segments/{index}': { raw: WAV },
      'POST /api/sessions/{id}/turns/{turnId}/audio/finish': { json: { segments: 1 } },
      'POST /api/admin/coach/promote': { json: { version: '1' } },
      'POST /api/admin/judgement/promote': { json: { version: '1' } },
      'POST /api/sessions/{id}/reviews': { json: REVIEW_REQUEST },
      'POST /api/reviews/{id}/submission': { json: reviewOf(a.turnId) },
      'POST /api/shared-reviews/{token}/open': { json: {} },
      'POST /api/shared-reviews/{token}/submission': { json: reviewOf(a.turnId) },
      'PATCH /api/reviews/{id}/comments/{commentId}': { json: { helpful: true } },
      'POST /api/reviews/{id}/comments/{commentId}/replies': { json: { text: 'Thanks, someone else' } },
      'POST /api/reviews/{id}/reviewer/comments/{commentId}/replies': {
        json: { text: 'Someone else answers' },
      },
      'POST /api/shared-reviews/{token}/comments/{commentId}/replies': {
        json: { text: 'Someone else answers' },
      },
      'POST /api/cohorts': { json: { name: 'Someone else’s cohort' } },
      // A code nobody made: the walk never holds A's (whoever is given it may join, like a share link).
      'POST /api/cohorts/join': { json: { inviteCode: 'NOSUCHCODE' } },
    }) as Record<string, Body>
  )[route];

/** A review request with a share link, due well after the walk. */
const REVIEW_REQUEST = {
  dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  share: { expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString() },
};
const reviewOf = (answerId: string) => ({ answers: [{ answerId, scores: { star: { score: 3 } } }] });

/**
 * A share link is reached by its token, not by an account: the walk holds no token of A's (whoever holds one
 * may open it; tests/api/reviews.test.ts covers links), so it calls link routes with a token nobody made.
 */
const UNKNOWN_TOKEN = 'x'.repeat(43);
const isLink = (r: Route) => r.path.startsWith('/api/shared-reviews/');

/** Routes with no path parameter whose body names one of A's objects: refused like an unknown id. */
const BODY_REFERENCES: Record<string, (a: SeedA, unknownId: string) => unknown> = {
  'POST /api/sessions': (_a, unknown) => ({ jobId: unknown, module: 'behavioral', mode: 'text', rounds: 1 }),
};

interface SeedA {
  email: string;
  jobId: string;
  documentId: string;
  sessionId: string;
  turnId: string;
  runId: string;
  reviewId: string;
  /** A's own mock panel template (its title carries the marker). */
  panelId: string;
  /** The share link of A's review request: what A gives a link reviewer. */
  shareToken: string;
  /** A's cohort, whose pool A's review request is also open to; and its invite code. */
  cohortId: string;
  inviteCode: string;
  /** Strings only A's data contains: none may appear in an answer to anyone else. */
  secrets: string[];
}

interface Route {
  method: string;
  path: string;
  key: string;
}

async function routesOf(client: AccountClient): Promise<Route[]> {
  const doc = (
    await client.call<{ paths: Record<string, Record<string, unknown>> }>('GET', '/api/openapi.json')
  ).json;
  const methods = ['get', 'post', 'put', 'patch', 'delete'];
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => methods.includes(m))
      .map((m) => ({ method: m.toUpperCase(), path, key: `${m.toUpperCase()} ${path}` })),
  );
}

/** The route's path with A's objects filled in; throws for a parameter the walk does not know yet. */
function urlFor(route: Route, a: SeedA): string {
  const idFor = (path: string) =>
    path.startsWith('/api/jobs/') || path.startsWith('/api/admin/jobs/')
      ? a.jobId
      : path.startsWith('/api/sessions/')
        ? a.sessionId
        : path.startsWith('/api/admin/ingestion-runs/')
          ? a.runId
          : path.startsWith('/api/reviews/')
            ? a.reviewId
            : path.startsWith('/api/panel-templates/')
              ? a.panelId
              : undefined;
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = {
      id: idFor(route.path),
      documentId: a.documentId,
      turnId: a.turnId,
      index: '0',
      token: UNKNOWN_TOKEN,
      // A's request has no comments (nobody reviewed it): the walk names one that would be A's.
      commentId: 'a'.repeat(22),
      answerId: a.turnId,
    }[name];
    if (!value) throw new Error(`isolation walk: teach urlFor the parameter {${name}} of ${route.key}`);
    return encodeURIComponent(value);
  });
  const query = QUERY[route.key];
  return query ? `${path}?${query}` : path;
}

/** Calls a route as `who`; reads at most a moment of an event stream (enough for its status and first events). */
async function callRoute(who: AccountClient, route: Route, a: SeedA, override?: unknown) {
  const url = urlFor(route, a);
  const body = override !== undefined ? { json: override } : bodyFor(route.key, a);
  const init: RequestInit = { method: route.method, headers: {} };
  if (body && 'json' in body) {
    init.body = JSON.stringify(body.json);
    init.headers = { 'content-type': 'application/json' };
  } else if (body && 'raw' in body) {
    init.body = body.raw;
    init.headers = { 'content-type': body.raw.type };
  } else if (body) {
    const form = new FormData();
    for (const [k, v] of Object.entries(body.multipart)) {
      if (v instanceof Blob)
        form.append(k, v, k === 'file' && v.type === 'audio/wav' ? 'answer.wav' : 'notes.txt');
      else form.append(k, v);
    }
    init.body = form;
  }
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), 1500);
  let text = '';
  let status = 0;
  let type = '';
  try {
    const res = await who.fetchRaw(url, { ...init, signal: ctl.signal });
    status = res.status;
    type = res.headers.get('content-type') ?? '';
    const reader = res.body?.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
  } finally {
    clearTimeout(timer);
  }
  return { url, status, type, text };
}

/** A's secrets that the request did not itself send (a 404 may echo the id it was asked for). */
function leaked(text: string, a: SeedA, request: string): string[] {
  return a.secrets.filter((s) => !request.includes(s) && text.includes(s));
}

async function seedA(stack: TestStack): Promise<{ a: SeedA; client: AccountClient }> {
  const marker = `Isolation-${randomUUID().slice(0, 8)}`;
  const client = accountClient(stack.baseUrl);
  const email = `${marker.toLowerCase()}@example.com`;
  expect((await client.signUp(email)).status).toBe(201);
  const job = await client.call<{ id: string }>('POST', '/api/jobs', {
    ...JOB,
    title: `${marker} Product Lead`,
    company: `${marker} Health`,
  });
  expect(job.status).toBe(201);
  const jobId = job.json.id;
  for (const deadline = Date.now() + 60_000; ;) {
    const j = await client.call<{ ingestion: { status: string } }>('GET', `/api/jobs/${jobId}`);
    if (j.json.ingestion.status === 'ready') break;
    if (Date.now() > deadline || j.json.ingestion.status === 'failed')
      throw new Error(JSON.stringify(j.json));
    await new Promise((r) => setTimeout(r, 200));
  }
  const panelId = marker.toLowerCase();
  const panel = await client.call('POST', '/api/panel-templates', smallPanel(panelId, `${marker} panel`));
  expect(panel.status).toBe(201);
  const docs = await client.call<{ id: string }[]>('GET', `/api/jobs/${jobId}/documents`);
  const documentId = docs.json[0]!.id;
  const session = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'text',
    rounds: 2,
  });
  expect(session.status).toBe(201);
  const sessionId = session.json.id;
  // Answer the first question (and a follow-up probe, if any) until feedback: A's session has coached turns.
  const answer = `${ANSWER} ${marker}-answer`;
  for (const deadline = Date.now() + 60_000; ;) {
    const s = await client.call<{ status: string; turns: { id: string; answer?: string }[] }>(
      'GET',
      `/api/sessions/${sessionId}`,
    );
    if (s.json.status === 'reviewing') break;
    if (s.json.status === 'awaiting_answer') {
      const open = s.json.turns.find((t) => !t.answer);
      if (open)
        await client.call('POST', `/api/sessions/${sessionId}/answers`, { text: answer, turnId: open.id });
    }
    if (Date.now() > deadline) throw new Error(`A's session stayed ${s.json.status}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  const { db } = stack.services.database;
  const [turn] = await db.select({ id: turns.id }).from(turns).where(eq(turns.sessionId, sessionId));
  const [run] = await db
    .select({ id: ingestionRuns.id })
    .from(ingestionRuns)
    .where(eq(ingestionRuns.jobId, jobId));
  const cohort = await client.call<{ id: string; inviteCode: string }>('POST', '/api/cohorts', {
    name: `${marker} cohort`,
  });
  expect(cohort.status, cohort.text).toBe(201);
  const review = await client.call<{ id: string; share: { token: string } }>(
    'POST',
    `/api/sessions/${sessionId}/reviews`,
    { ...REVIEW_REQUEST, cohortId: cohort.json.id },
  );
  expect(review.status, review.text).toBe(201);
  const a = {
    email,
    jobId,
    documentId,
    sessionId,
    turnId: turn!.id,
    runId: run!.id,
    reviewId: review.json.id,
    shareToken: review.json.share.token,
    cohortId: cohort.json.id,
    inviteCode: cohort.json.inviteCode,
    panelId,
  };
  return { a: { ...a, secrets: [marker, ...Object.values(a)] }, client };
}

/** What A can see of its own session and job, to prove afterwards that nobody else changed them. */
async function snapshot(client: AccountClient, a: SeedA) {
  const session = await client.call<{ status: string; turns: unknown[] }>(
    'GET',
    `/api/sessions/${a.sessionId}`,
  );
  const job = await client.call<{ title: string }>('GET', `/api/jobs/${a.jobId}`);
  const documents = await client.call<unknown[]>('GET', `/api/jobs/${a.jobId}/documents`);
  const review = await client.call<{ status: string; reviews: unknown[] }>(
    'GET',
    `/api/reviews/${a.reviewId}`,
  );
  const panels = await client.call<{ id: string; title: string }[]>('GET', '/api/panel-templates');
  return {
    panel: panels.json.find((p) => p.id === a.panelId)?.title,
    review: review.json.status,
    reviews: review.json.reviews.length,
    status: session.json.status,
    turns: session.json.turns.length,
    title: job.json.title,
    docs: documents.json.length,
  };
}

const isPublic = (r: Route) => PUBLIC.some((p) => p.test(r.path));
const hasObject = (r: Route) => r.path.includes('{');
const isAdmin = (r: Route) => r.path.startsWith('/api/admin/');

describe('AUTH_MODE=accounts: a second account and an anonymous client reach nothing of A', () => {
  let stack: TestStack;
  let a: SeedA;
  let owner: AccountClient;
  let routes: Route[];

  beforeAll(async () => {
    stack = await startStack({
      AUTH_MODE: 'accounts',
      RATE_AUTH: '1000/min',
      SSE_HEARTBEAT_MS: '200',
    });
    ({ a, client: owner } = await seedA(stack));
    routes = await routesOf(owner);
  }, 180_000);
  afterAll(() => stack?.close());

  it('walks a document that has every kind of route', () => {
    const keys = routes.map((r) => r.key);
    // The walk is only as good as the document: these must be in it (SSE, downloads, search, analytics).
    for (const must of [
      'GET /api/sessions/{id}/events',
      'GET /api/jobs/{id}/events',
      'GET /api/sessions/{id}/export.pdf',
      'GET /api/jobs/{id}/documents/{documentId}',
      'GET /api/jobs/{id}/search',
      'GET /api/analytics',
      'POST /api/admin/reingest',
      'GET /api/reviews/{id}/events',
      'POST /api/shared-reviews/{token}/submission',
      'GET /api/panel-templates',
      'POST /api/panel-templates',
      'PUT /api/panel-templates/{id}',
      'DELETE /api/panel-templates/{id}',
      'POST /api/cohorts/join',
    ]) {
      expect(keys).toContain(must);
    }
    expect(routes.length).toBeGreaterThan(30);
  });

  it('A reaches its own objects on every GET route (so the refusals below are about who asks)', async () => {
    for (const route of routes.filter((r) => r.method === 'GET' && hasObject(r))) {
      const res = await callRoute(owner, route, a);
      // A recording exists only for voice answers; A answered by text, so its audio is a 404 for A too.
      // A is not a reviewer of its own request, and the walk's link token is nobody's.
      const expected =
        route.key === 'GET /api/sessions/{id}/turns/{turnId}/audio' ||
        route.key === 'GET /api/reviews/{id}/answers/{answerId}/audio' ||
        route.key === 'GET /api/reviews/{id}/reviewer' ||
        isLink(route)
          ? 404
          : 200;
      expect(res.status, `${route.key} as A`).toBe(expected);
    }
  });

  it('B, a signed-in candidate, gets 401/403/404 on every route naming A’s objects, 403 on admin routes, and never A’s data', async () => {
    const b = accountClient(stack.baseUrl);
    expect((await b.signUp(`b-${randomUUID().slice(0, 8)}@example.com`)).status).toBe(201);
    const before = await snapshot(owner, a);
    expect(before.panel, "A's panel template, which the walk may not change").toMatch(/ panel$/);
    const unknownId = randomUUID();
    for (const route of routes.filter((r) => !isPublic(r))) {
      const res = await callRoute(b, route, a);
      const what = `${route.key} as B -> ${res.status} ${res.text.slice(0, 200)}`;
      expect(leaked(res.text, a, res.url + JSON.stringify(bodyFor(route.key, a) ?? '')), what).toEqual([]);
      if (isAdmin(route)) {
        expect(res.status, what).toBe(403);
      } else if (hasObject(route)) {
        expect([401, 403, 404], what).toContain(res.status);
      } else if (BODY_REFERENCES[route.key]) {
        // Naming A's job in a body is answered exactly as naming a job that does not exist.
        const unknown = await callRoute(b, route, a, BODY_REFERENCES[route.key]!(a, unknownId));
        expect(res.status, what).toBe(unknown.status);
        expect(res.status, what).toBeGreaterThanOrEqual(400);
      } else {
        expect(res.status, what).not.toBe(500); // a refusal or B's own data, never a crash
      }
    }
    // Nothing B sent changed A's session, job, documents or panel template.
    expect(await snapshot(owner, a)).toEqual(before);
  });

  it('an anonymous client gets 401 on every route but health, metrics, the OpenAPI document and sign-in', async () => {
    const anon = accountClient(stack.baseUrl);
    for (const route of routes) {
      const res = await callRoute(anon, route, a);
      const what = `${route.key} anonymous -> ${res.status} ${res.text.slice(0, 200)}`;
      expect(leaked(res.text, a, res.url), what).toEqual([]);
      if (isPublic(route)) continue;
      // Link routes need no account: without a link that exists they are a 404.
      expect(res.status, what).toBe(isLink(route) ? 404 : 401);
      expect(res.type, what).toContain('application/problem+json');
    }
  });
});

describe('AUTH_MODE=accounts: a link reviewer holding A’s link reaches that snapshot and nothing else', () => {
  let stack: TestStack;
  let a: SeedA;
  let owner: AccountClient;
  let routes: Route[];

  beforeAll(async () => {
    stack = await startStack({ AUTH_MODE: 'accounts', RATE_AUTH: '1000/min', SSE_HEARTBEAT_MS: '200' });
    ({ a, client: owner } = await seedA(stack));
    routes = await routesOf(owner);
  }, 180_000);
  afterAll(() => stack?.close());

  it('opens the snapshot without A’s identity, and gets 401 on every other route', async () => {
    const guest = accountClient(stack.baseUrl);
    const opened = await guest.call<{ reviewerKey: string }>(
      'POST',
      `/api/shared-reviews/${a.shareToken}/open`,
      {},
    );
    expect(opened.status, opened.text).toBe(200);
    // The snapshot holds A's answer, but nothing that names A or leads to A's other objects.
    for (const s of [a.email, a.jobId, a.documentId, a.sessionId, a.runId])
      expect(opened.text).not.toContain(s);
    const as = { 'x-reviewer-key': opened.json.reviewerKey };
    for (const route of routes.filter((r) => !isPublic(r) && !isLink(r))) {
      const url = urlFor(route, a);
      const res = await guest.fetchRaw(url, { method: route.method, headers: as });
      const text = await res.text();
      expect(res.status, `${route.key} as A's link reviewer -> ${res.status}`).toBe(401);
      expect(leaked(text, a, url)).toEqual([]);
    }
  });
});

describe('AUTH_MODE=local: the cookie-less local admin sees nothing of an account', () => {
  let stack: TestStack;
  let a: SeedA;
  let owner: AccountClient;
  let routes: Route[];

  beforeAll(async () => {
    stack = await startStack({ RATE_AUTH: '1000/min', SSE_HEARTBEAT_MS: '200' });
    ({ a, client: owner } = await seedA(stack));
    routes = await routesOf(owner);
  }, 180_000);
  afterAll(() => stack?.close());

  it('gets 404 on every route naming A’s objects (admin routes too) and never A’s data', async () => {
    const local = accountClient(stack.baseUrl);
    expect((await local.call('GET', '/api/me')).json).toMatchObject({ id: 'local', role: 'admin' });
    const before = await snapshot(owner, a);
    expect(before.panel, "A's panel template, which the walk may not change").toMatch(/ panel$/);
    const unknownId = randomUUID();
    for (const route of routes.filter((r) => !isPublic(r))) {
      const res = await callRoute(local, route, a);
      const what = `${route.key} as local -> ${res.status} ${res.text.slice(0, 200)}`;
      expect(leaked(res.text, a, res.url + JSON.stringify(bodyFor(route.key, a) ?? '')), what).toEqual([]);
      if (hasObject(route)) {
        expect(res.status, what).toBe(404);
      } else if (BODY_REFERENCES[route.key]) {
        const unknown = await callRoute(local, route, a, BODY_REFERENCES[route.key]!(a, unknownId));
        expect(res.status, what).toBe(unknown.status);
      } else {
        expect(res.status, what).not.toBe(500);
      }
    }
    expect(await snapshot(owner, a)).toEqual(before);
  });
});

/** 0.5 s of 16 kHz mono silence as WAV: a valid recording that authorization must refuse before decoding. */
function wavOfSilence(): ArrayBuffer {
  const samples = 8000;
  const buf = Buffer.alloc(44 + samples * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + samples * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(16000, 24);
  buf.writeUInt32LE(32000, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(samples * 2, 40);
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
}
