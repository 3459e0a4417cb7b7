// The real nginx (Debian) with nginx/nginx.conf and the site template, in front of the real API: event
// streams arrive as they are sent and idle ones stay open, limits and security headers hold.
// IDLE_STREAM_MS (default 20 s) and SSE_HEARTBEAT_MS (default 2 s) size the idle-stream test;
// `npm run test:idle` runs it for the 5 minutes with the production heartbeat (15 s).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse } from '../../core/sse.js';
import { percentile } from '../../core/stats.js';
import { ANSWER, apiClient, createReadyJob } from '../support/client.js';
import { requireCommands } from '../support/processes.js';
import { startStack, type TestStack } from '../support/stack.js';
import { startNginx, type Nginx } from './support.js';

const IDLE_STREAM_MS = Number(process.env.IDLE_STREAM_MS ?? 20_000);
const HEARTBEAT_MS = Number(process.env.SSE_HEARTBEAT_MS ?? 2_000);
const TOKEN_DELAY_MS = 30;

interface Arrival {
  t: number;
  kind: 'event' | 'heartbeat' | 'end';
  id?: number;
  data?: { type: string; [k: string]: unknown };
}

/** Reads an SSE stream and stamps each block with its arrival time; `until` ends the read. */
async function readStream(
  url: string,
  opts: { lastEventId?: number; until: (a: Arrival) => boolean; timeoutMs: number },
): Promise<{ arrivals: Arrival[]; headers: Headers }> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), opts.timeoutMs);
  const arrivals: Arrival[] = [];
  try {
    const res = await fetch(url, {
      headers: {
        accept: 'text/event-stream',
        'accept-encoding': 'gzip, deflate',
        ...(opts.lastEventId !== undefined && { 'last-event-id': String(opts.lastEventId) }),
      },
      signal: ctl.signal,
    });
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
    for await (const item of readSse(res.body)) {
      const t = item.at;
      let a: Arrival;
      if (item.kind === 'comment') {
        if (item.text !== 'heartbeat') continue;
        a = { t, kind: 'heartbeat' };
      } else if (item.event === 'end') a = { t, kind: 'end' };
      else
        a = { t, kind: 'event', id: Number(item.id), data: JSON.parse(item.data || '{}') as Arrival['data'] };
      arrivals.push(a);
      if (opts.until(a)) return { arrivals, headers: res.headers };
    }
    return { arrivals, headers: res.headers };
  } catch (err) {
    if ((err as Error).name === 'AbortError') return { arrivals, headers: new Headers() };
    throw err;
  } finally {
    clearTimeout(timer);
    ctl.abort();
  }
}

const isState = (status: string) => (a: Arrival) => a.data?.type === 'state' && a.data.status === status;

/** Per token event: how much later it arrived through nginx than straight from the API. */
function tokenDelays(direct: Arrival[], proxied: Arrival[]) {
  const at = new Map(proxied.filter((a) => a.kind === 'event').map((a) => [a.id, a.t]));
  const tokens = direct.filter((a) => a.data?.type === 'token');
  const delays = tokens.map((a) => at.get(a.id)! - a.t);
  const span = (xs: Arrival[]) => xs.at(-1)!.t - xs[0]!.t;
  const proxiedTokens = proxied.filter((a) => a.data?.type === 'token');
  return { count: tokens.length, delays, directSpan: span(tokens), proxiedSpan: span(proxiedTokens) };
}

let stack: TestStack;
let nginx: Nginx;
let api: ReturnType<typeof apiClient>;
let jobId: string;

beforeAll(async () => {
  requireCommands('nginx');
  stack = await startStack({
    SSE_HEARTBEAT_MS: String(HEARTBEAT_MS),
    OFFLINE_TOKEN_DELAY_MS: String(TOKEN_DELAY_MS),
  });
  nginx = await startNginx(new URL(stack.baseUrl).host);
  api = apiClient(nginx.url);
  jobId = await createReadyJob(api);
});
afterAll(async () => {
  await nginx?.stop();
  await stack?.close();
});

/** Starts a one-round session through nginx and returns its id. */
async function startSession(): Promise<string> {
  const { status, json } = await api.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'text',
    rounds: 1,
  });
  expect(status).toBe(201);
  return json.id;
}

