// Measures the latency our streaming stack adds between a model token and its arrival at an SSE client:
// EventSink (as an activity uses it) -> EventLog (in-memory PGlite) -> InProcessBus -> streamEvents
// over real HTTP on 127.0.0.1 -> a fetch client parsing the SSE stream. A bare in-process async queue, fed
// by the same scripted "model" in the same run, is the baseline. Run with `npm run bench:stream`.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { monitorEventLoopDelay, performance as perf } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { openDatabase } from '../core/db/client.js';
import { EventLog, InProcessBus, type EventBus } from '../core/events.js';
import type { SessionEvent, StoredEvent } from '../core/types.js';
import { streamEvents } from '../api/sse.js';
import { readJsonEvents } from '../core/sse.js';
import { summarize, type Summary } from '../core/stats.js';
import { EventSink } from '../workflows/activities/sink.js';

export interface StreamBenchOptions {
  sessions: number;
  tokensPerSession: number;
  /** Delay before each token, in ms: a fixed value or a [min, max] range drawn uniformly per token. */
  paceMs: number | readonly [number, number];
  /** Streams a short unmeasured session through the stack first (JIT, PGlite, sockets). Default true. */
  warmup?: boolean;
  /** How long clients may keep waiting after the last token was sent. Default 15 s. */
  drainTimeoutMs?: number;
}

export type LatencyStats = Summary;

export interface DeliveryCheck {
  sent: number;
  received: number;
  /** Sent tokens that never arrived. */
  lost: number;
  /** Arrivals beyond the first of the same token. */
  duplicates: number;
  /** Sessions whose received tokens differ from the sent sequence (order, loss or repeats). */
  sessionsOutOfOrder: number;
}

export interface StreamBenchResult {
  sessions: number;
  tokensPerSession: number;
  paceMs: readonly [number, number];
  /** Mean measured gap between consecutive tokens of one session (timers overshoot the requested pace). */
  achievedPaceMs: number;
  stack: LatencyStats & DeliveryCheck;
  bare: LatencyStats & DeliveryCheck;
  /** Stack latency split at the bus publish: send -> appended (sink wait + PGlite), publish -> client (bus, SSE, HTTP, parse). */
  breakdown: { toPublish: LatencyStats; publishToClient: LatencyStats };
  /** Event loop during the measured stack run: delay percentiles (ms) and utilisation (0..1). */
  eventLoop: { delayP50: number; delayP99: number; delayMax: number; utilization: number };
  /** stack / bare, for p50 and p95. */
  ratio: { p50: number; p95: number };
  /** stack - bare, in ms. */
  added: { p50: number; p95: number };
}

/** One clock for producer and client: both run in this process. */
const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const stats = (samples: number[]): LatencyStats => summarize(samples);

/** Compares what each session sent with what its consumer received, in order. */
function check(sent: string[][], received: string[][]): DeliveryCheck {
  let lost = 0;
  let duplicates = 0;
  let sessionsOutOfOrder = 0;
  let total = 0;
  let got = 0;
  sent.forEach((texts, i) => {
    const arrived = received[i] ?? [];
    total += texts.length;
    got += arrived.length;
    const counts = new Map<string, number>();
    for (const t of arrived) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const t of texts) if (!counts.has(t)) lost++;
    for (const c of counts.values()) if (c > 1) duplicates += c - 1;
    const same = texts.length === arrived.length && texts.every((t, n) => arrived[n] === t);
    if (!same) sessionsOutOfOrder++;
  });
  return { sent: total, received: got, lost, duplicates, sessionsOutOfOrder };
}

function pacer(paceMs: readonly [number, number]): () => number {
  const [lo, hi] = paceMs;
  return () => lo + Math.random() * (hi - lo);
}

/** The scripted model: emits one token event per pace, its text the send timestamp. */
async function scriptedModel(
  tokens: number,
  nextPace: () => number,
  emit: (event: SessionEvent) => void,
  sentTexts: string[],
  sendTimes: number[],
): Promise<void> {
  for (let i = 0; i < tokens; i++) {
    await sleep(nextPace());
    const t = now();
    const text = `${t.toFixed(3)} `;
    sentTexts.push(text);
    sendTimes.push(t);
    emit({ type: 'token', node: 'critique', text });
  }
}

