// The compiler flags of the addons npm compiles at install (smart-whisper's whisper.cpp), and whether the
// installed build has them. Plain JavaScript, so that setup runs before `npm install`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * smart-whisper compiles whisper.cpp at install: without these flags ggml is built without AVX and
 * transcribes 12x slower (../shared/STACK-NOTES.md). Only where the CPU has them, or the addon would
 * die of an illegal instruction.
 */
export function nativeBuildFlags() {
  // node-gyp would download Node's headers (offline here); the system Node ships them under /usr.
  const headers = existsSync('/usr/include/node/node.h') ? { npm_config_nodedir: '/usr' } : {};
  let cpu = '';
  try {
    cpu = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return headers;
  }
  if (!/\bavx2\b/.test(cpu) || !/\bfma\b/.test(cpu) || !/\bf16c\b/.test(cpu)) return headers;
  const flags = '-mavx2 -mfma -mf16c';
  return { ...headers, CFLAGS: flags, CXXFLAGS: flags };
}

/** Where setup records the compiler flags smart-whisper's whisper.cpp was built with. */
const whisperFlagsFile = (root) => join(root, 'node_modules', '.ih-whisper-cflags');

/** Whether whisper.cpp was built by something other than setup, without flags this CPU has. */
export function needsWhisperRebuild(root, native = nativeBuildFlags()) {
  if (!native.CFLAGS || !existsSync(join(root, 'node_modules', 'smart-whisper'))) return false;
  const file = whisperFlagsFile(root);
  return !existsSync(file) || readFileSync(file, 'utf8') !== native.CFLAGS;
}

/** Records that whisper.cpp was just built with `native`'s flags. */
export function recordWhisperFlags(root, native = nativeBuildFlags()) {
  writeFileSync(whisperFlagsFile(root), native.CFLAGS ?? '');
}
