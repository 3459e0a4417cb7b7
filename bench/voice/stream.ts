// The live transcript of a streamed answer, on the embedded default stack (whisper base, PGlite, a real
// Temporal dev server and Chroma). Each answer is spoken at its own pace: sentence by sentence (espeak-ng),
// each sent as the browser sends it, PAUSE_MS into the pause after it (PUT .../audio/segments/:n), then the
// silence that ends the answer (the recorder's default 2 s) and POST .../audio/finish. Reported:
//   lag    the end of a sentence -> the partial transcript holding it (target: 1.5 s behind the speaker);
//   final  the end of speech -> the final transcript (only the last sentence is left to transcribe then),
//          and the finish request -> the final transcript.
// Run alone with `npx tsx bench/voice/stream.ts` (ANSWERS=n to change the count, default 6).
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { startAppStack, type TestStack } from '../../tests/support/app-stack.js';
import { apiClient, createReadyJob } from '../../tests/support/client.js';
import { startChroma, startTemporal } from '../../tests/support/processes.js';
import { silence, speak } from '../../tests/support/speech.js';
import { splitSentences } from '../../core/text/index.js';
import { readSse } from '../../core/sse.js';
import { percentile } from '../../core/stats.js';
import { decodeWav } from '../../voice/wav.js';
import { E2E_ANSWERS } from './answers.js';

/** How far into a pause the browser cuts (web/src/lib/voice/segmenter.ts). */
const PAUSE_MS = 300;
/** The pause between sentences as spoken here. */
const BETWEEN_MS = 700;
/** The silence that ends the answer (web/src/lib/voice/settings.ts). */
const END_SILENCE_MS = 2000;

