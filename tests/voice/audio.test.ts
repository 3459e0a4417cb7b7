// Recordings in, 16 kHz samples out, or a clear refusal: real clips from espeak-ng packed by ffmpeg the
// way browsers record, and every kind of bad upload the API must refuse before storing anything.
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import {
  AudioRejected,
  checkRecording,
  decodeAudio,
  decodeRecording,
  sniffContainer,
  speechRegions,
  voiceActivity,
  type AudioLimits,
  type AudioRejection,
  type SpeechRegion,
} from '../../voice/audio.js';
import { longClip, silence, speak, speakParts, videoOnly, type ClipFormat } from '../support/speech.js';

const LIMITS: AudioLimits = { maxBytes: 25 * 1024 * 1024, maxSeconds: 300 };
const SENTENCE = 'I led the migration of our billing system and we finished two weeks early.';

/** The refusal checkRecording gives, or a failure when it accepts the bytes. */
async function refusal(bytes: Buffer, limits = LIMITS): Promise<AudioRejected> {
  try {
    await checkRecording(bytes, limits);
  } catch (err) {
    if (err instanceof AudioRejected) return err;
    throw err;
  }
  throw new Error('the recording was accepted');
}

async function expectRefused(bytes: Buffer, reason: AudioRejection, message: RegExp, limits = LIMITS) {
  const err = await refusal(bytes, limits);
  expect({ reason: err.reason, message: err.message }).toMatchObject({
    reason,
    message: expect.stringMatching(message),
  });
  return err;
}

describe('decoding what browsers record', () => {
  const formats: [ClipFormat, string][] = [
    ['webm', 'opus'], // Chrome, Edge
    ['ogg', 'opus'], // Firefox
    ['mp4', 'aac'], // Safari
    ['wav', 'pcm_s16le'],
    ['mp3', 'mp3'],
  ];

  it.each(formats)('a %s recording decodes to 16 kHz mono of the spoken length', async (format, codec) => {
    const wav = await decodeAudio(await readFile(await speak(SENTENCE, { format: 'wav' })));
    const clip = await readFile(await speak(SENTENCE, { format }));
    expect(sniffContainer(clip)).toBe(format);
    const decoded = await checkRecording(clip, LIMITS);
    expect(decoded.container).toBe(format);
    expect(decoded.codec).toBe(codec);
    expect(decoded.pcm.sampleRate).toBe(16000);
    // Lossy codecs add a few ms of priming; the length the user spoke is kept.
    expect(Math.abs(decoded.durationSec - wav.durationSec)).toBeLessThan(0.12);
    const activity = voiceActivity(decoded.pcm);
    expect(activity.voicedSec).toBeGreaterThan(2);
    expect(activity.loudestDb).toBeGreaterThan(-30);
  });

  it('decodeRecording gives the worker the same samples without limits', async () => {
    const clip = await readFile(await speak(SENTENCE, { format: 'webm' }));
    const pcm = await decodeRecording(clip);
    expect(pcm.sampleRate).toBe(16000);
    expect(pcm.samples.length).toBe((await decodeAudio(clip)).pcm.samples.length);
  });
});

describe('finding the speech in a recording', () => {
  it('splits at a silence of a second or more, not at the gaps between words', async () => {
    const clip = await speakParts([SENTENCE, { pause: 2.5 }, 'Then we moved on to the next project.'], {
      format: 'webm',
    });
    const { pcm, durationSec } = await decodeAudio(await readFile(clip));
    const regions = speechRegions(pcm, 1);
    expect(regions).toHaveLength(2);
    const [first, second] = regions as [SpeechRegion, SpeechRegion];
    expect(first.start).toBeCloseTo(0.3, 1); // the clip's 0.3 s lead-in
    expect(second.start - first.end).toBeGreaterThan(2.4);
    expect(second.start - first.end).toBeLessThan(3.2);
    expect(second.end).toBeGreaterThan(durationSec - 1); // espeak-ng's own tail of silence, then 0.3 s
    // a quiet room's hiss is not speech
    const hiss = await decodeAudio(await readFile(await silence(3, { format: 'wav', noiseDb: -50 })));
    expect(speechRegions(hiss.pcm)).toEqual([]);
  });
});

