// Runs fuzz cases through the code that reads uploads, the way the services do: documents through
// `loadDocument` with the worker's limits (PDFs in their worker thread, the parse deadline), recordings
// through `checkRecording` with the API's limits (ffprobe/ffmpeg with their time limits). Records, per case,
// how it ended and how long it took, plus the process's peak memory and any error that escaped.
import { loadConfig } from '../../../core/config.js';
import { DocumentRejected, loadDocument, type LoadLimits } from '../../../ingestion/loaders/index.js';
import { AudioRejected, checkRecording, type AudioLimits } from '../../../voice/audio.js';
import type { FuzzCase, FuzzKind } from './corpus.js';

export type Outcome =
  | { case: string; kind: FuzzKind; ms: number; result: 'parsed'; chars: number }
  | { case: string; kind: FuzzKind; ms: number; result: 'rejected'; code: string; reason: string }
  | { case: string; kind: FuzzKind; ms: number; result: 'crashed'; error: string };

export interface FuzzReport {
  outcomes: Outcome[];
  escaped: string[];
  peakRssMb: number;
  startRssMb: number;
  endHeapMb: number;
  startHeapMb: number;
  ms: number;
  limits: { document: LoadLimits; audio: AudioLimits; audioTimeoutMs: number };
}

const config = loadConfig({});
/** What the worker passes to loadDocument (server/services.ts). */
export const DOCUMENT_LIMITS: LoadLimits = {
  maxBytes: config.UPLOAD_MAX_BYTES,
  maxUnzippedBytes: config.UPLOAD_MAX_UNZIPPED_BYTES,
  maxZipEntries: config.UPLOAD_MAX_ZIP_ENTRIES,
  timeoutMs: config.PARSE_TIMEOUT_MS,
};
/** What the API passes to checkRecording (api/services/voice.ts). */
export const AUDIO_LIMITS: AudioLimits = {
  maxBytes: config.AUDIO_MAX_BYTES,
  maxSeconds: config.AUDIO_MAX_SECONDS,
};
/** ffmpeg's own kill switch per recording (voice/audio.ts decodeAudio's default). */
export const AUDIO_TIMEOUT_MS = 60_000;

const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));

async function one(c: FuzzCase): Promise<Outcome> {
  const started = performance.now();
  const base = { case: c.id, kind: c.kind };
  try {
    if (c.kind === 'audio') {
      const decoded = await checkRecording(Buffer.from(c.bytes), AUDIO_LIMITS, {
        timeoutMs: AUDIO_TIMEOUT_MS,
      });
      return {
        ...base,
        ms: performance.now() - started,
        result: 'parsed',
        chars: decoded.pcm.samples.length,
      };
    }
    const loaded = await loadDocument(c.bytes, c.name, DOCUMENT_LIMITS);
    return { ...base, ms: performance.now() - started, result: 'parsed', chars: loaded.text.length };
  } catch (err) {
    const ms = performance.now() - started;
    if (err instanceof DocumentRejected || err instanceof AudioRejected) {
      const code = err instanceof DocumentRejected ? err.code : err.reason;
      return { ...base, ms, result: 'rejected', code, reason: err.message };
    }
    return {
      ...base,
      ms,
      result: 'crashed',
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    };
  }
}

/** Runs every case with `concurrency` in flight, as a worker runs several ingestion activities at once. */
export async function runFuzz(
  cases: Iterable<FuzzCase>,
  { concurrency = 4, onOutcome }: { concurrency?: number; onOutcome?: (o: Outcome) => void } = {},
): Promise<FuzzReport> {
  const escaped: string[] = [];
  const onError = (err: unknown) => escaped.push(String(err instanceof Error ? (err.stack ?? err) : err));
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  const startRss = process.memoryUsage().rss;
  const startHeap = process.memoryUsage().heapUsed;
  let peak = startRss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const outcomes: Outcome[] = [];
  const iterator = cases[Symbol.iterator]();
  const lane = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      const outcome = await one(next.value);
      outcomes.push(outcome);
      onOutcome?.(outcome);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, lane));
    // Let terminated PDF workers and killed ffmpeg processes report in before judging what escaped.
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    clearInterval(sampler);
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  }
  return {
    outcomes,
    escaped,
    peakRssMb: mb(Math.max(peak, process.memoryUsage().rss)),
    startRssMb: mb(startRss),
    startHeapMb: mb(startHeap),
    endHeapMb: mb(process.memoryUsage().heapUsed),
    ms: performance.now() - started,
    limits: { document: DOCUMENT_LIMITS, audio: AUDIO_LIMITS, audioTimeoutMs: AUDIO_TIMEOUT_MS },
  };
}

/** Counts per kind and outcome (rejections by code), for the test's log and the long run's summary. */
export function summarise(report: FuzzReport): string {
  const counts = new Map<string, number>();
  for (const o of report.outcomes) {
    const key = `${o.kind} ${o.result === 'rejected' ? `rejected:${o.code}` : o.result}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const slowest = [...report.outcomes].sort((a, b) => b.ms - a.ms).slice(0, 3);
  return [
    `${report.outcomes.length} cases in ${(report.ms / 1000).toFixed(1)} s; peak RSS ${report.peakRssMb} MB (start ${report.startRssMb} MB)`,
    ...[...counts.entries()].sort().map(([k, n]) => `  ${k}: ${n}`),
    `  slowest: ${slowest.map((o) => `${o.case} ${Math.round(o.ms)} ms`).join(', ')}`,
  ].join('\n');
}