export interface StreamSample {
  lagsMs: number[];
  endOfSpeechToFinalMs: number;
  finishToFinalMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const seconds = (wav: Buffer) => {
  const w = decodeWav(wav);
  return w.samples.length / w.sampleRate;
};

/**
 * Speaks `sentences` into a turn as the browser streams them: each sentence in its own time, sent PAUSE_MS
 * into the pause after it (PUT .../audio/segments/:n), then the silence that ends the answer (`quiet`, sent as
 * the last segment) and POST .../audio/finish. Returns when each sentence ended and when the finish was sent.
 */
export async function streamAnswer(
  base: string,
  sessionId: string,
  turnId: string,
  sentences: Buffer[],
  quiet: Buffer,
): Promise<{ spokenEnd: number[]; finishedAt: number }> {
  const turn = `${base}/api/sessions/${sessionId}/turns/${turnId}/audio`;
  const put = async (index: number, wav: Buffer) => {
    const res = await fetch(`${turn}/segments/${index}`, {
      method: 'PUT',
      headers: { 'content-type': 'audio/wav' },
      body: new Uint8Array(wav),
    });
    if (res.status !== 202) throw new Error(`PUT segment ${index}: ${res.status} ${await res.text()}`);
  };
  const spokenEnd: number[] = [];
  const sent: Promise<void>[] = [];
  for (const [i, wav] of sentences.entries()) {
    await sleep(seconds(wav) * 1000); // the candidate says the sentence...
    spokenEnd.push(performance.now());
    await sleep(PAUSE_MS); // ...pauses, and the browser cuts
    sent.push(put(i, wav));
    if (i < sentences.length - 1) await sleep(BETWEEN_MS - PAUSE_MS);
  }
  await sleep(spokenEnd.at(-1)! + END_SILENCE_MS - performance.now());
  await Promise.all([...sent, put(sentences.length, quiet)]);
  const finishedAt = performance.now();
  const finished = await fetch(`${turn}/finish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ segments: sentences.length + 1 }),
  });
  if (finished.status !== 202) throw new Error(`finish: ${finished.status} ${await finished.text()}`);
  return { spokenEnd, finishedAt };
}

async function measureOne(
  stack: TestStack,
  jobId: string,
  said: string[],
  sentences: Buffer[],
  quiet: Buffer,
) {
  const base = stack.baseUrl;
  const client = apiClient(base);
  const created = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'voice',
    rounds: 1,
  });
  const id = created.json.id;
  const question = (await client.events(id, { until: (e) => e.data.type === 'question' })).at(-1)!;
  const turnId = question.data.turnId as string;

  // Every transcript event's arrival, read as the browser reads them.
  const partials: { at: number; words: number }[] = [];
  let finalAt = NaN;
  const ctl = new AbortController();
  const watching = (async () => {
    const res = await fetch(`${base}/api/sessions/${id}/events`, {
      headers: { accept: 'text/event-stream', 'last-event-id': String(question.id) },
      signal: ctl.signal,
    });
    for await (const item of readSse(res.body)) {
      if (item.kind !== 'event' || !item.data) continue;
      const data = JSON.parse(item.data) as { type: string; partial?: boolean; text?: string };
      if (data.type !== 'transcript') continue;
      if (data.partial) partials.push({ at: performance.now(), words: wordsIn(data.text ?? '') });
      else {
        finalAt = performance.now();
        return;
      }
    }
  })().catch((err: unknown) => {
    if ((err as Error).name !== 'AbortError') throw err;
  });
  await sleep(100);

  const { spokenEnd, finishedAt } = await streamAnswer(base, id, turnId, sentences, quiet);
  const endOfSpeech = spokenEnd.at(-1)!;
  await watching;
  ctl.abort();
  // Sentence i is on screen once a partial holds nearly as many words as the answer up to it, and more
  // than the answer before it (a short last sentence is within 80% of the words before it); a partial after
  // the finish is not "live".
  const lagsMs = spokenEnd.flatMap((end, i) => {
    const upTo = wordsIn(said.slice(0, i + 1).join(' '));
    const before = wordsIn(said.slice(0, i).join(' '));
    const shown = partials.find((p) => p.at < finalAt && p.words >= Math.max(0.8 * upTo, before + 1));
    return shown ? [shown.at - end] : [];
  });
  return {
    lagsMs,
    endOfSpeechToFinalMs: finalAt - endOfSpeech,
    finishToFinalMs: finalAt - finishedAt,
  } satisfies StreamSample;
}

const wordsIn = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** The answer's sentences, each spoken alone (16 kHz WAV, no padding), as streamAnswer sends them. */
export const spokenSentences = (text: string): Promise<Buffer[]> =>
  Promise.all(splitSentences(text).map(async (s) => readFile(await speak(s, { sampleRate: 16000, pad: 0 }))));

/** The silence after the last sentence that ends the answer, less the part already sent with it. */
export const endingSilence = async (): Promise<Buffer> =>
  readFile(await silence((END_SILENCE_MS - PAUSE_MS) / 1000));

export async function benchVoiceStream(opts: { answers?: number; log?: (line: string) => void } = {}) {
  const answers = Math.max(1, opts.answers ?? 6);
  const log = opts.log ?? (() => undefined);
  const temporal = await startTemporal();
  const chroma = await startChroma();
  let stack: TestStack | undefined;
  try {
    stack = await startAppStack({
      TEMPORAL_ADDRESS: temporal.url,
      CHROMA_URL: chroma.url,
      ASR_PROVIDER: 'whisper',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    });
    const jobId = await createReadyJob(apiClient(stack.baseUrl));
    const quiet = await endingSilence();
    await stack.services.asr(); // loaded before timing, as on a server after its first answer
    const samples: StreamSample[] = [];
    for (let i = 0; i <= answers; i++) {
      const text = E2E_ANSWERS[i % E2E_ANSWERS.length]!;
      const sentences = await spokenSentences(text);
      const s = await measureOne(stack, jobId, splitSentences(text), sentences, quiet);
      if (i === 0) continue; // the warm-up
      samples.push(s);
      log(
        `answer ${i}/${answers}: lags ${s.lagsMs.map(Math.round).join(', ')} ms; end of speech -> final ` +
          `${Math.round(s.endOfSpeechToFinalMs)} ms (finish -> final ${Math.round(s.finishToFinalMs)})`,
      );
    }
    const lags = samples.flatMap((s) => s.lagsMs);
    const stat = (xs: number[]) => ({ p50: percentile(xs, 50), p95: percentile(xs, 95) });
    return {
      answers: samples.length,
      lag: stat(lags),
      endOfSpeechToFinal: stat(samples.map((s) => s.endOfSpeechToFinalMs)),
      finishToFinal: stat(samples.map((s) => s.finishToFinalMs)),
    };
  } finally {
    await stack?.close();
    await chroma.stop();
    await temporal.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchVoiceStream({ answers: Number(process.env.ANSWERS ?? 6), log: console.log });
  const ms = (x: { p50: number; p95: number }) => `p50 ${Math.round(x.p50)} ms, p95 ${Math.round(x.p95)} ms`;
  console.log(`streamed answers: ${r.answers}`);
  console.log(`live transcript behind the end of each sentence: ${ms(r.lag)} (target 1500 ms)`);
  console.log(`end of speech -> final transcript: ${ms(r.endOfSpeechToFinal)}`);
  console.log(`finish request -> final transcript: ${ms(r.finishToFinal)}`);
  process.exit(0);
}
