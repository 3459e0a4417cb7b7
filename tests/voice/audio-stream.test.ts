// A streamed spoken answer on the real stack (Temporal, PGlite, the local whisper engine, the offline
// coach): segments cut at pauses are sent while the candidate speaks, each is transcribed meanwhile (a
// short one together with the next) and shown as a `partial` transcript, longer stretches are heard again
// for the final transcript, and finishing gives the final transcript, the whole recording, and coaching
// as for an uploaded recording. A
// dropped segment is sent again before the answer is finished. (Another user's 404s: tests/api/isolation.test.ts; a killed worker:
// tests/workflows/stream-worker-crash.test.ts.)
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { segmentDigest } from '../../core/recordings.js';
import { finalGroups } from '../../voice/pieces.js';
import { decodeWav } from '../../voice/wav.js';
import { apiClient, createReadyJob, type SseEvent } from '../support/client.js';
import { ANSWERS, silence, speak, wordErrorRate } from '../support/speech.js';
import { startStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
let client: ReturnType<typeof apiClient>;
let jobId: string;

beforeAll(async () => {
  stack = await startStack({ ASR_PROVIDER: 'whisper' });
  client = apiClient(stack.baseUrl);
  jobId = await createReadyJob(client);
});
afterAll(() => stack?.close());

/** A sentence as the browser sends a segment: a 16 kHz mono WAV. */
const segmentOf = async (text: string) => readFile(await speak(text, { sampleRate: 16000 }));

async function voiceSession(): Promise<{ id: string; turnId: string; question: SseEvent }> {
  const created = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'voice',
    rounds: 1,
  });
  expect(created.status).toBe(201);
  const id = created.json.id;
  const question = (await client.events(id, { until: (e) => e.data.type === 'question' })).at(-1)!;
  return { id, turnId: question.data.turnId as string, question };
}

function putSegment(sessionId: string, turnId: string, index: number, bytes: Buffer, base = stack.baseUrl) {
  return fetch(`${base}/api/sessions/${sessionId}/turns/${turnId}/audio/segments/${index}`, {
    method: 'PUT',
    headers: { 'content-type': 'audio/wav' },
    body: new Uint8Array(bytes),
  });
}

function finish(sessionId: string, turnId: string, segments: number) {
  return client.call<{ turnId?: string; detail?: string }>(
    'POST',
    `/api/sessions/${sessionId}/turns/${turnId}/audio/finish`,
    { segments },
  );
}

/** The session's segment blobs (audio and transcripts) in the file blob store. */
async function segmentFilesOf(sessionId: string): Promise<string[]> {
  const files = await readdir(stack.config.BLOBS_DIR, { recursive: true });
  return files.filter((f) => f.includes(sessionId) && f.includes('-segment-'));
}

type Transcript = { turnId: string; text: string; partial?: boolean; segments?: number };
const transcripts = (events: SseEvent[]) =>
  events.filter((e) => e.data.type === 'transcript').map((e) => e.data as unknown as Transcript);

/**
 * Each partial transcript is a draft of what was said in the segments it covers, in order. The final
 * transcript may read a word differently: it hears longer stretches at once (voice/pieces.ts finalGroups).
 */
function expectDrafts(partials: Transcript[], said: string[]) {
  for (const p of partials) {
    expect(p.segments).toBeGreaterThan(0);
    expect(wordErrorRate(said.slice(0, p.segments).join(' '), p.text)).toBeLessThan(0.35);
  }
}

