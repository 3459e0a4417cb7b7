// One spoken answer end to end on the real stack (Temporal, PGlite, the local whisper engine, the offline
// coach): an espeak-ng recording goes in, its transcript and a critique with speech metrics come out. The
// recording stays in the blob store (never in the workflow's history), its owner can play it back or
// delete it, nobody else can reach it, and the retention sweep removes old ones.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVoiceService } from '../../api/services/voice.js';
import { createLogger } from '../../core/logger.js';
import { recordingKey } from '../../core/recordings.js';
import { deleteExpiredRecordings } from '../../core/stores/recordings.js';
import { NotFound } from '../../core/errors.js';
import { sessionEvents, turns } from '../../core/db/schema.js';
import type { SpeechMetrics } from '../../core/types.js';
import { apiDeps } from '../../server/services.js';
import { createVoiceActivities } from '../../workflows/activities/voice.js';
import { decodeRecording } from '../../voice/audio.js';
import type { AsrEngine } from '../../voice/types.js';
import { accountClient } from '../support/accounts.js';
import { ANSWER, apiClient, createReadyJob, type SseEvent } from '../support/client.js';
import { speak, wordErrorRate } from '../support/speech.js';
import { startStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
let client: ReturnType<typeof apiClient>;
let jobId: string;

beforeAll(async () => {
  stack = await startStack({ ASR_PROVIDER: 'whisper', AUDIO_RETENTION_DAYS: '30' });
  client = apiClient(stack.baseUrl);
  jobId = await createReadyJob(client);
});
afterAll(() => stack?.close());

type Session = {
  status: string;
  round: number;
  turns: {
    id: string;
    answer?: string;
    feedback?: { speech?: SpeechMetrics; scores: object };
    audio?: { bytes: number; recordedAt: string };
  }[];
};

async function postAudio(sessionId: string, bytes: Buffer, turnId?: string) {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)]), 'answer.wav');
  if (turnId) form.set('turnId', turnId);
  const res = await fetch(`${stack.baseUrl}/api/sessions/${sessionId}/audio`, { method: 'POST', body: form });
  return { status: res.status, json: (await res.json()) as { turnId: string; detail?: string } };
}

async function voiceSession(): Promise<{ id: string; question: SseEvent }> {
  const created = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'voice',
    rounds: 1,
  });
  expect(created.status).toBe(201);
  const id = created.json.id;
  const question = (await client.events(id, { until: (e) => e.data.type === 'question' })).at(-1)!;
  return { id, question };
}

/** Every payload of the workflow's history, as the bytes Temporal stored. */
async function historyPayloads(workflowId: string): Promise<Uint8Array[]> {
  const history = await stack.temporal.workflow.getHandle(workflowId).fetchHistory();
  const out: Uint8Array[] = [];
  const walk = (v: unknown): void => {
    if (!v || typeof v !== 'object') return;
    if (v instanceof Uint8Array) return;
    const o = v as Record<string, unknown>;
    if (o.data instanceof Uint8Array && o.metadata) out.push(o.data);
    for (const child of Object.values(o)) walk(child);
  };
  walk(history.events);
  return out;
}

let voiced: { sessionId: string; turnId: string; recording: Buffer; transcript: string };

