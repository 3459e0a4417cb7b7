// Spoken answers through the real API: every kind of bad recording is refused with its status and a
// message a candidate can act on, nothing of it is stored, and the session keeps waiting on the same
// question; the TTS route streams real WAV from the local voice, caches it and refuses bad text.
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../voice/wav.js';
import { ANSWER, apiClient, createReadyJob, type SseEvent } from '../support/client.js';
import { startStack, type TestStack } from '../support/stack.js';
import { longClip, silence, speak, videoOnly } from '../support/speech.js';

let stack: TestStack;
let client: ReturnType<typeof apiClient>;
let jobId: string;

beforeAll(async () => {
  stack = await startStack({ TTS_PROVIDER: 'piper', AUDIO_MAX_SECONDS: '300' });
  client = apiClient(stack.baseUrl);
  jobId = await createReadyJob(client);
});
afterAll(() => stack?.close());

const bytesOf = async (file: Promise<string>) => readFile(await file);

async function postAudio(sessionId: string, bytes: Buffer, opts: { turnId?: string; name?: string } = {}) {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)]), opts.name ?? 'answer.webm');
  if (opts.turnId) form.set('turnId', opts.turnId);
  const res = await fetch(`${stack.baseUrl}/api/sessions/${sessionId}/audio`, { method: 'POST', body: form });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    json: (await res.json()) as { turnId?: string; title?: string; detail?: string; status?: number },
  };
}

/** Every recording stored for the local user's session, as files in the blob folder. */
function storedRecordings(sessionId: string): string[] {
  const dir = path.join(stack.config.BLOBS_DIR, 'audio', 'local', sessionId);
  return existsSync(dir) ? readdirSync(dir) : [];
}

async function voiceSessionAwaiting(): Promise<{ id: string; question: SseEvent }> {
  const created = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'voice',
    rounds: 2,
  });
  expect(created.status).toBe(201);
  const id = created.json.id;
  const question = (await client.events(id, { until: (e) => e.data.type === 'question' })).at(-1)!;
  await client.waitStatus(id, 'awaiting_answer');
  return { id, question };
}

