// A REAL OpenAI-compatible model server for tests: llama-cpp-python's server (built into .venv by
// `npm test`, scripts/lib/llama-server.mjs) serving the pinned test chat model on 2 threads, bound to
// 127.0.0.1 on a free port. Its log shows every request it served.
import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { modelsDir, testChatModelFile } from '../../core/models.mjs';
import { freePort, ROOT, stopChild, tempDir, waitFor } from './processes.js';

export const TEST_MODEL_ALIAS = 'qwen2.5-coder-0.5b-instruct';

export interface LlamaServer {
  /** The OpenAI base URL (…/v1). */
  url: string;
  /** How many chat completions it has answered so far (from its access log). */
  completions(): number;
  /**
   * Rejects, with the end of the server's log, if the server exits before stop(): race a test against it
   * so a crashed server fails the test at once and says why, instead of after the test's long timeouts.
   */
  died: Promise<never>;
  stop(): Promise<void>;
}

export async function startLlamaServer(): Promise<LlamaServer> {
  const python = path.join(ROOT, '.venv/bin/python');
  const model = testChatModelFile(modelsDir(ROOT));
  if (!existsSync(model))
    throw new Error(
      `the test chat model is not at ${model}: \`npm test\` fetches it (scripts/lib/llama-server.mjs)`,
    );
  const port = await freePort();
  const log = path.join(tempDir('llama'), 'server.log');
  const out = openSync(log, 'a');
  const child = spawn(
    python,
    [
      '-m',
      'llama_cpp.server',
      '--model',
      model,
      '--model_alias',
      TEST_MODEL_ALIAS,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--n_ctx',
      '4096',
      '--n_threads',
      '2',
      // Its default cuts a streamed reply short when another request arrives; the coach never overlaps
      // requests of one turn, but sessions of several users may.
      '--interrupt_requests',
      'False',
    ],
    { cwd: ROOT, stdio: ['ignore', out, out] },
  );
  let stopping = false;
  const died = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => {
      if (stopping) return;
      const tail = readFileSync(log, 'utf8').slice(-2_000);
      reject(new Error(`the llama-cpp-python server exited (code ${code}, signal ${signal}):\n${tail}`));
    }),
  );
  died.catch(() => undefined); // reported to whoever races against it
  const url = `http://127.0.0.1:${port}/v1`;
  try {
    await Promise.race([
      waitFor('the llama-cpp-python server', async () => (await fetch(`${url}/models`)).ok, 120_000, log),
      died,
    ]);
  } catch (err) {
    stopping = true;
    await stopChild(child);
    throw err;
  }
  return {
    url,
    completions: () =>
      (readFileSync(log, 'utf8').match(/"POST \/v1\/chat\/completions HTTP\/1\.1" 200/g) ?? []).length,
    died,
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}
