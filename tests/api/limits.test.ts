// Limits over real HTTP: sign-in attempts per IP, sessions started and uploads per user, and the daily
// model-token quota each answer 429 + Retry-After (problem+json) and recover. The token quota runs the
// coach against a FAKE hosted LLM (an OpenAI-compatible endpoint in this file that reports token usage):
// the only fake here; the rest is the real stack.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenUsage } from '../../core/db/schema.js';
import { tokensSpent, utcDay } from '../../core/stores/token-usage.js';
import { SCORE_DIMENSIONS } from '../../core/types.js';
import { JUDGE_MAX_TOKENS } from '../../agents/provider.js';
import { accountClient, type AccountClient } from '../support/accounts.js';
import { ANSWER, JOB } from '../support/client.js';
import { startStack, type TestStack } from '../support/stack.js';

const PASSWORD = 'correct horse battery';
const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

function expectTooMany(res: { status: number; type: string; headers: Headers }, maxSeconds: number) {
  expect(res.status).toBe(429);
  expect(res.type).toContain('application/problem+json');
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  return retryAfter;
}

async function readyJob(client: AccountClient): Promise<string> {
  const job = await client.call<{ id: string }>('POST', '/api/jobs', JOB);
  expect(job.status).toBe(201);
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    const j = await client.call<{ ingestion: { status: string } }>('GET', `/api/jobs/${job.json.id}`);
    if (j.json.ingestion.status === 'ready') return job.json.id;
    await sleep(0.2);
  }
  throw new Error('ingestion did not finish');
}

const session = (jobId: string) => ({ jobId, module: 'behavioral', mode: 'text', rounds: 1 });

describe('rate limits (in memory, per API process)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ RATE_AUTH: '3/10s', RATE_SESSIONS: '2/10s', RATE_UPLOADS: '2/10s' });
  });
  afterAll(() => stack?.close());

  it('sign-in attempts per client IP: the 4th in the window is refused, even with the right password, then allowed', async () => {
    // The API trusts X-Forwarded-For from a loopback proxy (nginx), so a test can be several addresses.
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const login = (ip: string, password: string) =>
      accountClient(stack.baseUrl).call(
        'POST',
        '/api/auth/login',
        { email: 'limited@example.com', password },
        from(ip),
      );
    const signup = await accountClient(stack.baseUrl).call(
      'POST',
      '/api/auth/signup',
      { email: 'limited@example.com', password: PASSWORD },
      from('198.51.100.1'),
    );
    expect(signup.status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await login('203.0.113.7', 'wrong password')).status).toBe(401);
    const refused = await login('203.0.113.7', PASSWORD);
    const retryAfter = expectTooMany(refused, 10);
    expect(refused.json.detail).toMatch(/sign-in attempts/);
    expect(refused.headers.getSetCookie()).toEqual([]);
    // Another address is not affected.
    expect((await login('203.0.113.8', PASSWORD)).status).toBe(200);
    await sleep(retryAfter);
    expect((await login('203.0.113.7', PASSWORD)).status).toBe(200);
  });

  let starter: AccountClient;
  let starterJob: string;

  it('sessions started per account: the 3rd in the window is a 429, other users are not affected, then it recovers', async () => {
    starter = accountClient(stack.baseUrl);
    expect((await starter.signUp('starter@example.com')).status).toBe(201);
    const other = accountClient(stack.baseUrl);
    expect((await other.signUp('other@example.com')).status).toBe(201);
    starterJob = await readyJob(starter);
    const started: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await starter.call<{ id: string }>('POST', '/api/sessions', session(starterJob));
      expect(res.status).toBe(201);
      started.push(res.json.id);
    }
    const refused = await starter.call('POST', '/api/sessions', session(starterJob));
    const retryAfter = expectTooMany(refused, 10);
    expect(refused.json.detail).toMatch(/practice sessions/);

    // Another account's budget is its own (its job is not ready yet: refused, but not with a 429).
    const otherJob = await other.call<{ id: string }>('POST', '/api/jobs', JOB);
    expect((await other.call('POST', '/api/sessions', session(otherJob.json.id))).status).not.toBe(429);
    // The embedded default's cookie-less local user (the install's operator) is not rate-limited.
    const local = accountClient(stack.baseUrl);
    const localJob = await local.call<{ id: string }>('POST', '/api/jobs', JOB);
    for (let i = 0; i < 4; i++) {
      expect((await local.call('POST', '/api/sessions', session(localJob.json.id))).status).not.toBe(429);
    }

    await sleep(retryAfter);
    const again = await starter.call<{ id: string }>('POST', '/api/sessions', session(starterJob));
    expect(again.status).toBe(201);
    started.push(again.json.id);
    for (const id of started) await starter.call('POST', `/api/sessions/${id}/end`);
  });

  it('uploads per account: the 3rd in the window is a 429 and nothing is stored, then it recovers', async () => {
    const upload = (who: AccountClient, jobId: string, name: string) => {
      const form = new FormData();
      form.append('kind', 'notes');
      form.append(
        'file',
        new Blob([`Notes ${name}: discovery with clinicians.`], { type: 'text/plain' }),
        name,
      );
      return who.fetchRaw(`/api/jobs/${jobId}/documents`, { method: 'POST', body: form });
    };
    const names = async () =>
      (await starter.call<{ name: string }[]>('GET', `/api/jobs/${starterJob}/documents`)).json.map(
        (d) => d.name,
      );
    const before = (await names()).length;
    expect((await upload(starter, starterJob, 'one.txt')).status).toBe(202);
    expect((await upload(starter, starterJob, 'two.txt')).status).toBe(202);
    const refused = await upload(starter, starterJob, 'three.txt');
    const retryAfter = expectTooMany(
      { status: refused.status, type: refused.headers.get('content-type') ?? '', headers: refused.headers },
      10,
    );
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/uploads/);
    expect(await names()).toHaveLength(before + 2);
    expect(await names()).not.toContain('three.txt');

    const local = accountClient(stack.baseUrl);
    const localJob = (await local.call<{ id: string }[]>('GET', '/api/jobs')).json[0]!.id;
    for (let i = 0; i < 3; i++) {
      expect((await upload(local, localJob, `local-${i}.txt`)).status).toBe(202);
    }

    await sleep(retryAfter);
    expect((await upload(starter, starterJob, 'three.txt')).status).toBe(202);
  });
});

