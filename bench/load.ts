// `npm run bench:load`: how many concurrent text sessions one API process and one worker process hold.
// The real stack on 127.0.0.1: `server/serve.ts api` and `server/serve.ts worker` as separate processes
// over PostgreSQL (TEST_DATABASE_URL; LISTEN/NOTIFY between them), a Temporal dev server and Chroma, the
// offline coach streaming at OFFLINE_TOKEN_DELAY_MS per token (15 ms, a fast hosted model's pace).
// Each virtual user creates a session, reads its SSE stream and answers every question, then goes on to
// the next round, for STEP_SECONDS per step, at K = LOAD_STEPS (default 5,10,20,40) users. Measured:
//   answer -> feedback   from the answer POST to its `feedback` event (includes the coach's streaming);
//   answer -> 1st token  from the answer POST to the coach's first streamed token (a follow-up question's
//                        or the critique's): what the user waits for before the coach visibly reacts;
//   delivery             from an event's append in PostgreSQL (created_at) to its arrival at the client;
//   throughput           answers and events per second; error rate over every HTTP request.
// K "holds" while, with no errors, both the delivery p95 and the answer -> 1st token p95 stay under 250 ms
// (the stream keeps up, and the coach visibly reacts to an answer). Answer -> feedback is printed beside
// them: it is mostly the coach streaming its critique at the configured pace.
import { pathToFileURL } from 'node:url';
import { JOB, ANSWER, createReadyJob, apiClient } from '../tests/support/client.js';
import { ChaosStack } from '../tests/support/chaos-stack.js';
import { startChroma } from '../tests/support/processes.js';
import { ResilientClient } from '../tests/support/resilient-client.js';
import { stats, type LatencyStats } from './stream-latency.js';

export interface StepResult {
  users: number;
  seconds: number;
  answers: number;
  events: number;
  requests: number;
  errors: number;
  answerToFeedback: LatencyStats;
  answerToFirstToken: LatencyStats;
  delivery: LatencyStats;
}

const P95_LIMIT_MS = 250;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One step: K users for `seconds`, each session answering every question and going on to the next round. */
export async function runStep(
  stack: ChaosStack,
  jobId: string,
  users: number,
  seconds: number,
): Promise<StepResult> {
  const client = new ResilientClient(stack.apiUrl, 10_000);
  let requests = 0;
  let errors = 0;
  const request = async (method: string, path: string, body?: unknown, ok = [200, 201, 202]) => {
    requests++;
    try {
      const res = await client.call<{ id: string }>(method, path, body);
      if (!ok.includes(res.status) || res.attempts > 1) errors++;
      return res;
    } catch {
      errors++;
      return undefined;
    }
  };
  const answerToFeedback: number[] = [];
  const answerToFirstToken: number[] = [];
  // session -> seq -> arrival time (ms since epoch), for the delivery latency read back from the log.
  const arrivals = new Map<string, Map<number, number>>();
  let events = 0;
  let answers = 0;
  const start = Date.now();
  const until = start + seconds * 1000;

  const user = async (u: number) => {
    // Stagger the start, as users do not all click at once.
    await sleep((u * 1000) / users);
    while (Date.now() < until) {
      const created = await request('POST', '/api/sessions', {
        jobId,
        module: 'behavioral',
        mode: 'text',
        rounds: 20,
      });
      if (!created || created.status !== 201) {
        await sleep(500);
        continue;
      }
      const id = created.json.id;
      const seen = new Map<number, number>();
      arrivals.set(id, seen);
      let answeredAt: number | undefined;
      let firstTokenAfterAnswer: number | undefined;
      const stream = client.follow(`/api/sessions/${id}/events`, (e) => {
        const t = Date.now();
        seen.set(e.id, t);
        events++;
        // Not merely the next event: that is the workflow's `state` event, which says nothing of the coach.
        if (
          e.data.type === 'token' &&
          answeredAt !== undefined &&
          firstTokenAfterAnswer === undefined &&
          t >= answeredAt
        ) {
          firstTokenAfterAnswer = t;
          answerToFirstToken.push(t - answeredAt);
        }
        if (e.data.type === 'question' && t < until) {
          answeredAt = Date.now();
          firstTokenAfterAnswer = undefined;
          void request('POST', `/api/sessions/${id}/answers`, {
            text: `${ANSWER} (user ${u})`,
            turnId: e.data.turnId,
          });
        } else if (e.data.type === 'feedback' && answeredAt !== undefined) {
          answerToFeedback.push(t - answeredAt);
          answers++;
          answeredAt = undefined;
        } else if (e.data.type === 'state' && e.data.status === 'reviewing') {
          void request('POST', `/api/sessions/${id}/${Date.now() < until ? 'next' : 'end'}`);
        } else if (e.data.type === 'state' && e.data.status === 'awaiting_answer' && t >= until) {
          void request('POST', `/api/sessions/${id}/end`);
        }
      });
      await stream.done;
    }
  };
  await Promise.all(Array.from({ length: users }, (_, u) => user(u)));
  const elapsed = (Date.now() - start) / 1000;

  const delivery: number[] = [];
  for (const [id, seen] of arrivals) {
    const rows = await stack.query<{ seq: string; at: string }>(
      `SELECT seq, (extract(epoch from created_at) * 1000)::float8 AS at FROM session_events WHERE session_id = $1`,
      [id],
    );
    for (const r of rows) {
      const arrived = seen.get(Number(r.seq));
      if (arrived !== undefined) delivery.push(arrived - Number(r.at));
    }
  }
  return {
    users,
    seconds: elapsed,
    answers,
    events,
    requests,
    errors,
    answerToFeedback: stats(answerToFeedback),
    answerToFirstToken: stats(answerToFirstToken),
    delivery: stats(delivery),
  };
}

