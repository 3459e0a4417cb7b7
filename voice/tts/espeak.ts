// The floor engine: Debian's espeak-ng, one process per sentence. Robotic, but instant and always there.
import { spawn } from 'node:child_process';
import { speakableSentences } from '../../core/text/index.js';
import type { SpeechChunk, TtsEngine } from '../types.js';
import { decodeWav } from '../wav.js';

export interface EspeakOptions {
  /** An espeak-ng voice, e.g. "en-us", "en-gb+f3". */
  voice?: string;
  /** Words per minute. */
  wordsPerMinute?: number;
  binary?: string;
}

const SENTENCE_TIMEOUT_MS = 15_000;

/** One sentence as WAV bytes. The text goes in on stdin, so nothing in it can be read as an option. */
function speak(binary: string, args: string[], text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [...args, '--stdout', '--stdin'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), SENTENCE_TIMEOUT_MS);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new Error(
          err.code === 'ENOENT'
            ? `TTS_PROVIDER=espeak: \`${binary}\` was not found; install the Debian package espeak-ng`
            : `${binary}: ${err.message}`,
        ),
      );
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`${binary} failed (${signal ?? `exit code ${code}`}): ${stderr.trim()}`));
    });
    child.stdin.end(text);
  });
}

export function createEspeakTts(options: EspeakOptions = {}): TtsEngine {
  const binary = options.binary ?? 'espeak-ng';
  const voice = options.voice ?? 'en-us';
  const args = ['-v', voice, '-s', String(options.wordsPerMinute ?? 165)];
  return {
    name: `espeak-ng ${voice} (local)`,
    async *synthesize(text: string): AsyncGenerator<SpeechChunk> {
      for (const sentence of speakableSentences(text)) {
        const { samples, sampleRate } = decodeWav(await speak(binary, args, sentence));
        yield { kind: 'pcm', samples, sampleRate };
      }
    },
    async close() {},
  };
}