describe('a streamed spoken answer', () => {
  it('shows the transcript growing while it is spoken, then the final one', async () => {
    const { id, turnId, question } = await voiceSession();
    const said = ANSWERS.slice(0, 3);
    const segments = await Promise.all(said.map(segmentOf));
    const quiet = await readFile(await silence(1));

    // Each segment is transcribed before the next is sent: the live transcript grows with the answer.
    let last = question.id;
    const partials: Transcript[] = [];
    for (const [i, bytes] of segments.slice(0, 2).entries()) {
      const sentAt = performance.now();
      const res = await putSegment(id, turnId, i, bytes);
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ turnId, index: i });
      const seen = await client.events(id, {
        lastEventId: last,
        until: (e) => e.data.type === 'transcript',
        timeoutMs: 60_000,
      });
      // The segment's words are on screen soon after it was sent (the target: 1.5 s behind the speaker,
      // on two cores shared with other work; generous here, measured by the bench).
      expect(performance.now() - sentAt).toBeLessThan(15_000);
      last = seen.at(-1)!.id;
      partials.push(...transcripts(seen));
    }
    expect(partials.map((p) => p.partial)).toEqual([true, true]);
    // Each says how many segments it covers, so a client can tell one that arrives late from a current one.
    expect(partials.map((p) => p.segments)).toEqual([1, 2]);
    expect(wordErrorRate(said[0]!, partials[0]!.text)).toBeLessThan(0.35);
    expect(partials[1]!.text.startsWith(`${partials[0]!.text} `)).toBe(true);
    expect(wordErrorRate(`${said[0]} ${said[1]}`, partials[1]!.text)).toBeLessThan(0.35);
    // The session still awaits the answer: it is being spoken.
    expect((await client.call<{ status: string }>('GET', `/api/sessions/${id}`)).json.status).toBe(
      'awaiting_answer',
    );

    // The last sentence, then the quiet that ended the answer (a segment of silence), then the end.
    expect((await putSegment(id, turnId, 2, segments[2]!)).status).toBe(202);
    expect((await putSegment(id, turnId, 3, quiet)).status).toBe(202);
    const finished = await finish(id, turnId, 4);
    expect(finished.status).toBe(202);
    expect(finished.json).toEqual({ turnId });

    const after = await client.events(id, {
      lastEventId: last,
      until: (e) => e.data.type === 'transcript' && !e.data.partial,
      timeoutMs: 120_000,
    });
    const finals = transcripts(after).filter((t) => !t.partial);
    expect(finals).toHaveLength(1);
    const final = finals[0]!.text;
    expect(wordErrorRate(said.join(' '), final)).toBeLessThan(0.35);
    expectDrafts(
      transcripts(after).filter((t) => t.partial),
      [...said, ''],
    );

    // Coaching goes on as for an uploaded recording (here: a follow-up question about the answer).
    const { json: s } = await client.call<{ turns: { answer: string; audio?: { bytes: number } }[] }>(
      'GET',
      `/api/sessions/${id}`,
    );
    expect(s.turns[0]!.answer).toBe(final);
    // The stored recording is the whole answer: every segment's audio, in order, as one WAV.
    const played = await fetch(`${stack.baseUrl}/api/sessions/${id}/turns/${turnId}/audio`);
    expect(played.status).toBe(200);
    expect(played.headers.get('content-type')).toBe('audio/wav');
    const wav = decodeWav(Buffer.from(await played.arrayBuffer()));
    const seconds = [...segments, quiet].reduce((sum, b) => {
      const w = decodeWav(b);
      return sum + w.samples.length / w.sampleRate;
    }, 0);
    expect(wav.sampleRate).toBe(16000);
    expect(Math.abs(wav.samples.length / 16000 - seconds)).toBeLessThan(0.01);
    expect(s.turns[0]!.audio!.bytes).toBe(Number(played.headers.get('content-length')));
    // Operators see the segments arrive.
    const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    expect(Number(/^ih_audio_segments_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(4);
  }, 240_000);

  it('a short piece is heard with the next: the live transcript reads the whole answer as an upload would', async () => {
    const { id, turnId, question } = await voiceSession();
    // A STAR answer cut at every sentence end and comma (bench/voice/segments.ts cuts its answers so). Alone,
    // whisper base heard the 2.1 s "I interviewed twenty riders," as "I intermute 20 riders."; heard after
    // the 3.0 s sentence before it (together more than 3 s), as the whole answer uploaded reads it.
    const said = [
      'At CityRide our booking flow lost riders at the payment step.',
      'My goal was to raise completed bookings.',
      'I interviewed twenty riders,',
      'found that surprise fees caused most drop offs,',
      'and ran an A B test showing the full price up front.',
      'Completed bookings rose twelve percent.',
    ];
    const pieces = await Promise.all(
      said.map(async (text) => readFile(await speak(text, { sampleRate: 16000, pad: 0.15 }))),
    );
    const seconds = pieces.map((b) => decodeWav(b).samples.length / 16000);
    expect(seconds.slice(1, 3).every((s) => s < 3)).toBe(true);
    // Each piece is heard before the next is sent (a speaker takes longer to say it than whisper to hear it).
    let last = question.id;
    const partials: Transcript[] = [];
    for (const [i, bytes] of pieces.entries()) {
      expect((await putSegment(id, turnId, i, bytes)).status).toBe(202);
      const seen = await client.events(id, {
        lastEventId: last,
        until: (e) => e.data.type === 'transcript' && e.data.segments === i + 1,
        timeoutMs: 60_000,
      });
      last = seen.at(-1)!.id;
      partials.push(...transcripts(seen));
    }
    const live = partials.at(-1)!.text;
    // The whole answer, from its first words to its last, with the short clause's words right.
    expect(live).toMatch(/^at city ?ride .*interviewed (20|twenty) riders.*(12%|twelve percent)\.?$/i);
    expect(wordErrorRate(said.join(' '), live)).toBeLessThan(0.2);
    expectDrafts(partials, said);

    expect((await finish(id, turnId, pieces.length)).status).toBe(202);
    const after = await client.events(id, {
      lastEventId: last,
      until: (e) => e.data.type === 'transcript' && !e.data.partial,
      timeoutMs: 180_000,
    });
    // The final transcript hears it in 10 s stretches: on the bench's answers that reads better than the live
    // groups (bench/voice/segments.ts: WER 0.173 against 0.194), on this one a little worse (0.21 against 0.13).
    const final = transcripts(after).find((t) => !t.partial)!.text;
    expect(final).toMatch(/^at city.*(12%|twelve percent)\.?$/i);
    expect(wordErrorRate(said.join(' '), final)).toBeLessThan(0.25);
    // The groups' transcripts go with the segments: nothing stays behind but the recording.
    await expect.poll(() => segmentFilesOf(id), { timeout: 10_000 }).toEqual([]);
  }, 300_000);

  it('a long answer is heard in stretches of 10 s while it is spoken: at the end nothing is left to hear', async () => {
    const { id, turnId, question } = await voiceSession();
    const said = ANSWERS.slice(8, 12);
    const segments = await Promise.all(said.map(segmentOf));
    const pieces = segments.map((b) => ({ seconds: decodeWav(b).samples.length / 16000 }));
    // Four sentences of 5-6 s: two stretches of two.
    expect(finalGroups(pieces, { final: true }).map((g) => g.pieces)).toEqual([
      [0, 1],
      [2, 3],
    ]);

    let last = question.id;
    for (const [i, bytes] of segments.entries()) {
      expect((await putSegment(id, turnId, i, bytes)).status).toBe(202);
      last = (
        await client.events(id, {
          lastEventId: last,
          until: (e) => e.data.type === 'transcript',
          timeoutMs: 60_000,
        })
      ).at(-1)!.id;
    }
    // Before the answer ends, each stretch is heard as one: the second, still open, as it stands, since the
    // answer may end there. Each is kept beside its first segment, under their content hashes.
    const stretch = async (from: number) => {
      const name = `-transcript-${segments
        .slice(from, from + 2)
        .map(segmentDigest)
        .join('-')}`;
      const file = (await segmentFilesOf(id)).find((f) => f.endsWith(name));
      if (!file) return undefined;
      const { text } = JSON.parse(await readFile(join(stack.config.BLOBS_DIR, file), 'utf8')) as {
        text: string;
      };
      return text.replace(/\s+/g, ' ').trim();
    };
    await expect.poll(() => stretch(0), { timeout: 60_000 }).toBeDefined();
    await expect.poll(() => stretch(2), { timeout: 60_000 }).toBeDefined();
    const heard = `${await stretch(0)} ${await stretch(2)}`;

    expect((await finish(id, turnId, segments.length)).status).toBe(202);
    const after = await client.events(id, {
      lastEventId: last,
      until: (e) => e.data.type === 'transcript' && !e.data.partial,
      timeoutMs: 120_000,
    });
    // The final transcript is those two stretches, heard before the end.
    expect(transcripts(after).find((t) => !t.partial)!.text).toBe(heard);
    expect(wordErrorRate(said.join(' '), heard)).toBeLessThan(0.2);
    await expect.poll(() => segmentFilesOf(id), { timeout: 10_000 }).toEqual([]);
  }, 300_000);

  it('after a dropped connection, the missing segments are sent again and the answer finished', async () => {
    const { id, turnId, question } = await voiceSession();
    const said = ANSWERS.slice(3, 6);
    const segments = await Promise.all(said.map(segmentOf));
    expect((await putSegment(id, turnId, 0, segments[0]!)).status).toBe(202);
    // Segment 1 is lost with the connection; 2 made it.
    expect((await putSegment(id, turnId, 2, segments[2]!)).status).toBe(202);
    const refused = await finish(id, turnId, 3);
    expect(refused.status).toBe(409);
    expect(refused.json.detail).toMatch(/segments 1 of this answer were not received/);
    // Nothing was answered: the turn still waits for it.
    const { json: waiting } = await client.call<{ turns: { answer?: string }[] }>(
      'GET',
      `/api/sessions/${id}`,
    );
    expect(waiting.turns[0]!.answer).toBeUndefined();

    // The client does not know which arrived: it sends all of them again, then finishes (twice, too).
    for (const [i, bytes] of segments.entries())
      expect((await putSegment(id, turnId, i, bytes)).status).toBe(202);
    const finished = await finish(id, turnId, 3);
    expect(finished.status).toBe(202);
    const again = await finish(id, turnId, 3);
    expect(again.status).toBe(202);
    expect(again.json).toEqual({ turnId });

    const after = await client.events(id, {
      lastEventId: question.id,
      until: (e) => e.data.type === 'transcript' && !e.data.partial,
      timeoutMs: 120_000,
    });
    const all = transcripts(after);
    const finals = all.filter((t) => !t.partial);
    expect(finals).toHaveLength(1);
    expect(wordErrorRate(said.join(' '), finals[0]!.text)).toBeLessThan(0.35);
    // Every partial transcript once, each a draft of the answer's beginning (the order was kept).
    const partial = all.filter((t) => t.partial);
    expect(new Set(partial.map((t) => t.text)).size).toBe(partial.length);
    expectDrafts(partial, said);
  }, 240_000);

  it('an answer started over (the recording cancelled) shows and keeps only the new words', async () => {
    const { id, turnId, question } = await voiceSession();
    const [first, second] = await Promise.all([segmentOf(ANSWERS[6]), segmentOf(ANSWERS[7])]);
    expect((await putSegment(id, turnId, 0, first)).status).toBe(202);
    const before = await client.events(id, {
      lastEventId: question.id,
      until: (e) => e.data.type === 'transcript',
      timeoutMs: 60_000,
    });
    // Cancelled; the new recording's segments are numbered from 0 again.
    expect((await putSegment(id, turnId, 0, second)).status).toBe(202);
    const again = await client.events(id, {
      lastEventId: before.at(-1)!.id,
      until: (e) => e.data.type === 'transcript',
      timeoutMs: 60_000,
    });
    const live = transcripts(again)[0]!;
    expect(live.partial).toBe(true);
    expect(wordErrorRate(ANSWERS[7], live.text)).toBeLessThan(0.35);
    expect((await finish(id, turnId, 1)).status).toBe(202);
    const after = await client.events(id, {
      lastEventId: again.at(-1)!.id,
      until: (e) => e.data.type === 'transcript' && !e.data.partial,
      timeoutMs: 120_000,
    });
    expect(transcripts(after).at(-1)!.text).toBe(live.text);
    // Nothing of either attempt's segments stays behind: the recording holds the answer.
    await expect.poll(() => segmentFilesOf(id), { timeout: 10_000 }).toEqual([]);
    expect((await fetch(`${stack.baseUrl}/api/sessions/${id}/turns/${turnId}/audio`)).status).toBe(200);
  }, 240_000);

  it('refuses what is not a segment, and an answer with no segments', async () => {
    const { id, turnId } = await voiceSession();
    const notWav = await putSegment(id, turnId, 0, Buffer.from('hello, this is not audio'));
    expect(notWav.status).toBe(415);
    expect((await putSegment(id, turnId, 1000, await segmentOf(ANSWERS[0]))).status).toBe(400);
    expect((await putSegment(id, encodeURIComponent('a turn'), 0, await segmentOf(ANSWERS[0]))).status).toBe(
      400,
    );
    const none = await finish(id, turnId, 1);
    expect(none.status).toBe(409);
  });
});