export const streams = (r: StepResult) => r.errors === 0 && r.delivery.p95 < P95_LIMIT_MS;
export const holds = (r: StepResult) => streams(r) && r.answerToFirstToken.p95 < P95_LIMIT_MS;

export function table(results: StepResult[]): string {
  const ms = (n: number) => (Number.isFinite(n) ? Math.round(n).toString() : '-');
  const lines = [
    '|   K | answers/s | events/s | answer→feedback p50/p95/p99 ms | answer→1st token p50/p95/p99 ms | delivery p50/p95/p99 ms | errors | holds |',
    '| --: | --------: | -------: | ------------------------------ | ------------------------------- | ----------------------- | -----: | :---: |',
  ];
  for (const r of results) {
    const trio = (s: LatencyStats) => `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}`;
    lines.push(
      `| ${String(r.users).padStart(3)} | ${(r.answers / r.seconds).toFixed(2)} | ${(r.events / r.seconds).toFixed(0)} | ` +
        `${trio(r.answerToFeedback)} | ${trio(r.answerToFirstToken)} | ${trio(r.delivery)} | ` +
        `${((100 * r.errors) / Math.max(1, r.requests)).toFixed(1)}% | ${holds(r) ? 'yes' : 'no'} |`,
    );
  }
  return lines.join('\n');
}

async function main() {
  const steps = (process.env.LOAD_STEPS ?? '5,10,20,40').split(',').map(Number);
  const seconds = Number(process.env.STEP_SECONDS ?? 30);
  const chroma = await startChroma();
  const stack = new ChaosStack({
    chromaUrl: chroma.url,
    env: { OFFLINE_TOKEN_DELAY_MS: process.env.OFFLINE_TOKEN_DELAY_MS ?? '15', LOG_LEVEL: 'error' },
  });
  try {
    await stack.start();
    const jobId = await createReadyJob(apiClient(stack.apiUrl));
    console.log(`JOB ready (${JOB.title}); warming up`);
    await runStep(stack, jobId, 2, 5);
    const results: StepResult[] = [];
    for (const k of steps) {
      const r = await runStep(stack, jobId, k, seconds);
      results.push(r);
      console.log(table([r]).split('\n')[2]);
    }
    console.log(`\nOne API process + one worker process, PostgreSQL, ${seconds} s per step:\n`);
    console.log(table(results));
    const most = (ok: (r: StepResult) => boolean) => {
      const ks = results.filter(ok).map((r) => r.users);
      return ks.length ? `K = ${Math.max(...ks)}` : 'none of the steps';
    };
    console.log(`\nholds (delivery and answer -> 1st token p95 < ${P95_LIMIT_MS} ms): ${most(holds)}`);
    console.log(`streams (delivery p95 < ${P95_LIMIT_MS} ms): ${most(streams)}`);
  } finally {
    await stack.stop();
    await chroma.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
