// Spoken clips for every voice test, generated here and now: espeak-ng says the text, ffmpeg packs it as
// a browser would record it (WebM/Opus from Chrome, Ogg/Opus from Firefox, MP4/AAC from Safari) or as a
// file a user might pick (WAV, MP3). Clips are cached by their inputs under the OS temp dir, so a rerun
// costs nothing. Also: the odd inputs the bad-input tests need, and word error rate.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWav, encodeWav } from '../../voice/wav.js';
import { requireCommands } from './processes.js';

export type ClipFormat = 'wav' | 'webm' | 'ogg' | 'mp4' | 'mp3';

/** Two clearly different espeak-ng voices: American male and British (Received Pronunciation). */
export const VOICES = ['en-us', 'en-gb-x-rp'] as const;
export type Voice = (typeof VOICES)[number] | (string & {});

export interface SpeakOptions {
  /** An espeak-ng voice; default en-us. */
  voice?: Voice;
  /** Words per minute, espeak-ng's -s; default 160 (a calm interview pace). */
  speed?: number;
  /** Default wav. */
  format?: ClipFormat;
  /** Resample to this rate (espeak-ng speaks at 22050 Hz; Opus always ends up at 48 kHz). */
  sampleRate?: number;
  /** Seconds of silence before and after the speech, as a real recording has; default 0.3. */
  pad?: number;
}

const CACHE = join(tmpdir(), 'ih-speech-clips');