/** Unbounded single-consumer async queue: the bare in-process stream. */
class AsyncQueue<T> {
  private items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private done = false;
  push(item: T): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: item, done: false });
    } else this.items.push(item);
  }
  end(): void {
    this.done = true;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      if (this.items.length > 0) yield this.items.shift()!;
      else if (this.done) return;
      else {
        const r = await new Promise<IteratorResult<T>>((resolve) => (this.waiting = resolve));
        if (r.done) return;
        yield r.value;
      }
    }
  }
}

interface RunOutcome {
  sent: string[][];
  received: string[][];
  latencies: number[];
  sendTimes: number[][];
}

async function runBare(sessions: number, tokens: number, pace: () => number): Promise<RunOutcome> {
  const sent: string[][] = [];
  const received: string[][] = [];
  const sendTimes: number[][] = [];
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: sessions }, async (_, s) => {
      const queue = new AsyncQueue<SessionEvent>();
      sent[s] = [];
      received[s] = [];
      sendTimes[s] = [];
      const consumer = (async () => {
        for await (const event of queue) {
          if (event.type !== 'token') continue;
          const latency = now() - Number.parseFloat(event.text);
          received[s]!.push(event.text);
          latencies.push(latency);
        }
      })();
      await scriptedModel(tokens, pace, (e) => queue.push(e), sent[s]!, sendTimes[s]!);
      queue.end();
      await consumer;
    }),
  );
  return { sent, received, latencies, sendTimes };
}

/** Reads one session's SSE stream until it ends (or is aborted), recording token texts and latencies. */
async function readSse(
  body: ReadableStream<Uint8Array>,
  onToken: (text: string, latency: number) => void,
  onId: (id: number) => void,
): Promise<void> {
  try {
    for await (const e of readJsonEvents<SessionEvent>(body)) {
      onId(e.id);
      if (e.data.type === 'token') onToken(e.data.text, now() - Number.parseFloat(e.data.text));
    }
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
  }
}

