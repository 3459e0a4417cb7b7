// ASR figures: real-time factor and word error rate per engine on generated answers (16 interview
// sentences x 2 espeak-ng voices at two speeds = 32 clips, packed as WebM/Opus like a browser records),
// against the target "faster than 0.5x real time on 2 cores"; and word error rate on real human speech
// (./real-speech.ts: 12 recordings, about 40 s, from the pocketsphinx sdist's test data, fetched here at
// bench time), per recording and in total. `npx tsx bench/voice/asr.ts` prints them (REAL_SPEECH=0 skips the
// real set); bench/voice.ts calls benchAsr().
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../core/config.js';
import { decodeAudio } from '../../voice/audio.js';
import { createAsrEngine } from '../../voice/asr/index.js';
import type { Pcm16k } from '../../voice/types.js';
import { ANSWERS, normalizeWords, speak, wordErrorRate } from '../../tests/support/speech.js';
import { realSpeechClips, type RealClip } from './real-speech.js';
import { mean, percentile } from '../../core/stats.js';

export const RTF_TARGET = 0.5;

export interface AsrEngineFigures {
  engine: string;
  clips: number;
  audioSec: number;
  loadSec: number;
  /** Transcription wall time / audio duration. */
  rtfP50: number;
  rtfP95: number;
  /** CPU seconds (all threads, and child processes) per second of audio: what the engine costs. */
  cpuPerAudioSecP50: number;
  werMean: number;
  werMax: number;
  meetsTarget: boolean;
  /** On real human recordings; absent when the real set was skipped. */
  real?: RealSpeechFigures;
}

export interface RealSpeechFigures {
  clips: number;
  audioSec: number;
  /** All the edits over all the reference words (longer recordings weigh more). */
  werTotal: number;
  werMean: number;
  /** The middle recording's: one runaway transcript moves the total and the mean, not this. */
  werMedian: number;
  recordings: { id: string; seconds: number; wer: number; heard: string }[];
}

export interface AsrBenchFigures {
  target: string;
  clips: number;
  /** ffmpeg WebM/Opus -> 16 kHz float32, per clip. */
  decodeMsP50: number;
  /** 1-minute load average before and after: other work on the machine inflates wall times. */
  loadAverage: [number, number];
  engines: AsrEngineFigures[];
}

/** The clips: every answer in an American voice at 160 wpm and a British one at 140 wpm. */
const SPEAKERS = [
  { voice: 'en-us', speed: 160 },
  { voice: 'en-gb-x-rp', speed: 140 },
] as const;

const r3 = (n: number) => Math.round(n * 1000) / 1000;

/** CPU seconds of this process (all threads) and of its finished children (pocketsphinx runs as one). */
function cpuSeconds(): number {
  const own = process.cpuUsage();
  // /proc/self/stat fields 16-17: cutime, cstime in clock ticks (100 per second on Linux)
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  const children = (Number(fields[13]) + Number(fields[14])) / 100;
  return (own.user + own.system) / 1e6 + children;
}

