// Speech synthesis benchmark: time to the first audio byte of a spoken sentence (target: p50 under 300 ms)
// and real-time factor, per engine, over interview-style sentences. The local engines always run; an
// OpenAI-compatible endpoint too when TTS_BASE_URL is set. Called by bench/voice.ts (`npm run bench:voice`)
// and runnable alone: `npx tsx bench/voice/tts.ts`.
import { statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from '../../core/config.js';
import { ensurePiperVoice } from '../../scripts/lib/tts-model.mjs';
import { createTtsEngine, piperModelPath } from '../../voice/tts/index.js';
import type { TtsEngine } from '../../voice/types.js';
import { streamWav } from '../../voice/wav.js';
import { mean, summarize } from '../../core/stats.js';

export const TARGET_P50_MS = 300;

/** One sentence each, as the coach asks and critiques: 6 to 25 words. */
export const SENTENCES = [
  'Tell me about a time you disagreed with a teammate.',
  'What was the hardest bug you have ever fixed?',
  'Walk me through a project you are proud of.',
  'How did you measure whether the change was a success?',
  'Describe a situation where you had to learn something quickly.',
  'Why do you want to work on this team?',
  'Tell me about a decision you made with incomplete information.',
  'What would your last manager say is your biggest strength?',
  'How do you prioritise when everything seems urgent?',
  'Give me an example of feedback that changed how you work.',
  'Your answer named the result, but not what you personally did.',
  'Try again, and start with the situation in one sentence.',
  'Good: you quantified the impact with a clear number.',
  'How would you design a rate limiter for a public API?',
  'What trade-offs did you consider before choosing that database?',
  'Tell me about a time you missed a deadline and what you did about it.',
  'How do you make sure a code review is useful for the author?',
  'Describe how you handled a customer who was unhappy with your work.',
  'What did you learn from the last project that failed?',
  'Explain a technical concept to me as if I were new to the field.',
  'Which metric would you watch in the first week after launch?',
  'Tell me about a time you helped a colleague grow, and what changed for them afterwards.',
  'That was a strong answer; next time, keep the situation shorter and spend more time on your actions.',
  'Thank you, that is all for today.',
];

export interface Quantiles {
  p50: number;
  p95: number;
  max: number;
}

export interface TtsEngineFigures {
  provider: Config['TTS_PROVIDER'];
  engine: string;
  sentences: number;
  /** Time to build the engine (load the model). */
  loadMs: number;
  /** Size of the model file, for local neural voices. */
  modelBytes: number | null;
  /** From asking for a sentence to its first audio byte (the WAV's first PCM byte; the encoded reply's first byte). */
  firstAudioMs: Quantiles;
  /** Synthesis time over audio duration (PCM engines only; below 1 is faster than real time). */
  realTimeFactor: { p50: number; mean: number } | null;
  audioSeconds: number | null;
  /** Longest event-loop stall seen while synthesising (a synchronous engine would stall for whole sentences). */
  worstEventLoopLagMs: number;
  targetP50Ms: number;
  meetsTarget: boolean;
}

export interface TtsBenchFigures {
  cores: number;
  /** 1-minute load average at the start: other work on the machine slows every figure. */
  loadAverage: number;
  engines: TtsEngineFigures[];
}

function quantiles(values: number[]): Quantiles {
  const { p50, p95, max } = summarize(values);
  return { p50, p95, max };
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** One sentence: ms to its first audio byte, ms to the end, and seconds of audio (PCM only). */
async function speakOnce(engine: TtsEngine, sentence: string) {
  const started = performance.now();
  let firstAudio: number | undefined;
  let samples = 0;
  let sampleRate = 0;
  let encoded = false;
  async function* tap() {
    for await (const chunk of engine.synthesize(sentence)) {
      if (chunk.kind === 'pcm') {
        samples += chunk.samples.length;
        sampleRate = chunk.sampleRate;
        yield chunk;
      } else {
        encoded = true;
        firstAudio ??= performance.now() - started;
      }
    }
  }
  // PCM goes through the same streaming WAV writer the API uses; its second part is the first PCM.
  let part = 0;
  for await (const _bytes of streamWav(tap())) if (++part === 2) firstAudio ??= performance.now() - started;
  const totalMs = performance.now() - started;
  if (firstAudio === undefined) throw new Error(`${engine.name} produced no audio for "${sentence}"`);
  return { firstAudio, totalMs, audioSeconds: encoded ? null : samples / sampleRate };
}

async function benchEngine(config: Config, sentences: string[]): Promise<TtsEngineFigures> {
  const loadStarted = performance.now();
  const engine = await createTtsEngine(config);
  const loadMs = performance.now() - loadStarted;
  try {
    for (const warm of sentences.slice(0, 2)) await speakOnce(engine, warm);

    let worstLag = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worstLag = Math.max(worstLag, now - last - 5);
      last = now;
    }, 5);
    const runs = [];
    try {
      for (const sentence of sentences) runs.push(await speakOnce(engine, sentence));
    } finally {
      clearInterval(timer);
    }

    const firstAudioMs = quantiles(runs.map((r) => r.firstAudio));
    const pcmRuns = runs.filter((r) => r.audioSeconds !== null);
    const rtfs = pcmRuns.map((r) => r.totalMs / 1000 / r.audioSeconds!);
    const modelBytes = config.TTS_PROVIDER === 'piper' ? statSync(piperModelPath(config)).size : null;
    return {
      provider: config.TTS_PROVIDER,
      engine: engine.name,
      sentences: runs.length,
      loadMs: round(loadMs),
      modelBytes,
      firstAudioMs: {
        p50: round(firstAudioMs.p50),
        p95: round(firstAudioMs.p95),
        max: round(firstAudioMs.max),
      },
      realTimeFactor: rtfs.length
        ? {
            p50: round(quantiles(rtfs).p50, 3),
            mean: round(mean(rtfs), 3),
          }
        : null,
      audioSeconds: pcmRuns.length ? round(pcmRuns.reduce((a, r) => a + r.audioSeconds!, 0)) : null,
      worstEventLoopLagMs: round(worstLag),
      targetP50Ms: TARGET_P50_MS,
      meetsTarget: firstAudioMs.p50 < TARGET_P50_MS,
    };
  } finally {
    await engine.close();
  }
}