describe('a spoken answer', () => {
  it('is transcribed, coached with speech metrics, and the session goes on to reviewing', async () => {
    const { id, question } = await voiceSession();
    const turnId = question.data.turnId as string;
    const recording = await readFile(await speak(ANSWER));
    const accepted = await postAudio(id, recording, turnId);
    expect(accepted.status).toBe(202);
    expect(accepted.json.turnId).toBe(turnId);

    const after = await client.events(id, {
      lastEventId: question.id,
      until: (e) => e.data.type === 'feedback',
      timeoutMs: 120_000,
    });
    const transcripts = after.filter((e) => e.data.type === 'transcript');
    expect(transcripts).toHaveLength(1);
    const transcript = transcripts[0]!.data as unknown as { turnId: string; text: string };
    expect(transcript.turnId).toBe(turnId);
    expect(wordErrorRate(ANSWER, transcript.text)).toBeLessThan(0.35);
    // The transcript comes before the critique, which judges the transcribed words.
    const types = after.map((e) => e.data.type);
    expect(types.indexOf('transcript')).toBeLessThan(types.indexOf('feedback'));
    const feedback = after.at(-1)!.data as unknown as { turnId: string; speech: SpeechMetrics };
    expect(feedback.turnId).toBe(turnId);
    const words = transcript.text.split(/\s+/).length;
    expect(feedback.speech.words).toBe(words);
    expect(feedback.speech.durationSec).toBeGreaterThan(8);
    // espeak-ng speaks at about 175 words a minute.
    expect(feedback.speech.wpm).toBeGreaterThan(120);
    expect(feedback.speech.wpm).toBeLessThan(260);
    expect(feedback.speech.fillerCount).toBe(0);

    const s = await client.waitStatus<Session>(id, 'reviewing');
    expect(s.round).toBe(1);
    expect(s.turns).toHaveLength(1);
    expect(s.turns[0]!.answer).toBe(transcript.text);
    expect(s.turns[0]!.feedback!.speech).toEqual(feedback.speech);
    expect(s.turns[0]!.audio).toEqual({ bytes: recording.length, recordedAt: expect.any(String) });

    // The owner plays the recording back: the bytes that were sent.
    const played = await fetch(`${stack.baseUrl}/api/sessions/${id}/turns/${turnId}/audio`);
    expect(played.status).toBe(200);
    expect(played.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await played.arrayBuffer()).equals(recording)).toBe(true);
    // A player seeking in it gets the byte range it asked for.
    const part = await fetch(`${stack.baseUrl}/api/sessions/${id}/turns/${turnId}/audio`, {
      headers: { range: 'bytes=100-199' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${recording.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(recording.subarray(100, 200))).toBe(true);

    voiced = { sessionId: id, turnId, recording, transcript: transcript.text };
  }, 240_000);

  it('reaches the workflow by blob key only: no payload of its history holds the audio', async () => {
    const payloads = await historyPayloads(voiced.sessionId);
    const text = payloads.map((p) => Buffer.from(p).toString('utf8'));
    const [row] = await stack.services.database.db
      .select({ key: turns.audioKey })
      .from(turns)
      .where(eq(turns.id, voiced.turnId));
    expect(row!.key).toMatch(new RegExp(`^audio/local/${voiced.sessionId}/`));
    // The key travelled (the update and the transcribe activity's input) ...
    expect(text.filter((t) => t.includes(row!.key!)).length).toBeGreaterThanOrEqual(2);
    // ... and no payload comes near the recording's size or holds any of its bytes.
    const largest = Math.max(...payloads.map((p) => p.length));
    expect(largest).toBeLessThan(voiced.recording.length / 4);
    const samples = voiced.recording.subarray(1000, 1048);
    for (const t of text) {
      expect(t).not.toContain('RIFF');
      expect(t).not.toContain(voiced.recording.subarray(0, 12).toString('base64'));
      expect(Buffer.from(t).includes(samples)).toBe(false);
    }
  });

  it('a retried transcription reuses the stored transcript and appends its events once', async () => {
    const { id, question } = await voiceSession();
    const turnId = question.data.turnId as string;
    const key = recordingKey('local', id, randomUUID());
    await stack.services.blobs.put(
      key,
      await readFile(await speak('I led the migration and cut costs by 30 percent.')),
    );
    // The real engine, counted: a retry must not run recognition again.
    const engine = await stack.services.asr();
    let recognised = 0;
    const counted: AsrEngine = {
      name: engine.name,
      transcribe: (pcm) => {
        recognised++;
        return engine.transcribe(pcm);
      },
      close: async () => undefined,
    };
    const activities = createVoiceActivities({
      db: stack.services.database.db,
      events: stack.services.events,
      blobs: stack.services.blobs,
      asr: async () => counted,
      decode: decodeRecording,
    });
    const input = {
      sessionId: id,
      ownerId: 'local',
      jobId,
      module: 'behavioral' as const,
      turnId,
      round: 1,
      audio: { key, bytes: 1 },
    };
    type Heard = Awaited<ReturnType<typeof activities.transcribeAnswer>>;
    const first = (await new MockActivityEnvironment({ attempt: 1 }).run(
      activities.transcribeAnswer,
      input,
    )) as Heard;
    const retried = (await new MockActivityEnvironment({ attempt: 2 }).run(
      activities.transcribeAnswer,
      input,
    )) as Heard;
    expect(recognised).toBe(1);
    expect(retried).toEqual(first);
    expect(first.text).toMatch(/migration/i);
    const rows = await stack.services.database.db
      .select({ data: sessionEvents.data })
      .from(sessionEvents)
      .where(eq(sessionEvents.sessionId, id));
    const transcripts = rows.filter((r) => (r.data as { type: string }).type === 'transcript');
    expect(transcripts).toHaveLength(1);
    expect(transcripts[0]!.data).toEqual({ type: 'transcript', turnId, text: first.text });
    await client.call('POST', `/api/sessions/${id}/end`);
  }, 180_000);
});

describe('recordings', () => {
  it('nobody but the owner can fetch or delete a recording', async () => {
    const path = `/api/sessions/${voiced.sessionId}/turns/${voiced.turnId}/audio`;
    // Another signed-in user, over HTTP.
    const other = accountClient(stack.baseUrl);
    const signup = await other.call('POST', '/api/auth/signup', {
      email: `other-${randomUUID()}@example.com`,
      password: 'a long enough password 123',
    });
    expect(signup.status).toBe(201);
    expect((await other.fetchRaw(path)).status).toBe(404);
    expect((await other.fetchRaw(path, { method: 'DELETE' })).status).toBe(404);
    // And through the service, by owner id.
    const voice = createVoiceService(
      apiDeps(stack.config, createLogger('silent'), stack.services, stack.temporal),
    );
    await expect(voice.recording('intruder', voiced.sessionId, voiced.turnId)).rejects.toBeInstanceOf(
      NotFound,
    );
    await expect(voice.deleteRecording('intruder', voiced.sessionId, voiced.turnId)).rejects.toBeInstanceOf(
      NotFound,
    );
    expect((await fetch(stack.baseUrl + path)).status).toBe(200);
  });

  it('the owner deletes a recording; the transcript and feedback stay', async () => {
    const path = `/api/sessions/${voiced.sessionId}/turns/${voiced.turnId}/audio`;
    const [row] = await stack.services.database.db
      .select({ key: turns.audioKey })
      .from(turns)
      .where(eq(turns.id, voiced.turnId));
    const file = blobFile(row!.key!);
    expect(existsSync(file)).toBe(true);
    expect((await fetch(stack.baseUrl + path, { method: 'DELETE' })).status).toBe(204);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}-transcript`)).toBe(false);
    const gone = await fetch(stack.baseUrl + path);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { detail: string }).detail).toMatch(/deleted/);
    // Deleting again is harmless.
    expect((await fetch(stack.baseUrl + path, { method: 'DELETE' })).status).toBe(204);
    const s = (await client.call<Session>('GET', `/api/sessions/${voiced.sessionId}`)).json;
    expect(s.turns[0]!.answer).toBe(voiced.transcript);
    expect(s.turns[0]!.feedback!.speech).toBeDefined();
    expect(s.turns[0]!.audio).toBeUndefined();
  });

  it('the retention sweep deletes recordings older than AUDIO_RETENTION_DAYS, and the worker runs it', async () => {
    const db = stack.services.database.db;
    // Two spoken answers, one recorded 31 days ago and one today.
    const old = await answeredBySpeech('We shipped the new checkout page before the holiday sales.');
    const fresh = await answeredBySpeech('I mentored two new engineers through their first launch.');
    await db
      .update(turns)
      .set({ audioRecordedAt: new Date(Date.now() - 31 * 24 * 3600 * 1000) })
      .where(eq(turns.id, old.turnId));
    // 0 keeps everything.
    expect(await deleteExpiredRecordings(db, stack.services.blobs, 0)).toBe(0);
    // The worker sweeps when it starts (then hourly).
    await stack.stopWorker();
    await stack.startWorker();
    const deadline = Date.now() + 20_000;
    while ((await audioStatus(old)) !== 404 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(await audioStatus(old)).toBe(404);
    expect(existsSync(blobFile(old.key))).toBe(false);
    expect(await audioStatus(fresh)).toBe(200);
    const [kept] = await db
      .select({ answer: turns.answer })
      .from(turns)
      .where(and(eq(turns.id, old.turnId), eq(turns.ownerId, 'local')));
    expect(kept!.answer).toMatch(/checkout/i);
  }, 240_000);
});

function blobFile(key: string): string {
  return path.join(stack.config.BLOBS_DIR, key);
}

async function audioStatus(t: { sessionId: string; turnId: string }): Promise<number> {
  return (await fetch(`${stack.baseUrl}/api/sessions/${t.sessionId}/turns/${t.turnId}/audio`)).status;
}

/** A voice session answered by speaking `text`, coached; its turn and the recording's key. */
async function answeredBySpeech(text: string) {
  const { id, question } = await voiceSession();
  const turnId = question.data.turnId as string;
  expect((await postAudio(id, await readFile(await speak(text)), turnId)).status).toBe(202);
  await client.events(id, {
    lastEventId: question.id,
    until: (e) => e.data.type === 'transcript',
    timeoutMs: 60_000,
  });
  const [row] = await stack.services.database.db
    .select({ key: turns.audioKey })
    .from(turns)
    .where(eq(turns.id, turnId));
  await client.call('POST', `/api/sessions/${id}/end`);
  return { sessionId: id, turnId, key: row!.key! };
}

describe('when nothing usable is heard', () => {
  // A FAKE hosted speech endpoint (OpenAI-compatible /audio/transcriptions): the local engines never
  // return empty text (whisper turns even hiss into words), so silence-after-the-checks and an outage
  // are staged here. Everything else (API, Temporal, the workflow, the database) is real.
  let fake: Server;
  let reply: 'nothing' | 'down' | 'answer' = 'nothing';
  const SPOKEN = ANSWER.replace(/\s+/g, ' ');
  let calls = 0;
  let voiceStack: TestStack;
  let voiceClient: ReturnType<typeof apiClient>;
  let voiceJob: string;

  beforeAll(async () => {
    fake = createServer((req, res) => {
      calls++;
      req.resume();
      req.on('end', () => {
        if (reply === 'down') return void res.writeHead(500).end('{"error":"overloaded"}');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ text: reply === 'answer' ? SPOKEN : '' }));
      });
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    const { port } = fake.address() as AddressInfo;
    voiceStack = await startStack({ ASR_PROVIDER: 'openai', ASR_BASE_URL: `http://127.0.0.1:${port}/v1` });
    voiceClient = apiClient(voiceStack.baseUrl);
    voiceJob = await createReadyJob(voiceClient);
  });
  afterAll(async () => {
    await voiceStack?.close();
    fake?.close();
  });

  async function answerAloud(sessionId: string, turnId: string) {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(await readFile(await speak(ANSWER)))]), 'a.wav');
    form.set('turnId', turnId);
    const res = await fetch(`${voiceStack.baseUrl}/api/sessions/${sessionId}/audio`, {
      method: 'POST',
      body: form,
    });
    expect(res.status).toBe(202);
  }

  it('asks for the answer again on the same turn (no words, then an outage), and takes the next one', async () => {
    const created = await voiceClient.call<{ id: string }>('POST', '/api/sessions', {
      jobId: voiceJob,
      module: 'behavioral',
      mode: 'voice',
      rounds: 1,
    });
    const id = created.json.id;
    const question = (await voiceClient.events(id, { until: (e) => e.data.type === 'question' })).at(-1)!;
    const turnId = question.data.turnId as string;

    reply = 'nothing';
    await answerAloud(id, turnId);
    const unheard = await voiceClient.events(id, {
      lastEventId: question.id,
      until: (e, all) =>
        e.data.type === 'state' &&
        e.data.status === 'awaiting_answer' &&
        all.some((x) => x.data.type === 'error'),
    });
    expect(unheard.find((e) => e.data.type === 'error')!.data).toEqual({
      type: 'error',
      message: expect.stringMatching(/heard no speech/),
      retryable: true,
    });
    expect(unheard.some((e) => e.data.type === 'transcript')).toBe(false);
    let s = await voiceClient.waitStatus<Session>(id, 'awaiting_answer');
    expect(s.round).toBe(1);
    expect(s.turns.map((t) => [t.id, t.answer])).toEqual([[turnId, undefined]]);

    reply = 'down';
    const before = calls;
    await answerAloud(id, turnId);
    const failed = await voiceClient.events(id, {
      lastEventId: unheard.at(-1)!.id,
      until: (e, all) =>
        e.data.type === 'state' &&
        e.data.status === 'awaiting_answer' &&
        all.some((x) => x.data.type === 'error'),
    });
    // Three attempts (the activity's retry policy), then the candidate is asked again.
    expect(calls - before).toBe(3);
    expect(failed.find((e) => e.data.type === 'error')!.data.message).toMatch(/could not be transcribed/);
    s = await voiceClient.waitStatus<Session>(id, 'awaiting_answer');
    expect(s.turns.map((t) => t.id)).toEqual([turnId]);
    const metrics = await (await fetch(`${voiceStack.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/ih_transcriptions_failed_total [3-9]/);
    expect(metrics).toMatch(/ih_audio_rejections_total\{reason="no_speech"\} [1-9]/);

    reply = 'answer';
    await answerAloud(id, turnId);
    const heard = await voiceClient.events(id, {
      lastEventId: failed.at(-1)!.id,
      until: (e) => e.data.type === 'feedback',
    });
    expect(heard.find((e) => e.data.type === 'transcript')!.data).toEqual({
      type: 'transcript',
      turnId,
      text: SPOKEN,
    });
    s = await voiceClient.waitStatus<Session>(id, 'reviewing');
    expect(s.turns[0]!.answer).toBe(SPOKEN);
    // Only the recording that was heard is kept (each new answer replaced the one before).
    const dir = path.join(voiceStack.config.BLOBS_DIR, 'audio', 'local', id);
    expect(readdirSync(dir).filter((f) => !f.endsWith('-transcript'))).toHaveLength(1);
  }, 180_000);
});
