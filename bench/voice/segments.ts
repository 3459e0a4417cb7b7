// A streamed answer is transcribed in the pieces the browser cuts at its pauses, and its final transcript is
// those pieces' transcripts joined. Is that as good as transcribing the whole answer at once? Each of the
// ten benchmark answers, in two espeak-ng voices, is cut at every comma, every sentence end and before
// every "and" that joins clauses (shorter pieces than the browser usually sends: the worst case), each piece
// spoken alone; the same audio is then transcribed two ways by whisper base:
//   whole     the pieces' audio joined, in one call (an uploaded answer);
//   alone     each piece on its own, joined (a streamed answer's final transcript).
// Reported: word error rate (mean over answers, and the worst) and wall time per condition.
// Tried on 06 Dec 2026 and not shipped: priming each piece with the text before it (whisper's
// initial_prompt, its last 40 words). It fixed one piece ("and the rate and c fell by 40%" -> "...latency
// fell by 40%") but made whisper repeat earlier clauses: WER mean 0.92 against 0.25 alone and 0.15 whole.
// `npx tsx bench/voice/segments.ts` (ANSWERS=n for the first n only).
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../core/config.js';
import { mean } from '../../core/stats.js';
import { splitSentences } from '../../core/text/index.js';
import { speak, VOICES, wordErrorRate } from '../../tests/support/speech.js';
import { createAsrEngine } from '../../voice/asr/index.js';
import type { AsrEngine, Pcm16k } from '../../voice/types.js';
import { decodeWav } from '../../voice/wav.js';
import { E2E_ANSWERS } from './answers.js';

const CONDITIONS = ['whole', 'alone'] as const;
type Condition = (typeof CONDITIONS)[number];

/** Where a speaker may pause: commas, sentence ends, and before an "and" with a clause on each side. */
export function pieces(answer: string): string[] {
  const out: string[] = [];
  for (const sentence of splitSentences(answer)) {
    for (const clause of sentence.split(/(?<=,)\s+/)) {
      const words = clause.split(/\s+/);
      const cut = words.findIndex((w, i) => w === 'and' && i >= 3 && words.length - i >= 4);
      if (cut > 0) out.push(words.slice(0, cut).join(' '), words.slice(cut).join(' '));
      else out.push(clause);
    }
  }
  return out;
}

const joinSamples = (parts: Float32Array[]) => {
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
};

async function heard(engine: AsrEngine, condition: Condition, clips: Pcm16k[]): Promise<string> {
  if (condition === 'whole')
    return (await engine.transcribe({ samples: joinSamples(clips.map((c) => c.samples)), sampleRate: 16000 }))
      .text;
  const texts: string[] = [];
  for (const clip of clips) texts.push((await engine.transcribe(clip)).text.trim());
  return texts.filter(Boolean).join(' ');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const load = loadavg()[0]!;
  const engine = await createAsrEngine({ ...loadConfig(process.env), ASR_PROVIDER: 'whisper' });
  const answers: { text: string; clips: Pcm16k[] }[] = [];
  const count = Number(process.env.ANSWERS ?? E2E_ANSWERS.length * VOICES.length);
  const said = E2E_ANSWERS.flatMap((text) => VOICES.map((voice) => ({ voice, text }))).slice(0, count);
  for (const { voice, text } of said) {
    const clips: Pcm16k[] = [];
    for (const piece of pieces(text)) {
      const wav = decodeWav(await readFile(await speak(piece, { voice, pad: 0.15, sampleRate: 16000 })));
      if (wav.sampleRate !== 16000) throw new Error(`espeak-ng clip at ${wav.sampleRate} Hz, not 16 kHz`);
      clips.push({ samples: wav.samples, sampleRate: 16000 });
    }
    answers.push({ text, clips });
  }
  await engine.transcribe(answers[0]!.clips[0]!); // the first call allocates whisper's buffers
  const results: Record<Condition, { wer: number[]; ms: number; worst: string }> = {
    whole: { wer: [], ms: 0, worst: '' },
    alone: { wer: [], ms: 0, worst: '' },
  };
  for (const { text, clips } of answers)
    for (const condition of CONDITIONS) {
      const started = performance.now();
      const hypothesis = await heard(engine, condition, clips);
      const r = results[condition];
      r.ms += performance.now() - started;
      const wer = wordErrorRate(text, hypothesis);
      if (wer > Math.max(0, ...r.wer)) r.worst = hypothesis;
      r.wer.push(wer);
    }
  await engine.close();
  const pieceCount = answers.reduce((n, a) => n + a.clips.length, 0);
  console.log(
    `${answers.length} answers (of ${E2E_ANSWERS.length} x ${VOICES.length} voices), ${pieceCount} pieces ` +
      `(${(pieceCount / answers.length).toFixed(1)} per answer), ${engine.name}, load average ${load.toFixed(1)} -> ${loadavg()[0]!.toFixed(1)}`,
  );
  for (const condition of CONDITIONS) {
    const r = results[condition];
    console.log(
      `${condition.padEnd(8)} WER mean ${mean(r.wer).toFixed(3)}, max ${Math.max(...r.wer).toFixed(3)}; ` +
        `${(r.ms / answers.length / 1000).toFixed(2)} s per answer; worst: "${r.worst}"`,
    );
  }
}