describe('nginx in front of the API', () => {
  it('streams session events as they are sent, not in a burst at the end', async () => {
    const id = await startSession();
    const path = `/api/sessions/${id}/events`;
    const until = isState('reviewing');
    // The same session read straight from the API and through nginx at the same time.
    const direct = readStream(stack.baseUrl + path, { until, timeoutMs: 60_000 });
    const proxied = readStream(nginx.url + path, { until, timeoutMs: 60_000 });

    const question = await api.events(id, { until: (e) => e.data.type === 'question' });
    const turnId = question.at(-1)!.data.turnId;
    expect((await api.call('POST', `/api/sessions/${id}/answers`, { text: ANSWER, turnId })).status).toBe(
      202,
    );
    const [d, p] = await Promise.all([direct, proxied]);

    expect(p.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(p.headers.get('content-encoding')).toBeNull();
    expect(p.arrivals.filter((a) => a.kind === 'event').map((a) => a.id)).toEqual(
      d.arrivals.filter((a) => a.kind === 'event').map((a) => a.id),
    );
    const { count, delays, directSpan, proxiedSpan } = tokenDelays(d.arrivals, p.arrivals);
    // Paced at 30 ms a token, the question and the critique stream over seconds.
    expect(count).toBeGreaterThan(20);
    expect(directSpan).toBeGreaterThan(count * TOKEN_DELAY_MS * 0.5);
    expect(proxiedSpan).toBeGreaterThan(directSpan * 0.9);
    expect(percentile(delays, 50)).toBeLessThan(25);
    expect(percentile(delays, 95)).toBeLessThan(100);
    await api.call('POST', `/api/sessions/${id}/end`);
  });

  it('the same check fails behind a buffering proxy (the test can tell)', async () => {
    const buffering = await startNginx(new URL(stack.baseUrl).host, (site) =>
      site
        .replace('proxy_buffering off;', 'proxy_buffering on; proxy_ignore_headers X-Accel-Buffering;')
        .replace(/ gzip off;/, ' gzip on; gzip_types text/event-stream; gzip_min_length 0;'),
    );
    try {
      const id = await startSession();
      const path = `/api/sessions/${id}/events`;
      const until = isState('awaiting_answer');
      const [d, p] = await Promise.all([
        readStream(stack.baseUrl + path, { until, timeoutMs: 30_000 }),
        // The buffered stream only flushes when a buffer fills or the response ends: end the session.
        readStream(buffering.url + path, { until: (a) => a.kind === 'end', timeoutMs: 30_000 }),
        (async () => {
          await api.events(id, { until: isStateEvent('awaiting_answer') });
          await new Promise((r) => setTimeout(r, 500));
          await api.call('POST', `/api/sessions/${id}/end`);
        })(),
      ]);
      const { delays } = tokenDelays(d.arrivals, p.arrivals);
      expect(percentile(delays, 50)).toBeGreaterThan(100);
    } finally {
      await buffering.stop();
    }
  });

  it(
    `keeps an idle stream open with heartbeats (${IDLE_STREAM_MS / 1000} s, heartbeat ${HEARTBEAT_MS / 1000} s)`,
    async () => {
      const id = await startSession();
      const seen = await api.events(id, { until: isStateEvent('awaiting_answer') });
      const path = `/api/sessions/${id}/events`;
      const started = performance.now();
      const stream = readStream(nginx.url + path, {
        lastEventId: seen.at(-1)!.id,
        until: (a) => a.kind === 'end',
        timeoutMs: IDLE_STREAM_MS + 30_000,
      });
      await new Promise((r) => setTimeout(r, IDLE_STREAM_MS));
      // Still open after the idle time: ending the session now reaches the same connection.
      expect((await api.call('POST', `/api/sessions/${id}/end`)).status).toBe(202);
      const { arrivals } = await stream;
      expect(arrivals.at(-1)?.kind).toBe('end');

      const beats = arrivals.filter((a) => a.kind === 'heartbeat' && a.t - started <= IDLE_STREAM_MS);
      expect(beats.length).toBeGreaterThanOrEqual(Math.floor(IDLE_STREAM_MS / HEARTBEAT_MS) - 1);
      const gaps = beats.slice(1).map((b, i) => b.t - beats[i]!.t);
      // Spaced as sent: no gap much longer than the interval, none collapsed into a burst.
      for (const g of gaps) {
        expect(g).toBeGreaterThan(HEARTBEAT_MS * 0.5);
        expect(g).toBeLessThan(HEARTBEAT_MS * 1.5);
      }
      expect(arrivals.some(isState('completed'))).toBe(true);
    },
    IDLE_STREAM_MS + 90_000,
  );

  it('refuses bodies over the limits with 413 problems, and lets uploads up to 10 MB through', async () => {
    // Over nginx's 1 MiB: nginx answers, the API never sees it.
    const huge = await api.call<{ detail: string }>('POST', '/api/jobs', {
      title: 'x',
      description: 'x'.repeat(1_200_000),
    });
    expect(huge.status).toBe(413);
    expect(huge.type).toContain('application/problem+json');
    expect(huge.json.detail).toMatch(/proxy limit/);
    // Over the API's 1 000 000 bytes but under 1 MiB: the API's own 413.
    const over = await api.call<{ detail: string }>('POST', '/api/jobs', {
      title: 'x',
      description: 'x'.repeat(1_010_000),
    });
    expect(over.status).toBe(413);
    expect(over.json.detail).toContain('1000000');

    // Uploads to a job that does not exist: the API's 404 shows the body got through nginx.
    const upload = (bytes: number) => {
      const form = new FormData();
      form.append('kind', 'notes');
      form.append('file', new Blob([new Uint8Array(bytes).fill(97)], { type: 'text/plain' }), 'notes.txt');
      return fetch(`${nginx.url}/api/jobs/no-such-job/documents`, { method: 'POST', body: form });
    };
    const big = await upload(5_000_000);
    expect(big.status).toBe(404);
    await big.body?.cancel();
    const tooBig = await upload(11_000_000);
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers.get('content-type')).toContain('application/problem+json');

    // A streamed answer's segment, over 1 MiB and chunked (no length known in advance): it reaches the
    // API, whose 404 for the unknown session shows the whole body went through.
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(700_000));
        c.enqueue(new Uint8Array(700_000));
        c.close();
      },
    });
    const segment = await fetch(`${nginx.url}/api/sessions/no-such-session/turns/t1/audio/segments/0`, {
      method: 'PUT',
      headers: { 'content-type': 'audio/wav' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(segment.status).toBe(404);
    expect(((await segment.json()) as { detail: string }).detail).toMatch(/no-such-session/);
  });

  it('adds security headers to pages, API answers and its own errors', async () => {
    for (const [path, status] of [
      ['/healthz', 200],
      ['/api/nothing-here', 404],
      ['/metrics', 404],
    ] as const) {
      const res = await fetch(nginx.url + path);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get('permissions-policy'), path).toContain('microphone=(self)');
      expect(res.headers.get('strict-transport-security'), path).toMatch(/max-age=\d+/);
      expect(res.headers.get('server'), path).toBe('nginx');
      await res.body?.cancel();
    }
    // Metrics stay private behind nginx, open to Prometheus on the API's own port.
    expect((await fetch(`${stack.baseUrl}/metrics`)).status).toBe(200);
  });

  it('compresses JSON but passes request ids through', async () => {
    const res = await fetch(`${nginx.url}/api/openapi.json`, {
      headers: { 'accept-encoding': 'gzip', 'x-request-id': 'nginx-test-1' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('x-request-id')).toBe('nginx-test-1');
    await res.json();
  });

  it('rate-limits sign-in attempts but not reads', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await api.call('POST', '/api/auth/login', { email: 'a@b.c', password: 'wrong' });
      statuses.push(res.status);
      if (res.status === 429) expect(res.type).toContain('application/problem+json');
    }
    // burst 5 + the one allowed now: the rest of a quick dozen is refused.
    expect(statuses.slice(0, 6)).not.toContain(429);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
    for (let i = 0; i < 30; i++) {
      expect((await api.call('GET', `/api/jobs/${jobId}/documents`)).status).not.toBe(429);
    }
  });
});

function isStateEvent(status: string) {
  return (e: { data: { type: string; [k: string]: unknown } }) =>
    e.data.type === 'state' && e.data.status === status;
}