describe('spoken answers: bad recordings', () => {
  it('refuses each bad recording with its status and message; the session keeps awaiting the same question', async () => {
    const { id, question } = await voiceSessionAwaiting();
    const turnId = question.data.turnId as string;

    // An audio file whose codec tag no decoder knows: a WAV header claiming format 0x1234.
    const oddCodec = await bytesOf(speak('This answer uses a codec nobody can decode.'));
    oddCodec.writeUInt16LE(0x1234, 20);
    const cases: { name: string; bytes: Buffer; status: number; detail: RegExp; reason: string }[] = [
      { name: 'empty', bytes: Buffer.alloc(0), status: 422, detail: /empty/i, reason: 'empty' },
      {
        name: 'silence only',
        bytes: await bytesOf(silence(4, { format: 'webm' })),
        status: 422,
        detail: /no speech was heard/i,
        reason: 'silence',
      },
      {
        name: '10 minutes',
        bytes: await bytesOf(longClip(ANSWER, 600, { format: 'webm' })),
        status: 413,
        detail: /10 min 00 s long; answers can be at most 5 min 00 s/,
        reason: 'too_long',
      },
      {
        // As MediaRecorder writes it: no duration in the header, so the limit is found while decoding.
        name: '10 minutes, streamed',
        bytes: await bytesOf(longClip(ANSWER, 600, { format: 'webm', streamed: true })),
        status: 413,
        detail: /answers can be at most 5 min 00 s/,
        reason: 'too_long',
      },
      {
        name: 'corrupt container',
        bytes: Buffer.concat([Buffer.from('OggS'), Buffer.alloc(4096, 0x5a)]),
        status: 422,
        detail: /damaged|could not be read/i,
        reason: 'corrupt',
      },
      {
        name: 'not audio',
        bytes: Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'),
        status: 415,
        detail: /not an audio recording \(it looks like a PDF document\)/,
        reason: 'not_audio',
      },
      {
        name: 'a video without sound',
        bytes: await bytesOf(videoOnly()),
        status: 415,
        detail: /no audio track/,
        reason: 'unsupported_codec',
      },
      {
        name: 'unsupported codec',
        bytes: oddCodec,
        status: 415,
        detail: /codec that cannot be decoded/,
        reason: 'unsupported_codec',
      },
    ];

    for (const c of cases) {
      const res = await postAudio(id, c.bytes, { turnId });
      expect({ case: c.name, status: res.status }).toEqual({ case: c.name, status: c.status });
      expect(res.type).toContain('application/problem+json');
      expect(res.json.detail, c.name).toMatch(c.detail);
      expect(storedRecordings(id), c.name).toEqual([]);
      const s = await client.call<{
        status: string;
        round: number;
        turns: { id: string; answer?: string }[];
      }>('GET', `/api/sessions/${id}`);
      expect(s.json, c.name).toMatchObject({ status: 'awaiting_answer', round: 1 });
      expect(s.json.turns.map((t) => [t.id, t.answer])).toEqual([[turnId, undefined]]);
    }

    // Each refusal is counted by its reason.
    const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    for (const c of cases)
      expect(metrics).toMatch(new RegExp(`ih_audio_rejections_total\\{reason="${c.reason}"\\} [1-9]`));

    // Still the same question: a typed answer to it is taken.
    const typed = await client.call('POST', `/api/sessions/${id}/answers`, {
      text: ANSWER,
      turnId,
    });
    expect(typed.status).toBe(202);
    await client.waitStatus(id, 'reviewing', 60_000);

    // Not awaiting an answer any more: a good recording is refused with 409 and not kept.
    const late = await postAudio(id, await bytesOf(speak('One more thing about the booking flow.')), {
      name: 'a.wav',
    });
    expect(late.status).toBe(409);
    expect(late.json.detail).toMatch(/not awaiting an answer/);
    expect(storedRecordings(id)).toEqual([]);
    await client.call('POST', `/api/sessions/${id}/end`);
  }, 300_000);

  it('refuses a request without a file, and a file over AUDIO_MAX_BYTES before reading it all', async () => {
    const { id } = await voiceSessionAwaiting();
    const none = await fetch(`${stack.baseUrl}/api/sessions/${id}/audio`, {
      method: 'POST',
      body: new FormData(),
    });
    expect(none.status).toBe(400);
    expect(((await none.json()) as { detail: string }).detail).toMatch(/multipart field "file"/);
    const huge = await postAudio(id, Buffer.alloc(stack.config.AUDIO_MAX_BYTES + 1, 1));
    expect(huge.status).toBe(413);
    expect(storedRecordings(id)).toEqual([]);
    await client.waitStatus(id, 'awaiting_answer');
    await client.call('POST', `/api/sessions/${id}/end`);
  });
});

describe('GET /api/tts', () => {
  const tts = (text: string) => fetch(`${stack.baseUrl}/api/tts?text=${encodeURIComponent(text)}`);

  it('streams a WAV sentence by sentence, then serves the same text from the cache', async () => {
    const text = `Tell me about a time you changed a team's mind. What did you do first? (${Date.now()})`;
    const first = await tts(text);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('audio/wav');
    expect(first.headers.get('x-tts-cache')).toBe('miss');
    // Streamed as it is synthesised, not sent with a length known up front.
    expect(first.headers.get('transfer-encoding')).toBe('chunked');
    const streamed = decodeWav(Buffer.from(await first.arrayBuffer()));
    expect(streamed.sampleRate).toBe(22050);
    // Two sentences of speech: seconds of audio, not a stub.
    expect(streamed.samples.length / streamed.sampleRate).toBeGreaterThan(3);

    const again = await tts(text);
    expect(again.status).toBe(200);
    expect(again.headers.get('x-tts-cache')).toBe('hit');
    const cached = decodeWav(Buffer.from(await again.arrayBuffer()));
    expect(cached.samples).toEqual(streamed.samples);

    const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/ih_tts_time_to_first_byte_seconds_count\{cache="miss"\} [1-9]/);
    expect(metrics).toMatch(/ih_tts_time_to_first_byte_seconds_count\{cache="hit"\} [1-9]/);
  });

  it('refuses a missing, empty or over-long text with 400', async () => {
    for (const [query, detail] of [
      ['', /text is required/],
      ['?text=', /text is empty/],
      ['?text=%20%20', /text is empty/],
      [`?text=${'a'.repeat(1001)}`, /longer than 1000 characters/],
      ['?text=a&text=b', /text/],
    ] as const) {
      const res = await fetch(`${stack.baseUrl}/api/tts${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
    }
  });
});
