// Speech synthesis with the real engines: the Piper voice through sherpa-onnx, Debian espeak-ng, and an
// OpenAI-compatible endpoint played by a fake server started here (the only fake: a hosted service).
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { findEspeakNgData, PIPER_VOICE } from '../../core/models.mjs';
import { ensureEspeakNgData, ensurePiperVoice } from '../../scripts/lib/tts-model.mjs';
import { readMetadata, withMetadata } from '../../voice/tts/onnx-metadata.mjs';
import { createEspeakTts } from '../../voice/tts/espeak.js';
import { createTtsEngine, piperModelPath } from '../../voice/tts/index.js';
import type { SpeechChunk, TtsEngine } from '../../voice/types.js';
import { decodeWav, encodeWav, streamWav } from '../../voice/wav.js';

const run = promisify(execFile);
const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), 'ih-tts-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const QUESTION = 'Tell me about a time you disagreed with a teammate.';
const THREE_SENTENCES =
  'Tell me about a project you are proud of. What was your role in it, and what did you change? ' +
  'Finally, what would you do differently if you started again tomorrow?';

/** Every chunk with the time it arrived, in ms from the call. */
async function collect(engine: TtsEngine, text: string) {
  const started = performance.now();
  const chunks: { chunk: SpeechChunk; at: number }[] = [];
  for await (const chunk of engine.synthesize(text)) chunks.push({ chunk, at: performance.now() - started });
  return { chunks, totalMs: performance.now() - started };
}

function pcmOf(chunks: { chunk: SpeechChunk }[]): { samples: Float32Array; sampleRate: number } {
  const pcm = chunks.map(({ chunk }) => {
    if (chunk.kind !== 'pcm') throw new Error('expected PCM');
    return chunk;
  });
  const samples = new Float32Array(pcm.reduce((n, c) => n + c.samples.length, 0));
  let at = 0;
  for (const c of pcm) {
    samples.set(c.samples, at);
    at += c.samples.length;
  }
  return { samples, sampleRate: pcm[0]!.sampleRate };
}

const rms = (s: Float32Array) => Math.sqrt(s.reduce((sum, x) => sum + x * x, 0) / Math.max(1, s.length));

/** ffprobe's view of a file: codec, sample rate and duration, or a thrown error if it cannot read it. */
async function probe(path: string) {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'stream=codec_name,sample_rate,channels:format=duration',
    '-of',
    'json',
    path,
  ]);
  const info = JSON.parse(stdout) as {
    streams: { codec_name: string; sample_rate: string; channels: number }[];
    format: { duration: string };
  };
  return { ...info.streams[0]!, duration: Number(info.format.duration) };
}

/** The words pocketsphinx hears in a WAV file (converted to the 16 kHz mono it wants). */
async function recognise(wav: string): Promise<string[]> {
  const pcm16k = `${wav}.16k.wav`;
  await run('ffmpeg', ['-v', 'error', '-y', '-i', wav, '-ar', '16000', '-ac', '1', pcm16k]);
  const { stdout } = await run('pocketsphinx_continuous', ['-infile', pcm16k, '-logfn', '/dev/null']);
  return words(stdout);
}