describe('refusing what cannot carry an answer', () => {
  it('an empty upload', async () => {
    await expectRefused(Buffer.alloc(0), 'empty', /empty/);
  });

  it('silence only, digital or a quiet room', async () => {
    await expectRefused(
      await readFile(await silence(4, { format: 'webm' })),
      'silence',
      /No speech was heard/,
    );
    await expectRefused(
      await readFile(await silence(4, { format: 'wav', noiseDb: -65 })),
      'silence',
      /microphone/,
    );
  });

  it('ten minutes of audio, refused from the header before decoding', async () => {
    const clip = await readFile(await longClip(SENTENCE, 600, { format: 'webm' }));
    const started = performance.now();
    await expectRefused(clip, 'too_long', /10 min 00 s long; answers can be at most 5 min 00 s/);
    expect(performance.now() - started).toBeLessThan(5000);
  }, 240_000); // the first run encodes ten minutes of Opus

  it('ten minutes streamed like MediaRecorder (no duration in the header), stopped at the limit', async () => {
    const path = await longClip(SENTENCE, 600, { format: 'webm', streamed: true });
    const probe = spawnSync('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'format=duration',
      '-of',
      'csv=p=0',
      path,
    ]);
    const clip = await readFile(path);
    expect(probe.stdout.toString().trim()).toBe('N/A');
    await expectRefused(clip, 'too_long', /at most 5 min 00 s/);
  }, 240_000); // the first run encodes ten minutes of Opus

  it('a file over the byte limit, before it is even sniffed', async () => {
    const clip = await readFile(await speak(SENTENCE, { format: 'wav' }));
    await expectRefused(clip, 'too_long', /the limit is 0\.1 MB/, { maxBytes: 100 * 1024, maxSeconds: 300 });
  });

  it('a truncated WebM (half an upload)', async () => {
    const clip = await readFile(await speak(`${SENTENCE} ${SENTENCE}`, { format: 'webm' }));
    await expectRefused(clip.subarray(0, Math.floor(clip.length / 2)), 'corrupt', /damaged or cut off/);
  });

  it('a garbled WebM (header kept, the rest noise)', async () => {
    const clip = await readFile(await speak(SENTENCE, { format: 'webm' }));
    const garbled = Buffer.concat([
      clip.subarray(0, 200),
      Buffer.from(clip.subarray(200).map((_, i) => (i * 7919) % 251)),
    ]);
    expect(sniffContainer(garbled)).toBe('webm');
    await expectRefused(garbled, 'corrupt', /damaged/);
  });

  it('a PDF or a PNG renamed .webm', async () => {
    const pdf = await readFile(join(import.meta.dirname, '../fixtures/documents/encrypted.pdf'));
    await expectRefused(pdf, 'not_audio', /not an audio recording \(it looks like a PDF document\)/);
    const png = spawnSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'color=red:s=8x8',
      '-frames:v',
      '1',
      '-f',
      'image2pipe',
      '-c:v',
      'png',
      'pipe:1',
    ]).stdout;
    await expectRefused(png, 'not_audio', /it looks like a PNG image/);
  });

  it('a video without an audio track', async () => {
    await expectRefused(await readFile(await videoOnly()), 'unsupported_codec', /no audio track/);
  });

  it('a WAV in an audio codec this ffmpeg cannot decode (format tag 0x3344)', async () => {
    const wav = Buffer.from(await readFile(await speak(SENTENCE, { format: 'wav' })));
    wav.writeUInt16LE(0x3344, wav.indexOf('fmt ') + 8);
    await expectRefused(wav, 'unsupported_codec', /codec that cannot be decoded here/);
  });
});

describe('limits from the environment', () => {
  it('default to 5 minutes and 25 MB, and follow AUDIO_MAX_SECONDS / AUDIO_MAX_BYTES', async () => {
    const defaults = loadConfig({});
    expect([defaults.AUDIO_MAX_SECONDS, defaults.AUDIO_MAX_BYTES]).toEqual([300, 25 * 1024 * 1024]);
    const set = loadConfig({ AUDIO_MAX_SECONDS: '3', AUDIO_MAX_BYTES: '1000000' });
    const clip = await readFile(await speak(SENTENCE, { format: 'webm' }));
    await expectRefused(clip, 'too_long', /at most 3 s/, {
      maxSeconds: set.AUDIO_MAX_SECONDS,
      maxBytes: set.AUDIO_MAX_BYTES,
    });
    expect(() => loadConfig({ AUDIO_MAX_SECONDS: 'soon' })).toThrow(/AUDIO_MAX_SECONDS/);
  });
});

describe('without ffmpeg (a machine where the optional package is missing)', () => {
  /** Runs `work` with a PATH that holds no ffmpeg or ffprobe. */
  async function withoutFfmpeg<T>(work: () => Promise<T>): Promise<T> {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      return await work();
    } finally {
      process.env.PATH = path;
    }
  }

  it('reads a PCM WAV in process, and a 48 kHz float WAV (a browser capture) resampled to 16 kHz', async () => {
    const clip = await readFile(await speak(SENTENCE, { format: 'wav' }));
    const withFfmpeg = await decodeAudio(clip);
    const pcm = await withoutFfmpeg(() => decodeAudio(clip));
    expect(pcm.codec).toBe('pcm_s16le');
    expect(Math.abs(pcm.durationSec - withFfmpeg.durationSec)).toBeLessThan(0.05);
    expect(voiceActivity(pcm.pcm).voicedSec).toBeGreaterThan(1);

    // The same speech as 32-bit float at 48 kHz, as an AudioWorklet captures it.
    const { samples } = pcm.pcm;
    const up = new Float32Array(samples.length * 3);
    for (let i = 0; i < up.length; i++) up[i] = samples[Math.floor(i / 3)]!;
    const header = Buffer.alloc(44);
    header.write('RIFF', 0);
    header.writeUInt32LE(36 + up.length * 4, 4);
    header.write('WAVEfmt ', 8);
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(3, 20); // IEEE float
    header.writeUInt16LE(1, 22);
    header.writeUInt32LE(48_000, 24);
    header.writeUInt32LE(48_000 * 4, 28);
    header.writeUInt16LE(4, 32);
    header.writeUInt16LE(32, 34);
    header.write('data', 36);
    header.writeUInt32LE(up.length * 4, 40);
    const float = Buffer.concat([header, Buffer.from(up.buffer)]);
    const decoded = await withoutFfmpeg(() => decodeAudio(float));
    expect(decoded.codec).toBe('pcm_f32le');
    expect(decoded.pcm.sampleRate).toBe(16_000);
    expect(Math.abs(decoded.durationSec - pcm.durationSec)).toBeLessThan(0.01);
  });

  it('refuses another format with 415’s reason, naming what is missing and what to send instead', async () => {
    const webm = await readFile(await speak(SENTENCE, { format: 'webm' }));
    const err = await withoutFfmpeg(() => refusal(webm));
    expect({ reason: err.reason, message: err.message }).toEqual({
      reason: 'unsupported_codec',
      message:
        'This server cannot decode WEBM recordings (ffprobe is not installed). Record in the browser, or send a WAV file.',
    });
  });
});