describe('the daily model-token quota (coach on a FAKE hosted LLM)', () => {
  let stack: TestStack;
  let llm: Awaited<ReturnType<typeof fakeHostedLlm>>;
  beforeAll(async () => {
    llm = await fakeHostedLlm();
    stack = await startStack({
      LLM_BASE_URL: llm.url,
      LLM_API_KEY: 'fake-key',
      LLM_TOKENS_PER_DAY: '200',
      LLM_MAX_OUTPUT_TOKENS: '321',
      RATE_AUTH: '100/min',
    });
  });
  afterAll(async () => {
    await stack?.close();
    await llm?.close();
  });

  it('books the tokens the coach spends, refuses new model work once spent (429 until 00:00 UTC), recovers the next day', async () => {
    const tab = accountClient(stack.baseUrl);
    const { json: me } = await tab.signUp('spender@example.com');
    const jobId = await readyJob(tab);
    const created = await tab.call<{ id: string }>('POST', '/api/sessions', session(jobId));
    expect(created.status).toBe(201);
    const id = created.json.id;
    for (const deadline = Date.now() + 60_000; ;) {
      const s = await tab.call<{ status: string; turns: { id: string; answer?: string }[] }>(
        'GET',
        `/api/sessions/${id}`,
      );
      if (s.json.status === 'reviewing') break;
      const open = s.json.turns.find((t) => !t.answer);
      if (s.json.status === 'awaiting_answer' && open)
        await tab.call('POST', `/api/sessions/${id}/answers`, { text: ANSWER, turnId: open.id });
      if (Date.now() > deadline) throw new Error(`session stayed ${s.json.status}`);
      await sleep(0.15);
    }

    // Every token the model reported is booked to the user, and every call was bounded.
    const { db } = stack.services.database;
    expect(llm.calls.length).toBeGreaterThan(1);
    expect(await tokensSpent(db, me.id)).toBe(llm.tokensServed());
    // Text replies by LLM_MAX_OUTPUT_TOKENS; the scoring (not streamed) has room for its whole JSON.
    expect(llm.calls.every((c) => c.maxTokens === (c.stream ? 321 : JUDGE_MAX_TOKENS))).toBe(true);
    expect(llm.calls.some((c) => !c.stream)).toBe(true);

    const callsBefore = llm.calls.length;
    const refused = await tab.call('POST', '/api/sessions', session(jobId));
    const untilMidnight = Math.ceil((Date.UTC(...utcTomorrow()) - Date.now()) / 1000);
    const retryAfter = expectTooMany(refused, untilMidnight + 5);
    expect(Math.abs(retryAfter - untilMidnight)).toBeLessThanOrEqual(5);
    expect(refused.json.detail).toMatch(/model tokens/);
    expectTooMany(await tab.call('POST', `/api/sessions/${id}/next`), untilMidnight + 5);
    expectTooMany(await tab.call('POST', `/api/sessions/${id}/retry`), untilMidnight + 5);
    expect(llm.calls.length).toBe(callsBefore); // refused before any model call
    // Ending spends no tokens and stays allowed; the session keeps its coached turn.
    expect((await tab.call('POST', `/api/sessions/${id}/end`)).status).toBe(202);

    // Another user has a budget of their own.
    const other = accountClient(stack.baseUrl);
    await other.signUp('saver@example.com');
    const otherJob = await readyJob(other);
    const otherSession = await other.call<{ id: string }>('POST', '/api/sessions', session(otherJob));
    expect(otherSession.status).toBe(201);
    await other.call('POST', `/api/sessions/${otherSession.json.id}/end`);

    // The next UTC day: today's row becomes yesterday's, and the user may start again.
    await db
      .update(tokenUsage)
      .set({ day: utcDay(new Date(Date.now() - 86_400_000)) })
      .where(and(eq(tokenUsage.userId, me.id), eq(tokenUsage.day, utcDay())));
    const renewed = await tab.call<{ id: string }>('POST', '/api/sessions', session(jobId));
    expect(renewed.status).toBe(201);
    await tab.call('POST', `/api/sessions/${renewed.json.id}/end`);
  });
});