const words = (text: string) => text.toLowerCase().match(/[a-z']+/g) ?? [];

/** How many reference words the hypothesis has, in order (longest common subsequence). */
function wordsRecognised(reference: string[], hypothesis: string[]): number {
  const dp = Array.from({ length: reference.length + 1 }, () =>
    new Array<number>(hypothesis.length + 1).fill(0),
  );
  for (let i = 1; i <= reference.length; i++)
    for (let j = 1; j <= hypothesis.length; j++)
      dp[i]![j] =
        reference[i - 1] === hypothesis[j - 1]
          ? dp[i - 1]![j - 1]! + 1
          : Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!);
  return dp[reference.length]![hypothesis.length]!;
}

describe('WAV encoding', () => {
  it('round-trips samples through a whole file', () => {
    const samples = Float32Array.from({ length: 1600 }, (_, i) => Math.sin(i / 10) * 0.5);
    const decoded = decodeWav(encodeWav(samples, 16000));
    expect(decoded.sampleRate).toBe(16000);
    expect(decoded.samples.length).toBe(1600);
    expect(Math.max(...decoded.samples.map((x, i) => Math.abs(x - samples[i]!)))).toBeLessThan(1e-4);
  });

  it('streams a header first, then each sentence, and ffmpeg decodes the whole stream', async () => {
    const tone = (seconds: number) =>
      Float32Array.from(
        { length: 22050 * seconds },
        (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / 22050),
      );
    async function* speech(): AsyncGenerator<SpeechChunk> {
      yield { kind: 'pcm', samples: tone(1), sampleRate: 22050 };
      yield { kind: 'pcm', samples: tone(0.5), sampleRate: 22050 };
    }
    const parts: Buffer[] = [];
    for await (const part of streamWav(speech())) parts.push(part);
    expect(parts).toHaveLength(3);
    expect(parts[0]!.length).toBe(44);
    const path = join(work, 'stream.wav');
    writeFileSync(path, Buffer.concat(parts));
    const { stdout } = await run('ffmpeg', ['-v', 'quiet', '-i', path, '-f', 's16le', '-'], {
      encoding: 'buffer',
      maxBuffer: 1 << 24,
    });
    expect(stdout.length).toBe(22050 * 1.5 * 2);
  });

  it('refuses a stream that changes sample rate or is not PCM', async () => {
    async function* mixed(): AsyncGenerator<SpeechChunk> {
      yield { kind: 'pcm', samples: new Float32Array(10), sampleRate: 22050 };
      yield { kind: 'pcm', samples: new Float32Array(10), sampleRate: 16000 };
    }
    await expect(async () => {
      for await (const _ of streamWav(mixed()));
    }).rejects.toThrow(/sample rate/);
  });
});

describe.each(['piper', 'espeak'] as const)('the %s engine', (provider) => {
  let engine: TtsEngine;
  beforeAll(async () => {
    if (provider === 'piper') await ensurePiperVoice(root);
    engine = await createTtsEngine({ ...loadConfig({}), TTS_PROVIDER: provider });
  });
  afterAll(() => engine?.close());

  it('speaks a sentence as a valid, audible WAV of plausible length', async () => {
    const { chunks } = await collect(engine, QUESTION);
    const { samples, sampleRate } = pcmOf(chunks);
    const path = join(work, `${provider}-question.wav`);
    writeFileSync(path, encodeWav(samples, sampleRate));
    const info = await probe(path);
    expect(info.codec_name).toBe('pcm_s16le');
    expect(Number(info.sample_rate)).toBe(22050);
    // Ten words at a speaking pace: roughly 2 to 5 seconds.
    expect(info.duration).toBeGreaterThan(1.5);
    expect(info.duration).toBeLessThan(6);
    expect(rms(samples)).toBeGreaterThan(0.02);
  });

  it('gives the first sentence well before the whole text is spoken', async () => {
    const { chunks, totalMs } = await collect(engine, THREE_SENTENCES);
    expect(chunks).toHaveLength(3);
    expect(chunks[0]!.at).toBeLessThan(totalMs * 0.6);
    expect(chunks.every(({ chunk }) => chunk.kind === 'pcm' && rms(chunk.samples) > 0.02)).toBe(true);
  });
});

describe('the Piper voice', () => {
  let engine: TtsEngine;
  beforeAll(async () => {
    await ensurePiperVoice(root);
    engine = await createTtsEngine({ ...loadConfig({}), TTS_PROVIDER: 'piper' });
  });
  afterAll(() => engine?.close());

  it('is understood by a speech recogniser (pocketsphinx) for most words', async () => {
    const sentences = [QUESTION, 'What was the result of your work, and how did you measure it?'];
    let heard = 0;
    let said = 0;
    for (const [i, sentence] of sentences.entries()) {
      const { samples, sampleRate } = pcmOf((await collect(engine, sentence)).chunks);
      const path = join(work, `roundtrip-${i}.wav`);
      writeFileSync(path, encodeWav(samples, sampleRate));
      const reference = words(sentence);
      heard += wordsRecognised(reference, await recognise(path));
      said += reference.length;
    }
    expect(heard / said).toBeGreaterThanOrEqual(0.6);
  });

  it('streams as a WAV that ffprobe reads, with one sentence per chunk', async () => {
    const parts: Buffer[] = [];
    for await (const part of streamWav(engine.synthesize(THREE_SENTENCES))) parts.push(part);
    expect(parts).toHaveLength(4);
    const path = join(work, 'piper-stream.wav');
    writeFileSync(path, Buffer.concat(parts));
    const info = await probe(path);
    expect(info.codec_name).toBe('pcm_s16le');
    expect(info.duration).toBeGreaterThan(4);
  });

  it('speaks for two listeners at once, taking turns sentence by sentence', async () => {
    const [a, b] = await Promise.all([collect(engine, THREE_SENTENCES), collect(engine, QUESTION)]);
    expect(a.chunks).toHaveLength(3);
    expect(b.chunks).toHaveLength(1);
    // The one-sentence request is not queued behind the whole three-sentence one.
    expect(b.totalMs).toBeLessThan(a.totalMs);
    expect(rms(pcmOf(b.chunks).samples)).toBeGreaterThan(0.02);
  });

  it('keeps the event loop free while it speaks', async () => {
    let worstLag = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worstLag = Math.max(worstLag, now - last - 5);
      last = now;
    }, 5);
    const { chunks } = await collect(engine, THREE_SENTENCES);
    clearInterval(timer);
    // A synchronous synthesis would hold the loop for a whole sentence (measured: 234 ms of 240).
    const slowestSentence = Math.max(...chunks.map(({ at }, i) => at - (chunks[i - 1]?.at ?? 0)));
    expect(worstLag).toBeLessThan(slowestSentence / 2);
  });

  it('writes the metadata sherpa-onnx reads into the prepared model', async () => {
    const metadata = readMetadata(readFileSync(piperModelPath(loadConfig({}))));
    expect(metadata).toMatchObject({
      model_type: 'vits',
      comment: 'piper',
      voice: 'en-us',
      has_espeak: '1',
      n_speakers: '1',
      sample_rate: '22050',
    });
  });
});