/** The in-process bus, noting when each token event was published (i.e. its append committed). */
class TimingBus implements EventBus {
  private readonly inner = new InProcessBus();
  readonly publishedAt = new Map<string, number>();
  publish(sessionId: string, events: StoredEvent[]): void {
    const t = now();
    for (const e of events) if (e.event.type === 'token') this.publishedAt.set(e.event.text, t);
    this.inner.publish(sessionId, events);
  }
  subscribe(sessionId: string, onEvents: (events: StoredEvent[] | null) => void): () => void {
    return this.inner.subscribe(sessionId, onEvents);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

interface Stack {
  log: EventLog;
  bus: TimingBus;
  baseUrl: string;
  close(): Promise<void>;
}

async function startStack(): Promise<Stack> {
  const database = await openDatabase({ databaseUrl: '', dataDir: ':memory:' });
  const bus = new TimingBus();
  const log = new EventLog(database.db, bus);
  const app = express();
  app.get('/s/:id/events', (req, res) => {
    streamEvents({ req, res, stream: req.params.id, afterId: 0, log, heartbeatMs: 15_000 });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    log,
    bus,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await log.bus.close();
      await database.close();
    },
  };
}

let runCounter = 0;

async function runStack(
  stack: Stack,
  sessions: number,
  tokens: number,
  pace: () => number,
  drainTimeoutMs: number,
): Promise<RunOutcome & { idsNotIncreasing: number; arrivals: Map<string, number> }> {
  const run = `${process.pid}-${++runCounter}`;
  const sent: string[][] = [];
  const received: string[][] = [];
  const sendTimes: number[][] = [];
  const latencies: number[] = [];
  let idsNotIncreasing = 0;
  const arrivals = new Map<string, number>();
  const abort = new AbortController();

  // Connect every client first: once the response headers arrive, the endpoint has subscribed to the bus.
  const clients = await Promise.all(
    Array.from({ length: sessions }, async (_, s) => {
      const sessionId = `bench-${run}-${s}`;
      sent[s] = [];
      received[s] = [];
      sendTimes[s] = [];
      const res = await fetch(`${stack.baseUrl}/s/${sessionId}/events`, {
        headers: { accept: 'text/event-stream' },
        signal: abort.signal,
      });
      if (!res.ok || !res.body) throw new Error(`SSE connect failed: ${res.status}`);
      let lastId = 0;
      const reading = readSse(
        res.body,
        (text, latency) => {
          received[s]!.push(text);
          latencies.push(latency);
          arrivals.set(text, Number.parseFloat(text) + latency);
        },
        (id) => {
          if (id <= lastId) idsNotIncreasing++;
          lastId = id;
        },
      );
      return { sessionId, reading };
    }),
  );

  await Promise.all(
    clients.map(async ({ sessionId }, s) => {
      const sink = new EventSink(stack.log, sessionId, `bench:${sessionId}`);
      await scriptedModel(tokens, pace, (e) => sink.emit(e), sent[s]!, sendTimes[s]!);
      // The terminal state makes the endpoint send `event: end` and close the stream.
      sink.emit({ type: 'state', status: 'completed', round: 1 });
      await sink.close();
    }),
  );

  const timer = setTimeout(() => abort.abort(), drainTimeoutMs);
  try {
    await Promise.all(clients.map((c) => c.reading));
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return { sent, received, latencies, sendTimes, idsNotIncreasing, arrivals };
}

function meanGap(sendTimes: number[][]): number {
  let sum = 0;
  let n = 0;
  for (const times of sendTimes)
    for (let i = 1; i < times.length; i++) {
      sum += times[i]! - times[i - 1]!;
      n++;
    }
  return n ? sum / n : NaN;
}

export async function runStreamBench(opts: StreamBenchOptions): Promise<StreamBenchResult> {
  const paceMs: readonly [number, number] =
    typeof opts.paceMs === 'number' ? [opts.paceMs, opts.paceMs] : opts.paceMs;
  const pace = pacer(paceMs);
  const drainTimeoutMs = opts.drainTimeoutMs ?? 15_000;

  const bare = await runBare(opts.sessions, opts.tokensPerSession, pace);

  const stack = await startStack();
  try {
    if (opts.warmup ?? true) await runStack(stack, 1, 20, pace, drainTimeoutMs);
    stack.bus.publishedAt.clear();
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    const elu0 = perf.eventLoopUtilization();
    const measured = await runStack(stack, opts.sessions, opts.tokensPerSession, pace, drainTimeoutMs);
    const elu = perf.eventLoopUtilization(elu0);
    loopDelay.disable();
    const toPublish: number[] = [];
    const publishToClient: number[] = [];
    for (const [text, arrived] of measured.arrivals) {
      const published = stack.bus.publishedAt.get(text);
      if (published === undefined) continue;
      toPublish.push(published - Number.parseFloat(text));
      publishToClient.push(arrived - published);
    }
    const stackStats = stats(measured.latencies);
    const bareStats = stats(bare.latencies);
    const stackCheck = check(measured.sent, measured.received);
    // An id that does not increase is a repeat or reorder on the wire even if the texts look right.
    stackCheck.sessionsOutOfOrder += measured.idsNotIncreasing > 0 ? 1 : 0;
    return {
      sessions: opts.sessions,
      tokensPerSession: opts.tokensPerSession,
      paceMs,
      achievedPaceMs: meanGap(measured.sendTimes),
      stack: { ...stackStats, ...stackCheck },
      bare: { ...bareStats, ...check(bare.sent, bare.received) },
      breakdown: { toPublish: stats(toPublish), publishToClient: stats(publishToClient) },
      eventLoop: {
        delayP50: loopDelay.percentile(50) / 1e6,
        delayP99: loopDelay.percentile(99) / 1e6,
        delayMax: loopDelay.max / 1e6,
        utilization: elu.utilization,
      },
      ratio: { p50: stackStats.p50 / bareStats.p50, p95: stackStats.p95 / bareStats.p95 },
      added: { p50: stackStats.p50 - bareStats.p50, p95: stackStats.p95 - bareStats.p95 },
    };
  } finally {
    await stack.close();
  }
}

// ---- CLI ----

const fmt = (ms: number) => (ms < 1 ? ms.toFixed(3) : ms.toFixed(1));
const pad = (s: string, n: number) => s.padStart(n);

function printTable(results: StreamBenchResult[]): void {
  const head = ['scenario', 'path', 'tokens', 'recv', 'p50', 'p95', 'p99', 'max'];
  const widths = [10, 18, 7, 7, 8, 8, 8, 8];
  const row = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : pad(c, widths[i]!))).join(' ');
  console.log(row(head));
  console.log(row(widths.map((w) => '-'.repeat(w))));
  for (const r of results) {
    const name = `${r.sessions} × ${r.tokensPerSession}`;
    const line = (path: string, s: LatencyStats, sent: number | string, recv: number | string) =>
      console.log(
        row([name, path, String(sent), String(recv), fmt(s.p50), fmt(s.p95), fmt(s.p99), fmt(s.max)]),
      );
    line('stack (SSE)', r.stack, r.stack.sent, r.stack.received);
    line('bare (queue)', r.bare, r.bare.sent, r.bare.received);
    line('  send->appended', r.breakdown.toPublish, r.breakdown.toPublish.count, '-');
    line('  appended->client', r.breakdown.publishToClient, r.breakdown.publishToClient.count, '-');
  }
  console.log(
    '(latencies in ms. Stack rows split each token at the bus publish: send->appended = EventSink wait +',
  );
  console.log(' PGlite append; appended->client =');
  console.log(' bus + SSE write + HTTP + client parse. Percentiles of parts do not add up to the whole.)');
}

async function main(): Promise<void> {
  const pace: readonly [number, number] = [10, 20];
  const scenarios = [
    { sessions: 1, tokensPerSession: 600 },
    { sessions: 20, tokensPerSession: 100 },
  ];
  console.log('Stream latency: model token -> EventSink -> EventLog (in-memory PGlite) -> InProcessBus');
  console.log('                -> streamEvents over HTTP on 127.0.0.1 -> fetch client parsing SSE');
  console.log(
    `Scripted model: one token every ${pace[0]}-${pace[1]} ms per session (uniform jitter; a fast LLM), ` +
      'send time stamped in the token text; client and server share one process and clock.',
  );
  console.log(
    'Batching: EventSink writes at once while the log is idle; tokens emitted during a write travel together in the next one.',
  );
  console.log(
    'PGlite is WASM on the main thread, so DB work, HTTP and the clients share one event loop here.\n',
  );

  const results: StreamBenchResult[] = [];
  for (const s of scenarios) results.push(await runStreamBench({ ...s, paceMs: pace }));

  printTable(results);
  console.log('');
  for (const r of results) {
    console.log(
      `${r.sessions} × ${r.tokensPerSession}: achieved pace ${r.achievedPaceMs.toFixed(1)} ms/token; ` +
        `added latency p50 ${fmt(r.added.p50)} ms, p95 ${fmt(r.added.p95)} ms; ` +
        `ratio stack/bare p50 ${r.ratio.p50.toFixed(0)}×, p95 ${r.ratio.p95.toFixed(0)}× ` +
        `(bare is sub-ms, so the ratio is large by construction; the added ms is the meaningful figure); ` +
        `event loop during stack run: delay p50 ${fmt(r.eventLoop.delayP50)} / p99 ${fmt(r.eventLoop.delayP99)} / ` +
        `max ${fmt(r.eventLoop.delayMax)} ms, utilisation ${(r.eventLoop.utilization * 100).toFixed(0)}%`,
    );
  }

  const at20 = results.find((r) => r.sessions === 20)!;
  const pass = at20.stack.p50 < 25 && at20.stack.p95 < 100;
  console.log(
    `\ntarget: p50 < 25 ms, p95 < 100 ms at 20 sessions — ${pass ? 'PASS' : 'FAIL'} ` +
      `(p50 ${fmt(at20.stack.p50)} ms, p95 ${fmt(at20.stack.p95)} ms)`,
  );

  let broken = false;
  for (const r of results) {
    for (const [path, c] of [
      ['stack', r.stack],
      ['bare', r.bare],
    ] as const) {
      if (c.lost > 0 || c.duplicates > 0 || c.received < c.sent) {
        broken = true;
        console.log(
          `DELIVERY ERROR ${r.sessions} × ${r.tokensPerSession} ${path}: sent ${c.sent}, received ${c.received}, ` +
            `lost ${c.lost}, duplicates ${c.duplicates}, sessions out of order ${c.sessionsOutOfOrder}`,
        );
      } else if (c.sessionsOutOfOrder > 0) {
        console.log(
          `WARNING ${r.sessions} × ${r.tokensPerSession} ${path}: ${c.sessionsOutOfOrder} session(s) out of order`,
        );
      }
    }
  }
  console.log(
    broken ? 'delivery: tokens lost or repeated' : 'delivery: every token arrived exactly once, in order',
  );
  process.exitCode = broken ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