function utcTomorrow(): [number, number, number] {
  const now = new Date();
  return [now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1];
}

/**
 * FAKE hosted LLM: an OpenAI-compatible /chat/completions that answers every prompt with a fixed text (JSON
 * scores when asked for JSON) and reports 60 prompt + 40 completion tokens per call (streamed calls in the final usage chunk, as OpenAI
 * does with stream_options.include_usage). It records each call's max_tokens.
 */
async function fakeHostedLlm() {
  const calls: { stream: boolean; maxTokens: number | undefined }[] = [];
  const usage = { prompt_tokens: 60, completion_tokens: 40, total_tokens: 100 };
  const reply =
    'Tell me about a time you improved a product metric. What did you do, and what changed as a result?';
  const judgement = JSON.stringify(
    Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, { score: 3, reason: 'Fine.' }])),
  );
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      if (!req.url?.endsWith('/chat/completions')) {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(raw) as {
        stream?: boolean;
        max_tokens?: number;
        max_completion_tokens?: number;
        response_format?: { type: string };
      };
      calls.push({ stream: Boolean(body.stream), maxTokens: body.max_tokens ?? body.max_completion_tokens });
      const base = { id: `fake-${calls.length}`, created: 0, model: 'fake-model' };
      if (!body.stream) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            ...base,
            object: 'chat.completion',
            // Asked for JSON (the coach's scoring), it answers JSON, as a hosted API does.
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: body.response_format ? judgement : reply },
                finish_reason: 'stop',
              },
            ],
            usage,
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
      for (const piece of reply.match(/\S+\s*/g) ?? []) {
        send({
          ...base,
          object: 'chat.completion.chunk',
          choices: [{ index: 0, delta: { role: 'assistant', content: piece }, finish_reason: null }],
        });
      }
      send({
        ...base,
        object: 'chat.completion.chunk',
        choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
      });
      send({ ...base, object: 'chat.completion.chunk', choices: [], usage });
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    calls,
    tokensServed: () => calls.length * usage.total_tokens,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