/** Figures for Piper and espeak-ng, and the configured OpenAI-compatible endpoint when there is one. */
export async function benchTts(
  env: NodeJS.ProcessEnv = process.env,
  sentences: string[] = SENTENCES,
): Promise<TtsBenchFigures> {
  const base = loadConfig({ ...env, TTS_PROVIDER: 'espeak' });
  if (!base.TTS_PIPER_MODEL) await ensurePiperVoice(process.cwd());
  const providers: Config['TTS_PROVIDER'][] = [
    'piper',
    'espeak',
    ...(base.TTS_BASE_URL ? (['openai'] as const) : []),
  ];
  const loadAverage = round(loadavg()[0]!, 2);
  const engines: TtsEngineFigures[] = [];
  for (const provider of providers)
    engines.push(await benchEngine({ ...base, TTS_PROVIDER: provider }, sentences));
  return { cores: cpus().length, loadAverage, engines };
}

function print(figures: TtsBenchFigures): void {
  console.log(`TTS: time to first audio byte of one sentence (target p50 < ${TARGET_P50_MS} ms)`);
  console.log(`cores ${figures.cores}, load average ${figures.loadAverage}`);
  for (const e of figures.engines) {
    const rtf = e.realTimeFactor
      ? `RTF p50 ${e.realTimeFactor.p50} mean ${e.realTimeFactor.mean}`
      : 'RTF n/a';
    const size = e.modelBytes ? `, model ${(e.modelBytes / 1e6).toFixed(1)} MB` : '';
    console.log(
      `  ${e.engine}: first audio p50 ${e.firstAudioMs.p50} ms, p95 ${e.firstAudioMs.p95} ms, max ${e.firstAudioMs.max} ms ` +
        `over ${e.sentences} sentences; ${rtf}; load ${e.loadMs} ms${size}; worst event-loop lag ${e.worstEventLoopLagMs} ms; ` +
        (e.meetsTarget ? 'meets the target' : 'MISSES the target'),
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchTts();
  print(figures);
  console.log(JSON.stringify(figures, null, 2));
}
