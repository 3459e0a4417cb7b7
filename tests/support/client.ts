// A small HTTP + SSE client that talks to the API as an outside client would.
import { readJsonEvents } from '../../core/sse.js';

export interface SseEvent {
  id: number;
  data: { type: string; [k: string]: unknown };
}

export function apiClient(baseUrl: string) {
  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const res = await fetch(baseUrl + path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      headers: res.headers,
      json: json as T,
    };
  }

  /** Reads the session's events until `until` says stop (or the stream ends or times out). */
  async function events(
    sessionId: string,
    opts: {
      lastEventId?: number;
      until: (e: SseEvent, all: SseEvent[]) => boolean;
      timeoutMs?: number;
      path?: string;
    },
  ): Promise<SseEvent[]> {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), opts.timeoutMs ?? 30_000);
    const seen: SseEvent[] = [];
    try {
      const res = await fetch(baseUrl + (opts.path ?? `/api/sessions/${sessionId}/events`), {
        headers: {
          accept: 'text/event-stream',
          ...(opts.lastEventId !== undefined && { 'last-event-id': String(opts.lastEventId) }),
        },
        signal: ctl.signal,
      });
      if (res.status !== 200) throw new Error(`events: HTTP ${res.status}`);
      for await (const e of readJsonEvents<SseEvent['data']>(res.body)) {
        const event = { id: e.id, data: e.data };
        seen.push(event);
        if (opts.until(event, seen)) return seen;
      }
      return seen;
    } catch (err) {
      if ((err as Error).name === 'AbortError')
        throw new Error(
          `timed out reading events; saw ${seen.length}: ${seen
            .slice(-3)
            .map((e) => JSON.stringify(e.data))
            .join(' ')}`,
        );
      throw err;
    } finally {
      clearTimeout(timer);
      ctl.abort();
    }
  }

  /** Polls GET /api/sessions/:id until the session has `status`; returns it. */
  async function waitStatus<T extends { status: string }>(
    sessionId: string,
    status: string,
    ms = 30_000,
  ): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const s = (await call<T>('GET', `/api/sessions/${sessionId}`)).json;
      if (s.status === status) return s;
      if (Date.now() > deadline) throw new Error(`session ${sessionId} stayed ${s.status}, wanted ${status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Starts a behavioral session on the job and answers every question it asks (a follow-up probe too)
   * with `text` until the first feedback; returns the session id, reviewing.
   */
  async function answeredSession(
    jobId: string,
    opts: { text?: string; rounds?: number } = {},
  ): Promise<string> {
    const created = await call<{ id: string }>('POST', '/api/sessions', {
      jobId,
      module: 'behavioral',
      mode: 'text',
      rounds: opts.rounds ?? 1,
    });
    if (created.status !== 201)
      throw new Error(`POST /api/sessions: ${created.status} ${JSON.stringify(created.json)}`);
    const id = created.json.id;
    await events(id, {
      until: (e) => {
        if (e.data.type === 'question')
          void call('POST', `/api/sessions/${id}/answers`, {
            text: opts.text ?? ANSWER,
            turnId: e.data.turnId,
          });
        return e.data.type === 'feedback';
      },
    });
    await waitStatus(id, 'reviewing');
    return id;
  }

  /**
   * Answers `turnId` with `text` (and the follow-up probe too, if the coach asks one), then reads the
   * session's events from the start until `until`; returns them.
   */
  async function answerUntil(
    sessionId: string,
    turnId: string,
    until: (e: SseEvent) => boolean,
    opts: { text?: string; timeoutMs?: number } = {},
  ): Promise<SseEvent[]> {
    const text = opts.text ?? ANSWER;
    const sent = await call('POST', `/api/sessions/${sessionId}/answers`, { text, turnId });
    if (sent.status !== 202) throw new Error(`answer: ${sent.status} ${JSON.stringify(sent.json)}`);
    return events(sessionId, {
      lastEventId: 0,
      timeoutMs: opts.timeoutMs,
      until: (e) => {
        if (e.data.type === 'question' && e.data.probeOf)
          void call('POST', `/api/sessions/${sessionId}/answers`, { text, turnId: e.data.turnId });
        return until(e);
      },
    });
  }

  return { call, events, waitStatus, answeredSession, answerUntil };
}

export const JOB = {
  title: 'Product Manager, Patient Scheduling',
  company: 'Contoso Health',
  seniority: 'mid',
  description: `Contoso Health runs scheduling for 300 clinics.
Requirements
3+ years of product management. Discovery with clinicians and front-desk staff. Writing clear requirements.
Running A/B tests. Working with engineering on a quarterly roadmap. Reducing no-show rates.
Nice to have
Healthcare privacy (HIPAA) experience.`,
  resume: `Sam Okafor - Product Manager, CityRide (2020-2025). Owned the booking flow used by 2 million riders;
ran 40 A/B tests, raising completed bookings by 12%. Led discovery interviews with 60 drivers.`,
};

export const ANSWER = `At CityRide our booking flow lost riders at the payment step. My goal was to raise completed bookings.
I interviewed 20 riders, found that surprise fees caused most drop-offs, and ran an A/B test showing the full price up front.
Completed bookings rose 12%.`;

export async function createReadyJob(client: ReturnType<typeof apiClient>): Promise<string> {
  const job = await client.call<{ id: string }>('POST', '/api/jobs', JOB);
  if (job.status !== 201) throw new Error(`POST /api/jobs: ${job.status} ${JSON.stringify(job.json)}`);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const j = await client.call<{ ingestion: { status: string } }>('GET', `/api/jobs/${job.json.id}`);
    if (j.json.ingestion.status === 'ready') return job.json.id;
    if (j.json.ingestion.status === 'failed') throw new Error(`ingestion failed: ${JSON.stringify(j.json)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('ingestion did not finish in 60 s');
}
