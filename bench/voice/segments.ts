// A streamed answer is transcribed in the pieces the browser cuts at its pauses, and its final transcript is
// those transcripts joined. Is that as good as transcribing the whole answer at once, and what closes the
// gap? Each of the ten benchmark answers (synthetic: espeak-ng in two voices) is cut at every comma, every
// sentence end and before every "and" that joins clauses (shorter pieces than the browser sends: the worst
// case), each piece spoken alone; the same audio is then transcribed by whisper base as:
//   piece by piece    each piece on its own, joined (the streamed answer's final transcript before groups);
//   whole             the pieces' audio joined, in one call (an uploaded answer; option a: the whole
//                     recording again when the answer ends, whose cost per second of audio is printed);
//   b) lead-in        each piece after the last 1 or 2 s of the audio before it, keeping the words whisper's
//                     token times put after the lead-in;
//   c) merged         pieces shorter than 3 (or 6) s transcribed together with the next (voice/pieces.ts,
//                     what the server does since);
//   b+c)              both.
//   d) final groups   the 3 s groups joined to at least 10 s (voice/pieces.ts finalGroups): the final
//                     transcript since 07 Dec 2026 (the live one keeps c). Its last call is the last stretch
//                     heard after the answer; the server hears it in the pause that ends the answer.
// Reported: word error rate (mean over answers, and the worst), whisper's time per answer, and its last
// call: the work left when the answer ends (for `whole`, all of it). Variants take turns on each answer.
// Tried on 06 Dec 2026 and not shipped: priming each piece with the text before it (whisper's
// initial_prompt, its last 40 words). It fixed one piece ("and the rate and c fell by 40%" -> "...latency
// fell by 40%") but made whisper repeat earlier clauses: WER mean 0.92 against 0.25 alone and 0.15 whole.
// `npx tsx bench/voice/segments.ts` (CUTS=sentences to cut at sentence ends only, as a speaker who pauses
// between sentences; ANSWERS=n for the first n only; VARIANTS=a,b to run only the variants
// whose names start so, beside the two baselines; VERBOSE=1 prints each transcript; ASR_THREADS=1 on a
// machine whose cores are busy, where two whisper threads wait on each other).
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../core/config.js';
import { mean, percentile } from '../../core/stats.js';
import { splitSentences } from '../../core/text/index.js';
import { speak, VOICES, wordErrorRate } from '../../tests/support/speech.js';
import { createAsrEngine } from '../../voice/asr/index.js';
import type { AsrEngine, Pcm16k, TimedWord, Transcript } from '../../voice/types.js';
import { decodeWav } from '../../voice/wav.js';
import { concatSamples } from '../../core/audio/samples.js';
import { groupPieces } from '../../voice/pieces.js';
import { E2E_ANSWERS } from './answers.js';

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

// b) (not shipped) each piece heard after the end of the one before it: its audio, not its text (priming
// with the text made whisper repeat earlier clauses), keeping only the words after the lead-in.
/** The piece to transcribe, `leadSec` of the audio before it first, and how long that lead-in is. */
function withLeadIn(
  before: Float32Array | undefined,
  piece: Pcm16k,
  leadSec: number,
): { audio: Pcm16k; leadSec: number } {
  const take = Math.min(before?.length ?? 0, Math.round(leadSec * piece.sampleRate));
  if (!before || take === 0) return { audio: piece, leadSec: 0 };
  return {
    audio: {
      samples: concatSamples([before.subarray(before.length - take), piece.samples]),
      sampleRate: 16000,
    },
    leadSec: take / piece.sampleRate,
  };
}

/**
 * The words of a transcript of lead-in + piece that belong to the piece, with times from the piece's start.
 * A word belongs to it when most of it is after the lead-in (whisper's token times, without DTW, are good
 * to a few tenths of a second: a word straddling the join goes where its middle is).
 */
function afterLeadIn(transcript: Transcript, leadSec: number): Transcript {
  if (leadSec === 0) return transcript;
  const words: TimedWord[] = transcript.words
    .filter((w) => (w.start + w.end) / 2 >= leadSec)
    .map((w) => ({ word: w.word, start: Math.max(0, w.start - leadSec), end: Math.max(0, w.end - leadSec) }));
  return {
    ...transcript,
    text: words.map((w) => w.word).join(' '),
    words,
    durationSec: Math.max(0, transcript.durationSec - leadSec),
  };
}

/** Consecutive clips joined as the server groups them (voice/pieces.ts): each group at least `minSec` long. */
export const mergeShort = (clips: Pcm16k[], minSec: number): Pcm16k[] =>
  groupPieces(
    clips.map((c) => ({ seconds: c.samples.length / c.sampleRate })),
    { minSec, final: true },
  ).map((group) => ({ samples: concatSamples(group.map((i) => clips[i]!.samples)), sampleRate: 16000 }));

/** What a variant heard, and how long its last call took: the work left when the answer ends. */
interface Heard {
  text: string;
  finishMs: number;
}

async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await call();
  return { value, ms: performance.now() - started };
}

/** Each clip transcribed after `leadSec` of the audio before it, keeping the clip's own words. */
async function inPieces(engine: AsrEngine, clips: Pcm16k[], leadSec: number): Promise<Heard> {
  const texts: string[] = [];
  let finishMs = 0;
  for (const [i, clip] of clips.entries()) {
    const { audio, leadSec: lead } = withLeadIn(clips[i - 1]?.samples, clip, leadSec);
    const { value, ms } = await timed(() => engine.transcribe(audio));
    texts.push(afterLeadIn(value, lead).text.trim());
    finishMs = ms;
  }
  return { text: texts.filter(Boolean).join(' '), finishMs };
}

