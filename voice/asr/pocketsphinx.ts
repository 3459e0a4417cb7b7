// The floor: Debian's pocketsphinx_continuous on a 16 kHz WAV, with its default US English model. No
// download, no native addon, but it only copes with clear speech (see the README's figures).
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../wav.js';
import type { AsrEngine, Pcm16k, TimedWord, Transcript } from '../types.js';

export interface PocketsphinxOptions {
  /** The CLI; Debian's package pocketsphinx puts it on PATH. */
  command?: string;
  /** Killed after this many seconds per second of audio (plus 10 s), so a stuck run cannot hold a worker. */
  timeoutFactor?: number;
}

const NAME = 'pocketsphinx en-us (local)';

/**
 * `-time yes` output: after each utterance's hypothesis line, one line per word, "word start end
 * probability", times in seconds from the start of the file. Markers (<s>, </s>, <sil>, [NOISE]) are
 * dropped, alternate pronunciations lose their "(2)".
 */
export function parseTimedOutput(stdout: string): TimedWord[] {
  const words: TimedWord[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^(\S+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?(?:e-?\d+)?)$/.exec(line.trim());
    if (!m) continue;
    const word = m[1]!.replace(/\(\d+\)$/, '');
    if (/^[<[]/.test(word)) continue;
    words.push({ word, start: Number(m[2]), end: Number(m[3]) });
  }
  return words;
}

export async function createPocketsphinxAsr({
  command = 'pocketsphinx_continuous',
  timeoutFactor = 3,
}: PocketsphinxOptions = {}): Promise<AsrEngine> {
  // Fail at start, not on the first answer, when the CLI is missing.
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, ['-h'], { stdio: 'ignore' });
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new Error(
              `${command} is not installed: apt-get install pocketsphinx pocketsphinx-en-us, or choose another ASR_PROVIDER`,
            )
          : err,
      ),
    );
    child.once('close', () => resolve());
  });

  async function transcribe(audio: Pcm16k): Promise<Transcript> {
    const durationSec = audio.samples.length / audio.sampleRate;
    const dir = await mkdtemp(join(tmpdir(), 'ih-sphinx-'));
    try {
      const wav = join(dir, 'answer.wav');
      await writeFile(wav, encodeWav(audio.samples, audio.sampleRate));
      const stdout = await new Promise<string>((resolve, reject) => {
        const child = spawn(command, ['-infile', wav, '-time', 'yes', '-logfn', '/dev/null'], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        const timer = setTimeout(() => child.kill('SIGKILL'), (durationSec * timeoutFactor + 10) * 1000);
        child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
        child.stderr.on('data', (d: Buffer) => {
          if (err.length < 8000) err += d.toString('utf8');
        });
        child.once('error', reject);
        child.once('close', (code, signal) => {
          clearTimeout(timer);
          if (code === 0) resolve(out);
          else
            reject(new Error(`${command} failed (${signal ?? `exit ${code}`}): ${err.trim().slice(-500)}`));
        });
      });
      const words = parseTimedOutput(stdout);
      return { text: words.map((w) => w.word).join(' '), words, durationSec, engine: NAME };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  return {
    name: NAME,
    transcribe(audio) {
      return transcribe(audio);
    },
    async close() {},
  };
}
