// What a browser records, turned into what a recogniser takes. An upload is sniffed by its first bytes
// (never by its name or declared type) and decoded to 16 kHz mono float32: a WAV (what the browser's own
// capture sends) in process, any other container by ffprobe and ffmpeg, an optional system package. It is
// refused with a typed reason when it cannot carry an answer: nothing, not audio, broken, a codec this
// server cannot decode, over the limits, or only silence (judged on the decoded samples).
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pcm16k } from './types.js';
import { SPEECH_SAMPLE_RATE } from '../core/audio/resample.js';
import { decodeWav, resample, UnsupportedWav, type DecodedWav } from './wav.js';

export const SAMPLE_RATE = SPEECH_SAMPLE_RATE;

/** Why a recording was refused. The API maps each to a status; the message is for the user. */
export type AudioRejection = 'empty' | 'not_audio' | 'corrupt' | 'unsupported_codec' | 'too_long' | 'silence';

export class AudioRejected extends Error {
  override readonly name = 'AudioRejected';
  constructor(
    readonly reason: AudioRejection,
    message: string,
  ) {
    super(message);
  }
}

export interface AudioLimits {
  maxBytes: number;
  maxSeconds: number;
}

/** Containers a browser's MediaRecorder (or a user's file) may hand us. */
export type AudioContainer = 'wav' | 'ogg' | 'webm' | 'mp4' | 'mp3';

const ascii = (b: Uint8Array, from: number, to: number) =>
  Buffer.from(b.subarray(from, to)).toString('latin1');

/** ISO media brands that are still images, not recordings. */
const IMAGE_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis']);

/** The container of an upload from its first bytes, or undefined when it is none of the audio ones. */
export function sniffContainer(bytes: Uint8Array): AudioContainer | undefined {
  if (bytes.length < 4) return undefined;
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WAVE') return 'wav';
  if (ascii(bytes, 0, 4) === 'OggS') return 'ogg';
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'webm';
  if (ascii(bytes, 4, 8) === 'ftyp') return IMAGE_BRANDS.has(ascii(bytes, 8, 12)) ? undefined : 'mp4';
  if (ascii(bytes, 0, 3) === 'ID3') return 'mp3';
  // An MPEG audio frame: 11 sync bits, then a layer that is not the reserved 00 (that is AAC's ADTS).
  if (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0 && (bytes[1]! & 0x06) !== 0) return 'mp3';
  return undefined;
}

/** What a non-audio upload looks like, so the refusal can say it ("it looks like a PDF document"). */
function lookalike(bytes: Uint8Array): string | undefined {
  const head = ascii(bytes, 0, 8);
  if (head.startsWith('%PDF')) return 'a PDF document';
  if (head.startsWith('\x89PNG')) return 'a PNG image';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'a JPEG image';
  if (head.startsWith('GIF8')) return 'a GIF image';
  if (head.startsWith('PK\x03\x04')) return 'a ZIP archive or an Office document';
  if (ascii(bytes, 4, 8) === 'ftyp') return 'an image';
  if (/^\s*[[{<]/.test(head)) return 'a text file';
  return undefined;
}

export interface AudioProbe {
  /** ffprobe's format name, e.g. "matroska,webm". */
  format: string;
  /** From the container; null when it does not say (a MediaRecorder WebM has no duration). */
  durationSec: number | null;
  /** The first audio stream's codec, null when the container has audio of a codec ffmpeg does not know. */
  codec: string | null;
  hasAudio: boolean;
}

/** Runs a command with a time limit; resolves with stdout, stderr (capped) and the exit code. */
function runTool(
  cmd: string,
  args: string[],
  { timeoutMs, onStdout }: { timeoutMs: number; onStdout?: (chunk: Buffer, stop: () => void) => void },
): Promise<{ code: number | null; stdout: Buffer; stderr: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    const stop = () => child.kill('SIGKILL');
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (onStdout ? onStdout(chunk, stop) : out.push(chunk)));
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 16_000) stderr += chunk.toString('utf8');
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === 'ENOENT' ? new MissingTool(cmd) : err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr: stderr.trim(), timedOut });
    });
  });
}

/** ffmpeg or ffprobe is not on this machine (an optional system package). */
export class MissingTool extends Error {
  constructor(readonly tool: string) {
    super(`${tool} is not installed (Debian package ffmpeg)`);
  }
}

