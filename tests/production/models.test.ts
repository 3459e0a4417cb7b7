// Setup (scripts/lib/*.mjs) and the app read the model locations from one module, core/models.mjs, so a
// MODELS_DIR that setup fills is the one the app loads from.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { embeddingModelFile, modelsDir } from '../../core/models.mjs';
import { whisperModelPath } from '../../voice/asr/index.js';
import { piperModelPath } from '../../voice/tts/index.js';
import { needsWhisperModel } from '../../scripts/lib/asr-model.mjs';
import { needsPiperVoice } from '../../scripts/lib/tts-model.mjs';
import { needsWhisperRebuild } from '../../scripts/lib/native-build.mjs';
import { ROOT } from '../support/processes.js';

const root = mkdtempSync(join(tmpdir(), 'ih-models-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const touch = (file: string) => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '');
};

describe('model locations', () => {
  it('setup looks for the models where the app loads them, under MODELS_DIR', () => {
    const dir = join(root, 'elsewhere');
    const saved = process.env.MODELS_DIR;
    process.env.MODELS_DIR = dir;
    try {
      expect(modelsDir(root)).toBe(dir);
      expect(needsWhisperModel(root)).toBe(true);
      expect(needsPiperVoice(root)).toBe(true);

      const config = loadConfig({ MODELS_DIR: dir });
      touch(whisperModelPath(config));
      touch(piperModelPath(config));
      touch(join(dirname(piperModelPath(config)), 'tokens.txt'));

      expect(needsWhisperModel(root)).toBe(false);
      expect(needsPiperVoice(root)).toBe(false);
      // The embedder (ingestion/embed.ts) refuses to start without this file; setup's step checks the same.
      expect(embeddingModelFile(config.MODELS_DIR)).toBe(
        join(dir, 'all-MiniLM-L6-v2', 'onnx', 'model_quantized.onnx'),
      );
    } finally {
      if (saved === undefined) delete process.env.MODELS_DIR;
      else process.env.MODELS_DIR = saved;
    }
  });

  it('without MODELS_DIR, both use data/models under the project root', () => {
    const saved = process.env.MODELS_DIR;
    delete process.env.MODELS_DIR;
    try {
      expect(modelsDir(root)).toBe(join(root, 'data', 'models'));
    } finally {
      if (saved !== undefined) process.env.MODELS_DIR = saved;
    }
  });
});

describe('whisper.cpp build flags', () => {
  it("asks for a rebuild when whisper.cpp was compiled without the CPU's vector flags (a plain npm install)", () => {
    const repo = join(root, 'repo');
    mkdirSync(join(repo, 'node_modules', 'smart-whisper'), { recursive: true });
    const avx = { CFLAGS: '-mavx2 -mfma -mf16c' };
    expect(needsWhisperRebuild(repo, avx)).toBe(true);
    writeFileSync(join(repo, 'node_modules', '.ih-whisper-cflags'), '');
    expect(needsWhisperRebuild(repo, avx)).toBe(true);
    writeFileSync(join(repo, 'node_modules', '.ih-whisper-cflags'), avx.CFLAGS);
    expect(needsWhisperRebuild(repo, avx)).toBe(false);
    // A CPU without them: nothing to rebuild for.
    expect(needsWhisperRebuild(repo, {})).toBe(false);
  });

  it('this checkout, after setup, runs a whisper.cpp built with the flags this CPU has (else 10x slower)', () => {
    expect(needsWhisperRebuild(ROOT)).toBe(false);
  });
});