export async function benchAsr({
  engines = ['whisper', 'pocketsphinx'],
  realSpeech = true,
}: { engines?: ('whisper' | 'pocketsphinx')[]; realSpeech?: boolean } = {}): Promise<AsrBenchFigures> {
  const real = realSpeech ? await realSpeechClips() : [];
  const loadBefore = loadavg()[0]!;
  const clips: { text: string; pcm: Pcm16k }[] = [];
  const decodeMs: number[] = [];
  for (const speaker of SPEAKERS) {
    for (const text of ANSWERS) {
      const bytes = await readFile(await speak(text, { ...speaker, format: 'webm' }));
      const started = performance.now();
      const { pcm } = await decodeAudio(bytes);
      decodeMs.push(performance.now() - started);
      clips.push({ text, pcm });
    }
  }

  const config = loadConfig({ ...process.env, ASR_PROVIDER: 'whisper' });
  const figures: AsrEngineFigures[] = [];
  for (const provider of engines) {
    const loadStarted = performance.now();
    const engine = await createAsrEngine({ ...config, ASR_PROVIDER: provider });
    const loadSec = (performance.now() - loadStarted) / 1000;
    // One untimed call first: the first whisper call allocates its buffers.
    await engine.transcribe(clips[0]!.pcm);
    const rtf: number[] = [];
    const cpu: number[] = [];
    const wer: number[] = [];
    let audioSec = 0;
    for (const clip of clips) {
      const seconds = clip.pcm.samples.length / clip.pcm.sampleRate;
      const cpuBefore = cpuSeconds();
      const started = performance.now();
      const t = await engine.transcribe(clip.pcm);
      rtf.push((performance.now() - started) / 1000 / seconds);
      cpu.push((cpuSeconds() - cpuBefore) / seconds);
      wer.push(wordErrorRate(clip.text, t.text));
      audioSec += seconds;
    }
    const realFigures = real.length ? await onRealSpeech(engine, real) : undefined;
    await engine.close();
    figures.push({
      engine: engine.name,
      clips: clips.length,
      audioSec: Math.round(audioSec),
      loadSec: r3(loadSec),
      rtfP50: r3(percentile(rtf, 50)),
      rtfP95: r3(percentile(rtf, 95)),
      cpuPerAudioSecP50: r3(percentile(cpu, 50)),
      werMean: r3(mean(wer)),
      werMax: r3(Math.max(...wer)),
      meetsTarget: percentile(rtf, 50) < RTF_TARGET,
      ...(realFigures && { real: realFigures }),
    });
  }
  return {
    target: `real-time factor p50 < ${RTF_TARGET} on 2 cores`,
    clips: clips.length,
    decodeMsP50: Math.round(percentile(decodeMs, 50)),
    loadAverage: [r3(loadBefore), r3(loadavg()[0]!)],
    engines: figures,
  };
}

async function onRealSpeech(
  engine: { transcribe(pcm: Pcm16k): Promise<{ text: string }> },
  clips: RealClip[],
): Promise<RealSpeechFigures> {
  const recordings: RealSpeechFigures['recordings'] = [];
  let edits = 0;
  let words = 0;
  for (const clip of clips) {
    const heard = (await engine.transcribe(clip.pcm)).text.trim();
    const wer = wordErrorRate(clip.reference, heard);
    const n = normalizeWords(clip.reference).length;
    edits += wer * n;
    words += n;
    recordings.push({ id: clip.id, seconds: r3(clip.pcm.samples.length / 16000), wer: r3(wer), heard });
  }
  return {
    clips: clips.length,
    audioSec: Math.round(recordings.reduce((sum, r) => sum + r.seconds, 0)),
    werTotal: r3(edits / words),
    werMean: r3(mean(recordings.map((r) => r.wer))),
    werMedian: r3(
      percentile(
        recordings.map((r) => r.wer),
        50,
      ),
    ),
    recordings,
  };
}

/** A runaway transcript (a word repeated hundreds of times) cut for printing. */
const clipped = (text: string) => (text.length > 120 ? `${text.slice(0, 117)}...` : text);

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchAsr({ realSpeech: process.env.REAL_SPEECH !== '0' });
  console.log(`ASR on ${figures.clips} generated clips (WebM/Opus, 2 voices), target ${figures.target}`);
  console.log(`decode p50 ${figures.decodeMsP50} ms; load average ${figures.loadAverage.join(' -> ')}`);
  for (const e of figures.engines) {
    console.log(
      `${e.engine.padEnd(28)} RTF p50 ${e.rtfP50} p95 ${e.rtfP95} | CPU s per audio s p50 ${e.cpuPerAudioSecP50} | ` +
        `WER mean ${e.werMean} max ${e.werMax} | load ${e.loadSec} s | ${e.meetsTarget ? 'meets' : 'MISSES'} the target`,
    );
  }
  for (const e of figures.engines) {
    if (!e.real) continue;
    console.log(
      `\n${e.engine}: real human speech (pocketsphinx 5.1.1 sdist test data), ${e.real.clips} recordings, ` +
        `${e.real.audioSec} s: WER total ${e.real.werTotal}, mean ${e.real.werMean}, median ${e.real.werMedian} ` +
        `(generated voices: WER mean ${e.werMean})`,
    );
    for (const r of e.real.recordings)
      console.log(
        `  ${r.id.padEnd(42)} ${String(r.seconds).padStart(5)} s  WER ${r.wer.toFixed(3)}  "${clipped(r.heard)}"`,
      );
  }
  console.log(JSON.stringify(figures, null, 2));
}
