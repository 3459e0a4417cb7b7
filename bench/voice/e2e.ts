// The end of an answer to the first spoken critique word, on the embedded default stack (whisper base, Piper
// joe, the offline coach at its default pacing, PGlite, a real Temporal dev server and Chroma):
//   t0  the answer ends: the candidate spoke it sentence by sentence, streamed as the browser streams it
//       (each sentence sent 0.3 s into the pause after it, bench/voice/stream.ts), and after the silence that
//       ends the answer (the recorder's default 2 s, not counted) POST .../audio/finish is sent;
//   t1  the first sentence of the critique is complete on the SSE stream (as the web UI splits it: once its
//       terminator and the space after it have arrived, core/text's SentenceBuffer);
//   t2  the first byte of GET /api/tts?text=<that sentence> arrives: the critique starts to be heard.
// Reported: t2 - t0 over >= 10 different answers (p50/p95), with the stages in between. The TTS cache is
// emptied before each answer, so every first sentence is synthesised (the cold case, not a cache hit).
// Run alone with `npx tsx bench/voice/e2e.ts` (all voice benches: `npm run bench:voice`) (ANSWERS=n to change the count).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { startAppStack, type TestStack } from '../../tests/support/app-stack.js';
import { apiClient, createReadyJob } from '../../tests/support/client.js';
import { startChroma, startTemporal } from '../../tests/support/processes.js';
import { endingSilence, spokenSentences, streamAnswer } from './stream.js';
import { E2E_ANSWERS } from './answers.js';
import { SentenceBuffer, speakableSentences } from '../../core/text/index.js';
import { readSse } from '../../core/sse.js';
import { percentile } from '../../core/stats.js';

export interface VoiceE2eSample {
  /** t2 - t0: end of speech to the first byte of the critique's first spoken sentence, ms. */
  totalMs: number;
  /** t0 -> the final transcript event. */
  transcriptMs: number;
  /** t0 -> the first critique token. */
  firstCritiqueTokenMs: number;
  /** t0 -> the critique's first sentence complete. */
  firstSentenceMs: number;
  /** The transcript event -> the critique's first sentence complete: the coach's own part. */
  transcriptToSentenceMs: number;
  /** The TTS request alone: sent -> first audio byte. */
  ttsFirstByteMs: number;
  cache: string;
  sentence: string;
}

export interface VoiceE2eResult {
  answers: number;
  /** Answers that drew a follow-up probe instead of a critique (not measured). */
  probed: number;
  p50: number;
  p95: number;
  stages: Record<Exclude<keyof VoiceE2eSample, 'cache' | 'sentence'>, { p50: number; p95: number }>;
  samples: VoiceE2eSample[];
  engines: { asr: string; tts: string; coach: string };
}

interface SseBlock {
  id: number;
  data: { type: string; node?: string; status?: string; text?: string; partial?: boolean; turnId?: string };
}

/** Reads a session's SSE stream, calling `on` with each event and its arrival time, until it says stop. */
async function watch(
  url: string,
  afterId: number,
  on: (e: SseBlock, at: number) => boolean,
  timeoutMs = 600_000,
): Promise<void> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  try {
    const res = await fetch(url, {
      headers: { accept: 'text/event-stream', 'last-event-id': String(afterId) },
      signal: ctl.signal,
    });
    for await (const item of readSse(res.body)) {
      if (item.kind !== 'event' || !item.id || !item.data) continue;
      const e = { id: Number(item.id), data: JSON.parse(item.data) as SseBlock['data'] };
      if (on(e, item.at)) return;
    }
    throw new Error('the event stream ended early');
  } finally {
    clearTimeout(timer);
    ctl.abort();
  }
}

/**
 * One answer: waits for the next question (after event `afterId`), speaks the answer, and times the way to
 * the spoken critique. Returns the sample and the last event id it read.
 */