/** Runs a tool; rejects with its stderr when it fails. */
function run(cmd: string, args: string[]): Promise<void> {
  requireCommands(cmd);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}): ${stderr.slice(-600)}`)),
    );
  });
}

/** The ffmpeg encoder arguments that pack audio as each format is recorded in the wild. */
const ENCODE: Record<ClipFormat, string[]> = {
  wav: ['-c:a', 'pcm_s16le', '-f', 'wav'],
  webm: ['-c:a', 'libopus', '-b:a', '32k', '-ar', '48000', '-f', 'webm'],
  ogg: ['-c:a', 'libopus', '-b:a', '32k', '-ar', '48000', '-f', 'ogg'],
  mp4: ['-c:a', 'aac', '-b:a', '64k', '-f', 'mp4'],
  mp3: ['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3'],
};

/** Makes `file` once (under the cache, by key), writing to a temp name first so racing runs never see half a file. */
async function cached(key: unknown, ext: string, make: (out: string) => Promise<void>): Promise<string> {
  await mkdir(CACHE, { recursive: true });
  const id = createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 20);
  const path = join(CACHE, `${id}.${ext}`);
  if (existsSync(path)) return path;
  const tmp = join(CACHE, `${id}.${process.pid}.${Date.now()}.tmp.${ext}`);
  await make(tmp);
  await rename(tmp, path);
  return path;
}

/**
 * WAV clips joined end to end with `before`/`after` seconds of silence around them, in process (no sox:
 * the suite starts only programs `.ci/run` installs). The clips share espeak-ng's sample rate.
 */
async function joinWavs(inputs: (string | { silence: number })[], out: string, before = 0, after = 0) {
  const clips = await Promise.all(
    inputs.map(async (input) => (typeof input === 'string' ? decodeWav(await readFile(input)) : input)),
  );
  const rate = clips.map((c) => ('sampleRate' in c ? c.sampleRate : undefined)).find(Boolean) ?? 22050;
  const parts = [
    new Float32Array(Math.round(before * rate)),
    ...clips.map((c) => {
      if (!('sampleRate' in c)) return new Float32Array(Math.round(c.silence * rate));
      if (c.sampleRate !== rate) throw new Error(`cannot join WAVs at ${c.sampleRate} and ${rate} Hz`);
      return c.samples;
    }),
    new Float32Array(Math.round(after * rate)),
  ];
  const joined = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.length;
  }
  await writeFile(out, encodeWav(joined, rate));
}

/** A WAV clip with silence before and after it. */
export function padWav(input: string, before: number, after: number): Promise<string> {
  return cached({ pad: input, before, after, v: 2 }, 'wav', (out) => joinWavs([input], out, before, after));
}

/** Packs any audio file as `format` (optionally resampled). */
export function convert(input: string, format: ClipFormat, sampleRate?: number): Promise<string> {
  return cached(
    { input, format, sampleRate, v: 1 },
    format,
    (out) =>
    run('ffmpeg', [
      '-nostdin', '-v', 'error', '-y', '-i', input, '-ac', '1',
      ...(sampleRate ? ['-ar', String(sampleRate)] : []),
      ...ENCODE[format], out,
    ]), // prettier-ignore
  );
}

/** `text` spoken by espeak-ng, packed as `format`: the path of the clip. */
export async function speak(text: string, options: SpeakOptions = {}): Promise<string> {
  const { voice = 'en-us', speed = 160, format = 'wav', sampleRate, pad = 0.3 } = options;
  const raw = await cached({ text, voice, speed, v: 1 }, 'wav', (out) =>
    run('espeak-ng', ['-v', voice, '-s', String(speed), '-w', out, text]),
  );
  const padded = pad > 0 ? await padWav(raw, pad, pad) : raw;
  return convert(padded, format, sampleRate);
}

/** An answer spoken into the browser tests' fake microphone. */
export const SPOKEN_ANSWER =
  'I led the migration of our billing service to Kubernetes. I planned the rollout in three stages, ' +
  'and the latency fell by forty percent.';

/**
 * A transcript of SPOKEN_ANSWER from its beginning to its end: the whole answer was heard. Single words
 * may be misheard (a streamed answer is transcribed in pieces, and whisper base guesses at a short piece:
 * "Malayton's FL by 4%", "I land for my ratio"; bench/voice/segments.ts measures it), so any word of each
 * end will do.
 */
export const HEARD_WHOLE_ANSWER = /(billing|Kubernetes|migration).*(latency|forty|percent|%)/is;

/**
 * The fake microphone's input: 1 s of silence, SPOKEN_ANSWER, 4 s of silence, at a microphone's 48 kHz.
 * Chromium restarts the file for every getUserMedia call and loops it, so each recording hears the whole
 * answer and then a silence longer than the recorder's setting.
 */
export async function fakeMicAnswer(): Promise<string> {
  const spoken = await speak(SPOKEN_ANSWER, { speed: 150, pad: 0 });
  return convert(await padWav(spoken, 1, 4), 'wav', 48000);
}

/**
 * Sentences with silences between them (`{ pause: seconds }`), one clip: for long-pause detection and
 * for the VAD that ends a turn after a silence.
 */
export async function speakParts(
  parts: (string | { pause: number })[],
  options: SpeakOptions = {},
): Promise<string> {
  const { voice = 'en-us', speed = 160, format = 'wav', sampleRate, pad = 0.3 } = options;
  const pieces: (string | { silence: number })[] = [];
  for (const part of parts) {
    pieces.push(
      typeof part === 'string' ? await speak(part, { voice, speed, pad: 0 }) : { silence: part.pause },
    );
  }
  const joined = await cached({ pieces, pad, v: 2 }, 'wav', (out) => joinWavs(pieces, out, pad, pad));
  return convert(joined, format, sampleRate);
}

/** Digital silence (or, with `noiseDb`, a quiet room's hiss at that level in dBFS). */
export function silence(
  seconds: number,
  { format = 'wav', noiseDb }: { format?: ClipFormat; noiseDb?: number } = {},
) {
  const source =
    noiseDb === undefined
      ? 'anullsrc=r=48000:cl=mono'
      : `anoisesrc=r=48000:c=white:a=${10 ** (noiseDb / 20)}`;
  return cached({ silence: seconds, format, noiseDb, v: 1 }, format, (out) =>
    run('ffmpeg', [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      source,
      '-t',
      String(seconds),
      '-ac',
      '1',
      ...ENCODE[format],
      out,
    ]),
  );
}

/**
 * A long clip: `text` spoken once, then looped until `seconds`. With `streamed`, the WebM is written to a
 * pipe the way MediaRecorder writes it, so its header carries no duration.
 */
export function longClip(
  text: string,
  seconds: number,
  { format = 'webm', streamed = false }: { format?: ClipFormat; streamed?: boolean } = {},
) {
  return cached({ long: text, seconds, format, streamed, v: 2 }, format, async (out) => {
    const once = await speak(text, { format: 'wav' });
    const args = [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-stream_loop',
      '-1',
      '-i',
      once,
      '-t',
      String(seconds),
      '-ac',
      '1',
      ...ENCODE[format],
    ];
    if (!streamed) return run('ffmpeg', [...args, out]);
    // What MediaRecorder writes: a live WebM, no duration and no index (ffmpeg would put -t's in the header).
    return run('ffmpeg', [...args, '-live', '1', out]);
  });
}

/** A video-only WebM (VP8, no audio track), e.g. a screen recording picked by mistake. */
export function videoOnly(seconds = 2): Promise<string> {
  return cached({ video: seconds, v: 1 }, 'webm', (out) =>
    run('ffmpeg', [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc=size=160x120:rate=10`,
      '-t',
      String(seconds),
      '-c:v',
      'libvpx',
      '-f',
      'webm',
      out,
    ]),
  );
}