const VARIANTS: { name: string; hear: (engine: AsrEngine, clips: Pcm16k[]) => Promise<Heard> }[] = [
  { name: 'piece by piece', hear: (e, clips) => inPieces(e, clips, 0) },
  {
    name: 'whole',
    hear: async (e, clips) => {
      const { value, ms } = await timed(() =>
        e.transcribe({ samples: concatSamples(clips.map((c) => c.samples)), sampleRate: 16000 }),
      );
      return { text: value.text, finishMs: ms };
    },
  },
  { name: 'b) lead-in 1 s', hear: (e, clips) => inPieces(e, clips, 1) },
  { name: 'b) lead-in 2 s', hear: (e, clips) => inPieces(e, clips, 2) },
  { name: 'c) merged to >= 3 s', hear: (e, clips) => inPieces(e, mergeShort(clips, 3), 0) },
  { name: 'b+c) merged, lead-in 1 s', hear: (e, clips) => inPieces(e, mergeShort(clips, 3), 1) },
  { name: 'c) merged to >= 6 s', hear: (e, clips) => inPieces(e, mergeShort(clips, 6), 0) },
  {
    name: 'd) final groups >= 10 s of the 3 s groups',
    hear: (e, clips) => inPieces(e, mergeShort(mergeShort(clips, 3), 10), 0),
  },
];

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const only = process.env.VARIANTS?.split(',');
  const variants = VARIANTS.filter((v, i) => !only || i < 2 || only.some((o) => v.name.startsWith(o)));
  const load = loadavg()[0]!;
  const engine = await createAsrEngine({ ...loadConfig(process.env), ASR_PROVIDER: 'whisper' });
  const answers: { text: string; clips: Pcm16k[]; seconds: number }[] = [];
  const count = Number(process.env.ANSWERS ?? E2E_ANSWERS.length * VOICES.length);
  const said = E2E_ANSWERS.flatMap((text) => VOICES.map((voice) => ({ voice, text }))).slice(0, count);
  for (const { voice, text } of said) {
    const clips: Pcm16k[] = [];
    for (const piece of process.env.CUTS === 'sentences' ? splitSentences(text) : pieces(text)) {
      const wav = decodeWav(await readFile(await speak(piece, { voice, pad: 0.15, sampleRate: 16000 })));
      if (wav.sampleRate !== 16000) throw new Error(`espeak-ng clip at ${wav.sampleRate} Hz, not 16 kHz`);
      clips.push({ samples: wav.samples, sampleRate: 16000 });
    }
    answers.push({ text, clips, seconds: clips.reduce((s, c) => s + c.samples.length / 16000, 0) });
  }
  await engine.transcribe(answers[0]!.clips[0]!); // the first call allocates whisper's buffers
  const results = variants.map(() => ({ wer: [] as number[], finishMs: [] as number[], ms: 0, worst: '' }));
  // Variants take turns on each answer, so a change in the machine's load falls on all of them alike.
  for (const { text, clips } of answers)
    for (const [v, variant] of variants.entries()) {
      const { value: heard, ms } = await timed(() => variant.hear(engine, clips));
      const r = results[v]!;
      r.ms += ms;
      r.finishMs.push(heard.finishMs);
      const wer = wordErrorRate(text, heard.text);
      if (process.env.VERBOSE)
        console.error(`${variant.name}: ${(ms / 1000).toFixed(1)} s, WER ${wer.toFixed(2)}: ${heard.text}`);
      if (wer > Math.max(0, ...r.wer)) r.worst = heard.text;
      r.wer.push(wer);
    }
  await engine.close();
  const pieceCount = answers.reduce((n, a) => n + a.clips.length, 0);
  const seconds = answers.map((a) => a.seconds);
  console.log(
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`npx tsx bench/voice/segments.ts\`: ` +
      `${answers.length} answers (of ${E2E_ANSWERS.length} x ${VOICES.length} espeak-ng voices, synthetic), ` +
      `cut at ${process.env.CUTS === 'sentences' ? 'sentence ends' : 'commas, sentence ends and "and"'}, ` +
      `${pieceCount} pieces (${(pieceCount / answers.length).toFixed(1)} per answer), answers ` +
      `${percentile(seconds, 50).toFixed(1)} s p50 (${Math.min(...seconds).toFixed(1)}-${Math.max(...seconds).toFixed(1)}), ` +
      `${engine.name}, load average ${load.toFixed(1)} -> ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log(
    '| variant | WER mean | WER max | whisper s per answer | last call (left at the end) p50 / p95 | worst |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const [v, variant] of variants.entries()) {
    const r = results[v]!;
    console.log(
      `| ${variant.name} | ${mean(r.wer).toFixed(3)} | ${Math.max(...r.wer).toFixed(3)} | ` +
        `${(r.ms / answers.length / 1000).toFixed(2)} | ` +
        `${(percentile(r.finishMs, 50) / 1000).toFixed(2)} s / ${(percentile(r.finishMs, 95) / 1000).toFixed(2)} s | "${r.worst}" |`,
    );
  }
  // a) the whole recording again at the end, when it fits the time: whisper's cost per second of audio here.
  const whole = results[variants.findIndex((v) => v.name === 'whole')]!;
  const perSec = whole.finishMs.map((ms, i) => ms / 1000 / seconds[i]!);
  console.log(
    `a) whole again at the end: whisper took ${percentile(perSec, 50).toFixed(3)} s per second of audio p50, ` +
      `${percentile(perSec, 95).toFixed(3)} p95 (2 cores); a 0.5 s budget fits ${(0.5 / percentile(perSec, 95)).toFixed(1)} s of answer at p95`,
  );
}
