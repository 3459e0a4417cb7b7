// The HTTP contract over real HTTP: errors as problem+json, SSE replay after Last-Event-ID, OpenAPI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER, apiClient, createReadyJob, JOB } from '../support/client.js';
import { startStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
let client: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startStack({ BODY_LIMIT_BYTES: '4096', SSE_HEARTBEAT_MS: '200' });
  client = apiClient(stack.baseUrl);
});
afterAll(() => stack?.close());

describe('bad input gets a clear 4xx problem', () => {
  it('malformed JSON is a 400 problem+json that says so', async () => {
    const res = await client.call<{ status: number; detail: string; title: string; type: string }>(
      'POST',
      '/api/jobs',
      '{"title": ',
    );
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect(res.json).toMatchObject({ status: 400, title: 'Bad Request' });
    expect(res.json.detail).toMatch(/not valid JSON/);
  });

  it('a body over the limit is a 413 naming the limit', async () => {
    const res = await client.call<{ detail: string }>('POST', '/api/jobs', {
      ...JOB,
      description: 'x'.repeat(10_000),
    });
    expect(res.status).toBe(413);
    expect(res.type).toContain('application/problem+json');
    expect(res.json.detail).toContain('4096');
  });

  it('a job without a description names the missing field', async () => {
    const res = await client.call<{ detail: string }>('POST', '/api/jobs', { title: 'PM', company: 'Acme' });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(/description/);
  });

  it('a session with an unknown module or no rounds is a 400; an unknown job too', async () => {
    const bad = await client.call<{ detail: string }>('POST', '/api/sessions', {
      jobId: 'x',
      module: 'poetry',
      mode: 'text',
      rounds: 0,
    });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toMatch(/module/);
    expect(bad.json.detail).toMatch(/rounds/);
    const missing = await client.call('POST', '/api/sessions', {
      jobId: 'no-such-job',
      module: 'behavioral',
      mode: 'text',
      rounds: 1,
    });
    expect(missing.status).toBe(400);
  });

  it('unknown sessions and jobs are 404s, unknown API routes too', async () => {
    for (const path of [
      '/api/sessions/nope',
      '/api/jobs/nope',
      '/api/sessions/nope/events',
      '/api/nothing-here',
    ]) {
      const res = await client.call('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.type, path).toContain('application/problem+json');
    }
  });

  it('a non-numeric Last-Event-ID is a 400', async () => {
    const jobId = await createReadyJob(client);
    const { json } = await client.call<{ id: string }>('POST', '/api/sessions', {
      jobId,
      module: 'behavioral',
      mode: 'text',
      rounds: 1,
    });
    const res = await client.call('GET', `/api/sessions/${json.id}/events`, undefined, {
      'last-event-id': 'abc',
    });
    expect(res.status).toBe(400);
    await client.call('POST', `/api/sessions/${json.id}/end`);
  });
});

describe('session events over SSE', () => {
  it('replaying with Last-Event-ID sends exactly the missed events, then live ones', async () => {
    const jobId = await createReadyJob(client);
    const { json } = await client.call<{ id: string }>('POST', '/api/sessions', {
      jobId,
      module: 'behavioral',
      mode: 'text',
      rounds: 1,
    });
    const id = json.id;
    const early = await client.events(id, { until: (e) => e.data.type === 'question' });
    const question = early.at(-1)!;
    expect((await client.call('POST', `/api/sessions/${id}/answers`, { text: '' })).status).toBe(400);
    expect((await client.call('POST', `/api/sessions/${id}/next`)).status).toBe(409);
    await client.call('POST', `/api/sessions/${id}/answers`, { text: ANSWER, turnId: question.data.turnId });
    const full = await client.events(id, {
      until: (e) => e.data.type === 'state' && e.data.status === 'reviewing',
    });

    const cut = full[Math.floor(full.length / 2)]!;
    const missed = full.filter((e) => e.id > cut.id);
    const replay = await client.events(id, {
      lastEventId: cut.id,
      until: (_e, all) => all.length >= missed.length,
    });
    expect(replay).toEqual(missed);
    // Answering twice is a conflict, not a second turn.
    expect((await client.call('POST', `/api/sessions/${id}/answers`, { text: ANSWER })).status).toBe(409);

    // A client that is up to date gets the next live event and nothing it had.
    const live = client.events(id, {
      lastEventId: full.at(-1)!.id,
      until: (e) => e.data.type === 'state' && e.data.status === 'completed',
    });
    await client.call('POST', `/api/sessions/${id}/next`);
    const tail = await live;
    expect(tail[0]!.id).toBe(full.at(-1)!.id + 1);
  });

  it('sends heartbeats, no-buffering headers, and an end event after the session completes', async () => {
    const jobId = await createReadyJob(client);
    const { json } = await client.call<{ id: string }>('POST', '/api/sessions', {
      jobId,
      module: 'behavioral',
      mode: 'text',
      rounds: 1,
    });
    await client.events(json.id, { until: (e) => e.data.type === 'question' });
    const res = await fetch(`${stack.baseUrl}/api/sessions/${json.id}/events`, {
      headers: { 'last-event-id': '999999' },
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toContain(': heartbeat');
    await reader.cancel();

    await client.call('POST', `/api/sessions/${json.id}/end`);
    const body = await (await fetch(`${stack.baseUrl}/api/sessions/${json.id}/events`)).text();
    expect(body.trimEnd().endsWith('event: end\ndata: {"type":"end"}')).toBe(true);
  });
});

describe('service endpoints', () => {
  it('serves the OpenAPI document with every contract route', async () => {
    const { json } = await client.call<{ openapi: string; paths: Record<string, unknown> }>(
      'GET',
      '/api/openapi.json',
    );
    expect(json.openapi).toBe('3.1.0');
    for (const p of [
      '/api/jobs',
      '/api/jobs/{id}',
      '/api/jobs/{id}/search',
      '/api/sessions',
      '/api/sessions/{id}',
      '/api/sessions/{id}/answers',
      '/api/sessions/{id}/retry',
      '/api/sessions/{id}/next',
      '/api/sessions/{id}/end',
      '/api/sessions/{id}/events',
      '/healthz',
      '/readyz',
      '/metrics',
    ]) {
      expect(json.paths, p).toHaveProperty([p]);
    }
  });

  it('is ready when Temporal, Chroma and the database answer, and exposes metrics', async () => {
    const ready = await client.call<{ checks: Record<string, string> }>('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json.checks).toEqual({ database: 'ok', chroma: 'ok', temporal: 'ok' });
    const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    for (const name of [
      'ih_http_request_duration_seconds',
      'ih_sse_active_streams',
      'ih_time_to_first_token_seconds',
      'ih_llm_tokens_total',
      'ih_errors_total',
    ]) {
      expect(metrics).toContain(name);
    }
    expect(metrics).toMatch(/ih_llm_tokens_total\{provider="offline",node="select_question"\} [1-9]/);
  });

  it('search returns the job passages for a phrase of the job description', async () => {
    const jobId = await createReadyJob(client);
    const { json } = await client.call<{ results: { kind: string; text: string; score: number }[] }>(
      'GET',
      `/api/jobs/${jobId}/search?q=${encodeURIComponent('no-show rates')}&k=3`,
    );
    expect(json.results.length).toBeGreaterThan(0);
    expect(json.results[0]!.text).toMatch(/no-show/);
    expect((await client.call('GET', `/api/jobs/${jobId}/search`)).status).toBe(400);
  });
});