// --- word error rate ---

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen']; // prettier-ignore
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

function numberWords(n: number): string[] {
  if (n < 20) return [ONES[n]!];
  if (n < 100) return [TENS[Math.floor(n / 10)]!, ...(n % 10 ? [ONES[n % 10]!] : [])];
  if (n < 1000) return [ONES[Math.floor(n / 100)]!, 'hundred', ...(n % 100 ? numberWords(n % 100) : [])];
  if (n < 1_000_000)
    return [...numberWords(Math.floor(n / 1000)), 'thousand', ...(n % 1000 ? numberWords(n % 1000) : [])];
  return [String(n)];
}

/** Titles a recogniser abbreviates ("Mr.") where a spoken reference spells them out ("mister"). */
const TITLES: Record<string, string> = { mr: 'mister', mrs: 'missus', dr: 'doctor' };

/**
 * Words compared for WER: lower case, no punctuation, hyphens and "%" spelt out as spoken, digits as
 * words (a recogniser may write "5" where the text said "five"), "and" inside numbers kept as is, titles
 * spelt out.
 */
export function normalizeWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/(\d),(\d{3})/g, '$1$2')
    .replace(/%/g, ' percent')
    .replace(/[-–—/]/g, ' ')
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter(Boolean)
    .flatMap((w) => (/^\d+$/.test(w) ? numberWords(Number(w)) : [TITLES[w] ?? w]));
}

/** (substitutions + deletions + insertions) / reference words, by word-level edit distance. */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const ref = normalizeWords(reference);
  const hyp = normalizeWords(hypothesis);
  if (ref.length === 0) return hyp.length === 0 ? 0 : 1;
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const row = [i];
    for (let j = 1; j <= hyp.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[hyp.length]! / ref.length;
}

/**
 * Interview answers of everyday length and vocabulary, for WER tests and the ASR bench (which needs at
 * least 30 different clips: these 16 in two voices at two speeds).
 */
export const ANSWERS = [
  'In my last role I led a team of five engineers to migrate our billing system to a new platform.',
  'We finished the migration two weeks early and cut our hosting costs by a third.',
  'The hardest part was convincing the product manager that the old reports were wrong.',
  'I set up a weekly meeting with the support team so that we heard about problems first.',
  'When a release broke the checkout page, I rolled it back and wrote a test for the bug.',
  'My manager asked me to mentor two new hires during their first three months.',
  'I prefer to write a short design document before I start on any large change.',
  'The customer was unhappy because the export took more than an hour to finish.',
  'I measured the slow queries, added two indexes, and the page loaded in under a second.',
  'Our team missed a deadline once, and I learned to raise risks much earlier.',
  'I disagreed with my lead about the database, so we ran a small experiment to decide.',
  'The result was a cleaner service that the other teams could use without our help.',
  'I volunteered to own the on call rotation and reduced the number of night pages.',
  'After the outage we wrote a review that focused on the process rather than on people.',
  'I keep a list of what I learn each week and share the best parts with the team.',
  'My goal for the next year is to lead a larger project from the first idea to launch.',
] as const;
