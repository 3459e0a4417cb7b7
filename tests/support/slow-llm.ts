// A FAKE OpenAI-compatible server whose speed the test sets: each reply waits `delayMs` (judge calls,
// which are not streamed, `judgeDelayMs`) before its first byte, or never answers while `hang` is on. It
// counts requests in flight at once and requests the client gave up on (closed before the reply ended),
// which a real CPU server would have gone on computing. A fake for timing and failure cases, which a real
// server cannot be made to show on demand.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SCORE_DIMENSIONS } from '../../core/types.js';

export const MODEL_CRITIQUE =
  'Tell me about a time you improved a product metric. What did you do, and what changed as a result?';

const judgement = JSON.stringify(
  Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, { score: 4, reason: `The ${d} is solid.` }])),
);

export interface SlowLlm {
  url: string;
  /** Settings, changeable while the test runs. */
  delayMs: number;
  judgeDelayMs: number;
  hang: boolean;
  readonly calls: number;
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Requests whose client closed the connection before the reply was complete. */
  readonly abandoned: number;
  close(): Promise<void>;
}

export async function startSlowLlm(opts: { delayMs?: number; judgeDelayMs?: number } = {}): Promise<SlowLlm> {
  let calls = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let abandoned = 0;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      if (!req.url?.endsWith('/chat/completions')) return void res.writeHead(404).end();
      calls++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      let finished = false;
      res.on('close', () => {
        inFlight--;
        if (!finished) abandoned++;
      });
      const body = JSON.parse(raw) as { stream?: boolean };
      void (async () => {
        await sleep(body.stream ? fake.delayMs : fake.judgeDelayMs);
        while (fake.hang && !res.destroyed) await sleep(100);
        if (res.destroyed) return;
        const base = { id: `slow-${calls}`, created: 0, model: 'slow-fake' };
        if (!body.stream) {
          finished = true;
          res.writeHead(200, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              ...base,
              object: 'chat.completion',
              choices: [
                { index: 0, message: { role: 'assistant', content: judgement }, finish_reason: 'stop' },
              ],
              usage: { prompt_tokens: 50, completion_tokens: 50, total_tokens: 100 },
            }),
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const piece of MODEL_CRITIQUE.match(/\S+\s*/g) ?? []) {
          if (res.destroyed) return;
          const choice = { index: 0, delta: { role: 'assistant', content: piece }, finish_reason: null };
          res.write(
            `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [choice] })}\n\n`,
          );
          await sleep(5);
        }
        finished = true;
        res.end('data: [DONE]\n\n');
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake: SlowLlm = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    delayMs: opts.delayMs ?? 0,
    judgeDelayMs: opts.judgeDelayMs ?? opts.delayMs ?? 0,
    hang: false,
    get calls() {
      return calls;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get abandoned() {
      return abandoned;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