describe('fetching the Piper voice (scripts/lib/tts-model.mjs)', () => {
  it('downloads, checks and prepares the voice in a fresh checkout, and the result speaks', async () => {
    const fresh = join(work, 'fresh-checkout');
    mkdirSync(fresh);
    symlinkSync(join(root, '.venv'), join(fresh, '.venv'));
    const log: string[] = [];
    const dir = await ensurePiperVoice(fresh, (line) => log.push(line));
    expect(dir).toBe(join(fresh, 'data', 'models', 'piper-joe'));
    expect(log.at(-1)).toMatch(/Piper voice en_US-joe-medium is in/);
    // Only the finished voice is left: no staging directory, no wheel.
    expect(readdirSync(join(fresh, 'data', 'models'))).toEqual(['piper-joe']);
    expect(readdirSync(dir).sort()).toEqual([
      'MODEL_CARD',
      'en_US-joe-medium.onnx',
      'en_US-joe-medium.onnx.json',
      'tokens.txt',
    ]);
    const tokens = readFileSync(join(dir, PIPER_VOICE.tokensFile), 'utf8').trimEnd().split('\n');
    expect(tokens).toContain('_ 0');
    expect(tokens).toContain('^ 1');
    expect(tokens.length).toBeGreaterThan(100);

    const engine = await createTtsEngine(
      loadConfig({ TTS_PROVIDER: 'piper', TTS_PIPER_MODEL: join(dir, 'en_US-joe-medium.onnx') }),
    );
    const { samples } = pcmOf((await collect(engine, 'Hello there.')).chunks);
    await engine.close();
    expect(rms(samples)).toBeGreaterThan(0.02);

    // A second call finds it and does nothing.
    log.length = 0;
    await ensurePiperVoice(fresh, (line) => log.push(line));
    expect(log).toEqual([]);
  });
});

describe('fetching espeak-ng-data (scripts/lib/tts-model.mjs)', () => {
  it('puts the pinned wheel’s espeak-ng-data under MODELS_DIR, and the Piper voice speaks with it rather than Debian’s', async () => {
    const fresh = join(work, 'fresh-espeak');
    mkdirSync(fresh);
    symlinkSync(join(root, '.venv'), join(fresh, '.venv'));
    const log: string[] = [];
    const dir = await ensureEspeakNgData(fresh, (line) => log.push(line));
    expect(dir).toBe(join(fresh, 'data', 'models', 'espeak-ng-data'));
    expect(log.at(-1)).toMatch(/espeak-ng-data is in/);
    expect(readdirSync(join(fresh, 'data', 'models'))).toEqual(['espeak-ng-data']);
    for (const file of ['phontab', 'phondata', 'phonindex', 'intonations', 'en_dict'])
      expect(existsSync(join(dir, file)), file).toBe(true);
    // The app finds it under MODELS_DIR before any system copy.
    expect(findEspeakNgData(join(fresh, 'data', 'models'))).toBe(dir);

    await ensurePiperVoice(root);
    const engine = await createTtsEngine(
      loadConfig({
        TTS_PROVIDER: 'piper',
        MODELS_DIR: join(fresh, 'data', 'models'),
        TTS_PIPER_MODEL: piperModelPath(loadConfig({})),
      }),
    );
    const { samples } = pcmOf((await collect(engine, 'Tell me about a time you led a migration.')).chunks);
    await engine.close();
    expect(rms(samples)).toBeGreaterThan(0.02);
  });
});

describe('ONNX metadata as raw protobuf', () => {
  it('appends entries a reader finds, and refuses to add a key twice', () => {
    const model = Buffer.from([0x08, 0x07]); // ModelProto { ir_version: 7 }
    const patched = withMetadata(model, { sample_rate: 22050, language: 'English' });
    expect(readMetadata(patched)).toEqual({ sample_rate: '22050', language: 'English' });
    expect(() => withMetadata(patched, { sample_rate: 16000 })).toThrow(/already has metadata sample_rate/);
  });
});