/** ffprobe's view of a file; rejects as `corrupt` when it cannot parse the container at all. */
export async function probeAudio(path: string, timeoutMs = 15_000): Promise<AudioProbe> {
  // ffprobe's stderr names byte offsets of container elements: for logs, not for the user.
  const { code, stdout, timedOut } = await runTool(
    'ffprobe',
    [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_type,codec_name:format=format_name,duration',
      '-of',
      'json',
      path,
    ],
    { timeoutMs },
  );
  if (timedOut)
    throw new AudioRejected('corrupt', 'The recording could not be read in time; it may be damaged.');
  if (code !== 0)
    throw new AudioRejected(
      'corrupt',
      'The recording could not be read: the file is damaged or incomplete. Please record your answer again.',
    );
  const info = JSON.parse(stdout.toString('utf8')) as {
    streams?: { codec_type?: string; codec_name?: string }[];
    format?: { format_name?: string; duration?: string };
  };
  const audio = info.streams?.find((s) => s.codec_type === 'audio');
  const duration = Number(info.format?.duration);
  return {
    format: info.format?.format_name ?? 'unknown',
    durationSec: Number.isFinite(duration) ? duration : null,
    codec: audio?.codec_name ?? null,
    hasAudio: audio !== undefined,
  };
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;

function clock(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

const tooLong = (seconds: number | null, limits: AudioLimits) =>
  new AudioRejected(
    'too_long',
    `The recording is ${seconds === null ? 'longer than the limit' : clock(seconds) + ' long'}; answers can be at most ${clock(limits.maxSeconds)}. Please give a shorter answer.`,
  );

export interface DecodedAudio {
  pcm: Pcm16k;
  durationSec: number;
  container: AudioContainer;
  codec: string;
}

export interface DecodeOptions {
  /** Kill ffmpeg after this long (a hostile file must not hold a worker). */
  timeoutMs?: number;
}

const UNLIMITED: AudioLimits = { maxBytes: Infinity, maxSeconds: Infinity };

/**
 * Decodes a recording to 16 kHz mono float32 after checking it is one. Rejects with AudioRejected for
 * anything a user could fix by recording again; other errors (ffmpeg missing) are the server's.
 */
export async function decodeAudio(
  bytes: Buffer,
  limits: AudioLimits = UNLIMITED,
  { timeoutMs = 60_000 }: DecodeOptions = {},
): Promise<DecodedAudio> {
  if (bytes.length === 0)
    throw new AudioRejected(
      'empty',
      'The recording is empty: no audio arrived. Please record your answer again.',
    );
  if (bytes.length > limits.maxBytes)
    throw new AudioRejected(
      'too_long',
      `The recording is ${mb(bytes.length)}; the limit is ${mb(limits.maxBytes)}. Please give a shorter answer.`,
    );
  const container = sniffContainer(bytes);
  if (!container) {
    const like = lookalike(bytes);
    throw new AudioRejected(
      'not_audio',
      `This file is not an audio recording${like ? ` (it looks like ${like})` : ''}. Send a WebM, Ogg, MP4/M4A, WAV or MP3 recording.`,
    );
  }
  // PCM or float WAV, what the browser's own capture sends, is read here: no decoder, no ffmpeg.
  if (container === 'wav') {
    const read = readWav(bytes, limits);
    if (read) return read;
  }
  try {
    return await decodeWithFfmpeg(bytes, container, limits, timeoutMs);
  } catch (err) {
    // Not the candidate's fault, and nothing they can fix by recording again in the same format: say so.
    if (err instanceof MissingTool)
      throw new AudioRejected(
        'unsupported_codec',
        `This server cannot decode ${container.toUpperCase()} recordings (${err.tool} is not installed). Record in the browser, or send a WAV file.`,
      );
    throw err;
  }
}

async function decodeWithFfmpeg(
  bytes: Buffer,
  container: AudioContainer,
  limits: AudioLimits,
  timeoutMs: number,
): Promise<DecodedAudio> {
  // ffmpeg reads MP4 from a file, not a pipe: its index may sit at the end.
  const dir = await mkdtemp(join(tmpdir(), 'ih-audio-'));
  try {
    const path = join(dir, `recording.${container}`);
    await writeFile(path, bytes);
    const probe = await probeAudio(path);
    if (!probe.hasAudio)
      throw new AudioRejected(
        'unsupported_codec',
        'The file has no audio track (it may be a video without sound). Please record your answer again.',
      );
    if (!probe.codec)
      throw new AudioRejected(
        'unsupported_codec',
        'The recording uses an audio codec that cannot be decoded here. Record in the browser, or send Opus, AAC, MP3, Vorbis or PCM audio.',
      );
    if (probe.durationSec !== null && probe.durationSec > limits.maxSeconds + 0.5)
      throw tooLong(probe.durationSec, limits);

    // A container without a duration (a streamed WebM) is held to the limit while it decodes.
    const maxSamples = Number.isFinite(limits.maxSeconds)
      ? Math.ceil((limits.maxSeconds + 0.5) * SAMPLE_RATE)
      : Infinity;
    const chunks: Buffer[] = [];
    let received = 0;
    let overLimit = false;
    // prettier-ignore
    const args = ['-nostdin', '-v', 'error', '-i', path, '-map', '0:a:0', '-vn', '-ac', '1', '-ar', String(SAMPLE_RATE), '-f', 'f32le', 'pipe:1'];
    const result = await runTool('ffmpeg', args, {
      timeoutMs,
      onStdout: (chunk, stop) => {
        received += chunk.length;
        if (received / 4 > maxSamples) {
          overLimit = true;
          stop();
        } else chunks.push(chunk);
      },
    });
    if (overLimit) throw tooLong(null, limits);
    if (result.timedOut)
      throw new AudioRejected(
        'corrupt',
        'The recording took too long to decode; it may be damaged. Please record again.',
      );
    if (/decoder .* not found|unsupported codec|codec not currently supported/i.test(result.stderr))
      throw new AudioRejected(
        'unsupported_codec',
        `The recording's audio codec (${probe.codec}) cannot be decoded here. Send Opus, AAC, MP3, Vorbis or PCM audio.`,
      );
    const pcmBytes = Buffer.concat(chunks);
    // f32le straight into a Float32Array (every platform Node runs on here is little-endian)
    const samples = new Float32Array(pcmBytes.length >> 2);
    new Uint8Array(samples.buffer).set(pcmBytes.subarray(0, samples.length * 4));
    const durationSec = samples.length / SAMPLE_RATE;
    // A damaged or cut-off file: ffmpeg failed, or it complained and gave back clearly less than the
    // container promised (a truncated upload decodes its first half without failing).
    const short = probe.durationSec === null || durationSec < probe.durationSec * 0.9 - 0.25;
    if (
      result.code !== 0 ||
      (result.stderr && short && samples.length > 0) ||
      (result.stderr && samples.length === 0)
    )
      throw new AudioRejected(
        'corrupt',
        'The recording is damaged or cut off, so it cannot be transcribed reliably. Please record your answer again.',
      );
    if (samples.length === 0)
      throw new AudioRejected('empty', 'The recording contains no sound. Please record your answer again.');
    return { pcm: { samples, sampleRate: SAMPLE_RATE }, durationSec, container, codec: probe.codec };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A WAV of 16-bit PCM or 32-bit float samples, decoded in process and resampled to 16 kHz; null for another
 * encoding (ffmpeg may know it).
 */
function readWav(bytes: Buffer, limits: AudioLimits): DecodedAudio | null {
  let wav: DecodedWav;
  try {
    wav = decodeWav(bytes);
  } catch (err) {
    if (err instanceof UnsupportedWav) return null;
    throw new AudioRejected(
      'corrupt',
      'The recording is damaged or cut off, so it cannot be transcribed reliably. Please record your answer again.',
    );
  }
  if (wav.sampleRate < 4_000 || wav.sampleRate > 384_000)
    throw new AudioRejected(
      'corrupt',
      `The recording claims a sample rate of ${wav.sampleRate} Hz, so it is damaged. Please record your answer again.`,
    );
  const durationSec = wav.samples.length / wav.sampleRate;
  if (durationSec > limits.maxSeconds + 0.5) throw tooLong(durationSec, limits);
  if (wav.samples.length === 0)
    throw new AudioRejected('empty', 'The recording contains no sound. Please record your answer again.');
  const samples = resample(wav.samples, wav.sampleRate, SAMPLE_RATE);
  return {
    pcm: { samples, sampleRate: SAMPLE_RATE },
    durationSec: samples.length / SAMPLE_RATE,
    container: 'wav',
    codec: wav.float ? 'pcm_f32le' : 'pcm_s16le',
  };
}

export interface VoiceActivity {
  /** Seconds of 30 ms windows loud enough to be speech. */
  voicedSec: number;
  /** Largest absolute sample. */
  peak: number;
  /** Level of the loudest window, in dBFS. */
  loudestDb: number;
}

const WINDOW = Math.round(0.03 * SAMPLE_RATE);
/**
 * A 30 ms window counts as voiced above -45 dBFS RMS: quiet speech into a laptop microphone sits around
 * -35 to -25, a quiet room's noise floor below -55, and digital silence at minus infinity.
 */
const VOICED_RMS = 10 ** (-45 / 20);
/** Less than this much voiced time is a cough or a click, not an answer. */
const MIN_VOICED_SEC = 0.3;

/** A short-window energy VAD over decoded samples: how much of the recording has sound in it. */
export function voiceActivity(pcm: Pcm16k): VoiceActivity {
  const levels = windowLevels(pcm.samples);
  const loudest = levels.reduce((a, b) => Math.max(a, b), 0);
  const voiced = levels.filter((rms) => rms >= VOICED_RMS).length;
  let peak = 0;
  for (const s of pcm.samples) if (Math.abs(s) > peak) peak = Math.abs(s);
  return {
    voicedSec: Math.min(voiced * WINDOW, pcm.samples.length) / SAMPLE_RATE,
    peak,
    loudestDb: loudest > 0 ? 20 * Math.log10(loudest) : -Infinity,
  };
}

/** RMS of each 30 ms window (the last one may be shorter). */
function windowLevels(samples: Float32Array): number[] {
  const levels: number[] = [];
  for (let at = 0; at < samples.length; at += WINDOW) {
    const end = Math.min(samples.length, at + WINDOW);
    let sum = 0;
    for (let i = at; i < end; i++) sum += samples[i]! * samples[i]!;
    levels.push(Math.sqrt(sum / (end - at)));
  }
  return levels;
}

export interface SpeechRegion {
  /** Seconds from the start of the audio. */
  start: number;
  end: number;
}

/**
 * Stretches of sound separated by silences of at least `minGapSec`, from the same 30 ms windows. The
 * threshold rises with the recording's noise floor (its quietest tenth plus 10 dB), so room noise is not
 * taken for speech; runs shorter than 0.1 s (clicks) are dropped.
 */
export function speechRegions(pcm: Pcm16k, minGapSec = 1): SpeechRegion[] {
  const { samples } = pcm;
  const levels = windowLevels(samples);
  if (levels.length === 0) return [];
  const floor = [...levels].sort((a, b) => a - b)[Math.floor(levels.length / 10)]!;
  const threshold = Math.max(VOICED_RMS, floor * 10 ** (10 / 20));
  const windowSec = WINDOW / SAMPLE_RATE;
  const regions: SpeechRegion[] = [];
  for (let i = 0; i < levels.length; i++) {
    if (levels[i]! < threshold) continue;
    const start = i * windowSec;
    const end = Math.min((i + 1) * windowSec, samples.length / SAMPLE_RATE);
    const last = regions.at(-1);
    if (last && start - last.end < minGapSec) last.end = end;
    else regions.push({ start, end });
  }
  return regions.filter((r) => r.end - r.start >= 0.1);
}

/**
 * Everything the API checks before it stores an answer: decodable audio within the limits that has
 * speech-level sound in it. Resolves to the decoded audio.
 */
export async function checkRecording(
  bytes: Buffer,
  limits: AudioLimits,
  options?: DecodeOptions,
): Promise<DecodedAudio> {
  const decoded = await decodeAudio(bytes, limits, options);
  if (voiceActivity(decoded.pcm).voicedSec < MIN_VOICED_SEC)
    throw new AudioRejected(
      'silence',
      'No speech was heard in the recording, only silence. Check that the right microphone is selected and unmuted, then answer again.',
    );
  return decoded;
}

/** What the recogniser is fed: the recording decoded (the API checked it when it arrived). */
export async function decodeRecording(bytes: Buffer): Promise<Pcm16k> {
  return (await decodeAudio(bytes)).pcm;
}
