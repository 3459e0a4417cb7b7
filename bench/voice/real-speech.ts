// Real human speech with known transcripts, for the ASR bench beside its generated voices: the recordings
// the PyPI package pocketsphinx 5.1.1 ships in its source distribution as its own test data (test/data):
//   - five LibriVox read-speech clips of "Sense and Sensibility" (LibriVox is what LibriSpeech is cut from),
//     referenced by the package's test/data/librivox/transcription;
//   - five spoken playing-card names, referenced by test/data/cards/cards.transcription;
//   - goforward.raw, "go forward ten meters" (the expected text of test/unit/test_fwdtree.c and others);
//   - forever/input_2_16k.wav, "feels like these days go on forever" (cython/test/alignment_test.py).
// About 40 s of speech in all: real voices and rooms, but too little for a tight figure. No package in the
// npm or PyPI lists searched ships a LibriSpeech or Common Voice test subset as audio.
// Fetched at bench time only (never by setup): pip downloads the sdist (its build backend is installed in
// pip's own isolated environment to read the metadata, nothing is built), the tarball is checked against its
// pinned sha256 and the clips are read from it here, with Node's zlib and no tar program.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { decodeWav, resample } from '../../voice/wav.js';
import type { Pcm16k } from '../../voice/types.js';

export const POCKETSPHINX_SDIST = {
  spec: 'pocketsphinx==5.1.1',
  file: 'pocketsphinx-5.1.1.tar.gz',
  sha256: '675778b309a22dfc9b7d37f7621976bba491d2a5f8c59696bd77fd6d07271355',
  root: 'pocketsphinx-5.1.1/',
} as const;

export interface RealClip {
  id: string;
  /** Where the recording and its reference come from, inside the sdist. */
  source: string;
  reference: string;
  pcm: Pcm16k;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE_DIR = join(tmpdir(), 'interview-helper-bench');

/** The clips, downloading the pinned sdist into a temp folder unless it is there already. */
export async function realSpeechClips(cacheDir = CACHE_DIR): Promise<RealClip[]> {
  const files = untar(gunzipSync(await pinnedSdist(cacheDir)));
  const file = (path: string) => {
    const bytes = files.get(POCKETSPHINX_SDIST.root + path);
    if (!bytes) throw new Error(`${POCKETSPHINX_SDIST.file} has no ${path}`);
    return bytes;
  };
  const clips: RealClip[] = [];
  for (const [dir, list, wav] of [
    ['test/data/librivox/', 'transcription', (id: string) => `${id}.wav`],
    ['test/data/cards/', 'cards.transcription', (id: string) => `${id}.wav`],
  ] as const) {
    for (const { id, text } of sphinxTranscription(file(dir + list).toString('utf8'))) {
      clips.push({ id, source: dir + list, reference: text, pcm: fromWav(file(dir + wav(id))) });
    }
  }
  clips.push({
    id: 'goforward',
    source: 'test/unit/test_fwdtree.c',
    reference: 'go forward ten meters',
    pcm: fromRaw(file('test/data/goforward.raw')),
  });
  clips.push({
    id: 'forever',
    source: 'cython/test/alignment_test.py',
    reference: 'feels like these days go on forever',
    pcm: fromWav(file('test/data/forever/input_2_16k.wav')),
  });
  return clips;
}

/** Sphinx transcription lines: `<s> words </s> (utterance id)`. */
export function sphinxTranscription(text: string): { id: string; text: string }[] {
  return text
    .split('\n')
    .map((line) => /^\s*(?:<s>)?(.*?)(?:<\/s>)?\s*\(([^)]+)\)\s*$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ id: m[2]!, text: m[1]!.replace(/\s+/g, ' ').trim() }));
}

async function pinnedSdist(cacheDir: string): Promise<Buffer> {
  const path = join(cacheDir, POCKETSPHINX_SDIST.file);
  if (!existsSync(path) || sha256(readFileSync(path)) !== POCKETSPHINX_SDIST.sha256) {
    mkdirSync(cacheDir, { recursive: true });
    await pip([
      'download',
      '--no-deps',
      '--no-binary',
      'pocketsphinx',
      '--disable-pip-version-check',
      '-q',
      '-d',
      cacheDir,
      POCKETSPHINX_SDIST.spec,
    ]);
  }
  const bytes = readFileSync(path);
  const digest = sha256(bytes);
  if (digest !== POCKETSPHINX_SDIST.sha256)
    throw new Error(
      `${POCKETSPHINX_SDIST.file}: sha256 ${digest} is not the pinned ${POCKETSPHINX_SDIST.sha256}`,
    );
  return bytes;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function pip(args: string[]): Promise<void> {
  const cmd = join(ROOT, '.venv', 'bin', 'pip');
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', (err) => reject(new Error(`${cmd}: ${err.message} (run \`npm run setup\` first)`)));
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`pip ${args.join(' ')} failed (exit ${code}): ${stderr.slice(-800)}`)),
    );
  });
}

/** The regular files of a tar archive (ustar, with pax `path` records), by name. */
export function untar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const field = (at: number, length: number) => tar.toString('utf8', at, at + length).replace(/\0.*$/s, '');
  let paxPath: string | undefined;
  for (let pos = 0; pos + 512 <= tar.length;) {
    if (tar.subarray(pos, pos + 512).every((b) => b === 0)) break;
    const size = parseInt(field(pos + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(tar[pos + 156]!);
    const prefix = tar.toString('ascii', pos + 257, pos + 262) === 'ustar' ? field(pos + 345, 155) : '';
    const name = paxPath ?? (prefix ? `${prefix}/${field(pos, 100)}` : field(pos, 100));
    const body = tar.subarray(pos + 512, pos + 512 + size);
    paxPath = undefined;
    if (type === 'x') paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
    else if (type === '0' || type === '\0') files.set(name, body);
    pos += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

function fromWav(bytes: Buffer): Pcm16k {
  const wav = decodeWav(bytes);
  return { samples: resample(wav.samples, wav.sampleRate, 16000), sampleRate: 16000 };
}

/** Headerless 16-bit little-endian mono PCM at 16 kHz (Sphinx's .raw). */
function fromRaw(bytes: Buffer): Pcm16k {
  const samples = new Float32Array(bytes.length >> 1);
  for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(2 * i) / 0x8000;
  return { samples, sampleRate: 16000 };
}