describe('an OpenAI-compatible speech endpoint (a fake server)', () => {
  let server: Server;
  let baseUrl: string;
  const received: { auth?: string; body: { model: string; voice: string; input: string } }[] = [];

  beforeAll(async () => {
    // A fake of a hosted /v1/audio/speech: answers "audio" in three parts, 150 ms apart.
    server = createServer(async (req: IncomingMessage, res) => {
      let raw = '';
      for await (const part of req) raw += part;
      const body = JSON.parse(raw);
      received.push({ auth: req.headers.authorization, body });
      if (req.url !== '/v1/audio/speech' || req.headers.authorization !== 'Bearer sk-test') {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'Incorrect API key provided' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'audio/mpeg' });
      for (const part of ['ID3-first', 'frame-2', 'frame-3']) {
        res.write(part);
        await new Promise((r) => setTimeout(r, 150));
      }
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const config = (overrides: Record<string, string>) =>
    loadConfig({
      TTS_PROVIDER: 'openai',
      TTS_BASE_URL: baseUrl,
      TTS_MODEL: 'tts-1',
      TTS_VOICE: 'nova',
      ...overrides,
    });

  it('passes the encoded speech through as it arrives', async () => {
    const engine = await createTtsEngine(config({ TTS_API_KEY: 'sk-test' }));
    const { chunks, totalMs } = await collect(engine, QUESTION);
    expect(received.at(-1)).toEqual({
      auth: 'Bearer sk-test',
      body: expect.objectContaining({ model: 'tts-1', voice: 'nova', input: QUESTION }),
    });
    // Three writes 150 ms apart arrive as (at least) two pieces, however the socket groups them.
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    for (const { chunk } of chunks)
      expect(chunk).toMatchObject({ kind: 'encoded', contentType: 'audio/mpeg' });
    const bytes = Buffer.concat(
      chunks.map(({ chunk }) => (chunk.kind === 'encoded' ? chunk.bytes : Buffer.alloc(0))),
    );
    expect(bytes.toString()).toBe('ID3-firstframe-2frame-3');
    expect(chunks[0]!.at).toBeLessThan(totalMs - 200);
  });

  it('sends text over the endpoint limit as several requests split at sentence ends', async () => {
    const engine = await createTtsEngine(config({ TTS_API_KEY: 'sk-test' }));
    const sentence = 'This sentence is about fifty characters long, ok. ';
    const before = received.length;
    await collect(engine, sentence.repeat(120));
    const inputs = received.slice(before).map((r) => r.body.input);
    expect(inputs).toHaveLength(2);
    expect(inputs.every((i) => i.length <= 4096 && i.endsWith('ok.'))).toBe(true);
  });

  it("reports the endpoint's refusal clearly", async () => {
    const engine = await createTtsEngine(config({ TTS_API_KEY: 'wrong' }));
    await expect(collect(engine, QUESTION)).rejects.toThrow(/answered 401 .*Incorrect API key/);
  });
});

describe('bad configuration', () => {
  it('names a missing Piper model and how to fetch it', async () => {
    const missing = join(work, 'nowhere', 'voice.onnx');
    await expect(
      createTtsEngine(loadConfig({ TTS_PROVIDER: 'piper', TTS_PIPER_MODEL: missing })),
    ).rejects.toThrow(new RegExp(`${missing}.* is missing.*TTS_PIPER_MODEL`));
    await expect(
      createTtsEngine(loadConfig({ TTS_PROVIDER: 'piper', MODELS_DIR: join(work, 'empty-models') })),
    ).rejects.toThrow(/is missing\. Run `npm run setup`/);
  });

  it('refuses a model without sherpa-onnx metadata instead of letting sherpa end the process', async () => {
    const dir = join(work, 'raw-piper');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'voice.onnx'), Buffer.from([0x08, 0x07]));
    writeFileSync(join(dir, PIPER_VOICE.tokensFile), '_ 0\n');
    await expect(
      createTtsEngine(loadConfig({ TTS_PROVIDER: 'piper', TTS_PIPER_MODEL: join(dir, 'voice.onnx') })),
    ).rejects.toThrow(/lacks sherpa-onnx's Piper metadata \(sample_rate, n_speakers, language, comment\)/);
  });

  it('needs a base URL for the openai provider and rejects an unknown provider', () => {
    expect(() => loadConfig({ TTS_PROVIDER: 'openai' })).toThrow(/TTS_BASE_URL: required/);
    expect(() => loadConfig({ TTS_PROVIDER: 'festival' })).toThrow(/TTS_PROVIDER/);
  });

  it('says when espeak-ng is not installed', async () => {
    const engine = createEspeakTts({ binary: 'espeak-ng-not-installed' });
    await expect(collect(engine, QUESTION)).rejects.toThrow(
      /was not found; install the Debian package espeak-ng/,
    );
  });
});