async function measureOne(
  stack: TestStack,
  sessionId: string,
  answer: { sentences: Buffer[]; quiet: Buffer },
  afterId: number,
): Promise<{ sample: VoiceE2eSample | null; lastId: number }> {
  const base = stack.baseUrl;
  const events = `${base}/api/sessions/${sessionId}/events`;
  let question: SseBlock | undefined;
  await watch(events, afterId, (e) => {
    if (e.data.type === 'question') question = e;
    return e.data.type === 'state' && e.data.status === 'awaiting_answer' && question !== undefined;
  });
  await rm(path.join(stack.config.BLOBS_DIR, 'tts'), { recursive: true, force: true });

  let t0 = 0;
  let transcriptAt = NaN;
  let firstTokenAt = NaN;
  const critique = new SentenceBuffer();
  let sentence: string | undefined;
  let sentenceAt = NaN;
  let lastId = question!.id;
  let probe: SseBlock | undefined;
  const stream = watch(events, question!.id, (e, at) => {
    lastId = e.id;
    // A follow-up probe instead of a critique (the transcript read as vague): not a sample.
    if (e.data.type === 'question') {
      probe = e;
      return true;
    }
    if (e.data.type === 'transcript' && !e.data.partial) transcriptAt = at;
    if (e.data.type === 'token' && e.data.node === 'critique') {
      if (Number.isNaN(firstTokenAt)) firstTokenAt = at;
      sentence ??= critique.push(e.data.text ?? '').flatMap((s) => speakableSentences(s))[0];
    }
    if (e.data.type === 'node' && e.data.node === 'critique' && e.data.status === 'end')
      sentence ??= speakableSentences(critique.flush())[0];
    if (sentence !== undefined) sentenceAt = at;
    return sentence !== undefined;
  });
  stream.catch(() => undefined); // awaited below; a failure meanwhile must not count as unhandled
  // Subscribed before the answer goes, as the browser is.
  await new Promise((r) => setTimeout(r, 100));
  const turnId = question!.data.turnId!;
  ({ finishedAt: t0 } = await streamAnswer(base, sessionId, turnId, answer.sentences, answer.quiet));
  await stream;
  if (probe) {
    // Answered in writing, so the session goes on; the next measured answer starts from a fresh question.
    await fetch(`${base}/api/sessions/${sessionId}/answers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: E2E_ANSWERS[0] }),
    });
    return { sample: null, lastId };
  }
  if (!sentence) throw new Error('the critique had no sentence');
  const ttsSent = performance.now();
  const tts = await fetch(`${base}/api/tts?text=${encodeURIComponent(sentence)}`);
  const reader = (tts.body as ReadableStream<Uint8Array>).getReader();
  const first = await reader.read();
  const t2 = performance.now();
  if (tts.status !== 200 || first.done) throw new Error(`GET /api/tts: ${tts.status}`);
  while (!(await reader.read()).done);
  const sample = {
    totalMs: t2 - t0,
    transcriptMs: transcriptAt - t0,
    firstCritiqueTokenMs: firstTokenAt - t0,
    firstSentenceMs: sentenceAt - t0,
    transcriptToSentenceMs: sentenceAt - transcriptAt,
    ttsFirstByteMs: t2 - ttsSent,
    cache: tts.headers.get('x-tts-cache') ?? '?',
    sentence,
  };
  return { sample, lastId };
}

export async function benchVoiceE2e(
  opts: { answers?: number; log?: (line: string) => void } = {},
): Promise<VoiceE2eResult> {
  // One session of 20 rounds (the most a session has) holds the warm-up, the answers and a few probes.
  const answers = Math.min(15, Math.max(10, opts.answers ?? 10));
  const log = opts.log ?? (() => undefined);
  const temporal = await startTemporal();
  const chroma = await startChroma();
  let stack: TestStack | undefined;
  try {
    stack = await startAppStack({
      TEMPORAL_ADDRESS: temporal.url,
      CHROMA_URL: chroma.url,
      // The embedded default's engines and pacing (the app stack zeroes the coach's pacing for tests).
      ASR_PROVIDER: 'whisper',
      TTS_PROVIDER: 'piper',
      OFFLINE_TOKEN_DELAY_MS: '15',
    });
    const client = apiClient(stack.baseUrl);
    const jobId = await createReadyJob(client);
    const texts = Array.from({ length: answers }, (_, i) => E2E_ANSWERS[i % E2E_ANSWERS.length]!);
    const quiet = await endingSilence();
    const recordings = await Promise.all(
      texts.map(async (t) => ({ sentences: await spokenSentences(t), quiet })),
    );
    // Load both engines before timing (a real server has them warm after its first answer).
    const [asr, tts] = await Promise.all([stack.services.asr(), stack.services.tts()]);
    const created = await client.call<{ id: string }>('POST', '/api/sessions', {
      jobId,
      module: 'behavioral',
      mode: 'voice',
      // Enough rounds for the warm-up, the answers and some that draw a probe (each probe ends a round too).
      rounds: 20,
      autoAdvance: true,
    });
    if (created.status !== 201) throw new Error(`POST /api/sessions: ${created.status}`);
    const sessionId = created.json.id;
    // One unmeasured answer first: JIT, the first whisper and Piper runs, PGlite's caches.
    let { lastId } = await measureOne(stack, sessionId, recordings[0]!, 0);
    const samples: VoiceE2eSample[] = [];
    let probed = 0;
    for (let i = 0; samples.length < answers; i++) {
      if (i >= 2 * answers) throw new Error(`only ${samples.length} of ${answers} answers were coached`);
      const measured = await measureOne(stack, sessionId, recordings[i % answers]!, lastId);
      lastId = measured.lastId;
      const s = measured.sample;
      if (!s) {
        probed++;
        log(`answer ${i + 1}: a follow-up probe was asked instead of a critique; not measured`);
        continue;
      }
      samples.push(s);
      log(
        `answer ${samples.length}/${answers}: ${Math.round(s.totalMs)} ms (transcript ${Math.round(s.transcriptMs)}, ` +
          `first sentence ${Math.round(s.firstSentenceMs)} (+${Math.round(s.transcriptToSentenceMs)}), tts ${Math.round(s.ttsFirstByteMs)} ${s.cache})`,
      );
    }
    await client.call('POST', `/api/sessions/${sessionId}/end`);
    const stage = (k: keyof VoiceE2eResult['stages']) => {
      const v = samples.map((s) => s[k]);
      return { p50: percentile(v, 50), p95: percentile(v, 95) };
    };
    return {
      answers,
      probed,
      p50: percentile(
        samples.map((s) => s.totalMs),
        50,
      ),
      p95: percentile(
        samples.map((s) => s.totalMs),
        95,
      ),
      stages: {
        totalMs: stage('totalMs'),
        transcriptMs: stage('transcriptMs'),
        firstCritiqueTokenMs: stage('firstCritiqueTokenMs'),
        firstSentenceMs: stage('firstSentenceMs'),
        transcriptToSentenceMs: stage('transcriptToSentenceMs'),
        ttsFirstByteMs: stage('ttsFirstByteMs'),
      },
      samples,
      engines: {
        asr: asr.name,
        tts: tts.name,
        coach: `offline (OFFLINE_TOKEN_DELAY_MS=${stack.config.OFFLINE_TOKEN_DELAY_MS})`,
      },
    };
  } finally {
    await stack?.close();
    await Promise.all([temporal.stop(), chroma.stop()]);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchVoiceE2e({
    answers: Number(process.env.ANSWERS ?? 10),
    log: (line) => console.log(line),
  });
  const ms = (v: number) => `${Math.round(v)} ms`;
  console.log(
    `\nanswer ended (finish sent, after the 2 s silence setting) -> first spoken critique word, ${result.answers} answers`,
  );
  console.log(`engines: ASR ${result.engines.asr}; TTS ${result.engines.tts}; coach ${result.engines.coach}`);
  for (const [name, v] of Object.entries(result.stages))
    console.log(`  ${name.padEnd(22)} p50 ${ms(v.p50).padStart(8)}   p95 ${ms(v.p95).padStart(8)}`);
  process.exit(0);
}
