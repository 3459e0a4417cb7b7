// The chaos scenario, shared by the short test (tests/chaos/chaos.test.ts) and the long run
// (`npm run test:chaos`, scripts/chaos.ts): virtual users run text sessions (several rounds, some retries),
// some of them mock panel interviews (three panelists, to the debrief), and ingestions (a job with pasted documents plus an upload) while a loop SIGKILLs and restarts the
// worker, the API and the Temporal dev server. Afterwards it checks, from the database, Chroma and what
// every client saw, that nothing was lost, repeated or reordered. It returns the problems it found.
import { randomUUID } from 'node:crypto';
import { ChromaClient } from 'chromadb';
import { collectionName, indexKey } from '../../ingestion/store.js';
import { ANSWER, JOB, type SseEvent } from '../support/client.js';
import { smallPanel } from '../support/panel.js';
import type { ChaosStack, Part } from '../support/chaos-stack.js';
import { ResilientClient } from '../support/resilient-client.js';

export interface ChaosOptions {
  /** Concurrent virtual users running sessions. */
  users: number;
  /** How many of the users run mock panel interviews (a three-panelist panel) instead of sessions. */
  panels?: number;
  rounds: number;
  /** Each user's sessions run back to back until this much time has passed (at least one each). */
  durationMs: number;
  /** Jobs created (with an upload) while the faults run. */
  ingestions: number;
  /** Pause between two faults, drawn uniformly. */
  faultGapMs: readonly [number, number];
  /** How long a killed part stays down, drawn uniformly. */
  downMs?: readonly [number, number];
  log?: (line: string) => void;
}

export interface ChaosReport {
  sessions: number;
  /** Of them, mock panel interviews. */
  panels: number;
  turns: number;
  events: number;
  ingestions: number;
  chunks: number;
  kills: Record<Part, number>;
  retriedRequests: number;
  reconnects: number;
  elapsedMs: number;
  problems: string[];
}

interface SessionRun {
  id: string;
  rounds: number;
  /** A mock panel: its director decides how many questions, and it ends in scorecards and a debrief. */
  panel?: string;
  /** turnId -> the answer sent for it. */
  answered: Map<string, string>;
  seen: SseEvent[];
  violations: string[];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const between = ([lo, hi]: readonly [number, number]) => lo + Math.random() * (hi - lo);

const NOTES = Array.from(
  { length: 12 },
  (_, i) =>
    `Story ${i + 1}. At CityRide I led a project on rider retention in quarter ${(i % 4) + 1}: I interviewed ` +
    `${10 + i} riders, wrote the requirements with engineering, ran an A/B test on reminders and cut no-shows ` +
    `by ${3 + i}%. What I learned: measure the baseline first and share results with the clinic partners.`,
).join('\n\n');

export async function runChaos(stack: ChaosStack, opts: ChaosOptions): Promise<ChaosReport> {
  const log = opts.log ?? (() => undefined);
  const client = new ResilientClient(stack.apiUrl);
  const problems: string[] = [];
  const started = Date.now();

  // The job the sessions practise for, ready before the faults start.
  const jobId = await createJob(client, 'sessions');
  await waitIngested(client, jobId, problems);
  const panel = opts.panels ? await createPanel(client) : undefined;

  // Every other fault is timed to land while a request is in flight (an answer, a retry, a next or an
  // upload), so the client's retries with the same turnId are exercised, not just the idle restarts.
  let faulting = true;
  let inFlight: (() => void) | undefined;
  client.onRequest = (method, path) => {
    if (method === 'POST' && /\/(answers|retry|next|documents)$/.test(path)) inFlight?.();
  };
  const faults = (async () => {
    // `everything`: all three die; the API and the worker come back while Temporal is still down.
    const parts: (Part | 'everything')[] = [
      'worker',
      'api',
      'temporal',
      'api',
      'worker',
      'temporal',
      'everything',
    ];
    let i = 0;
    while (faulting) {
      await sleep(between(opts.faultGapMs));
      if (!faulting) break;
      const part = parts[i++ % parts.length]!;
      let timing = 'timed';
      if (i % 2 === 0) {
        const sent = await Promise.race([
          new Promise<boolean>((r) => (inFlight = () => r(true))),
          sleep(15_000).then(() => false),
        ]);
        inFlight = undefined;
        if (!faulting) break;
        if (sent) {
          const delay = Math.random() * 15;
          await sleep(delay);
          timing = `${Math.round(delay)} ms into a request`;
        }
      }
      const down = between(opts.downMs ?? [200, 1500]);
      log(`fault ${i}: SIGKILL ${part} (${timing}), down ${Math.round(down)} ms`);
      if (part === 'everything') {
        await Promise.all([stack.kill('temporal'), stack.kill('api'), stack.kill('worker')]);
        await sleep(down);
        await stack.startPart('api');
        await Promise.all([stack.startPart('worker'), sleep(down).then(() => stack.startPart('temporal'))]);
      } else await stack.restart(part, down);
    }
  })();

  const runs: SessionRun[] = [];
  const users = Array.from({ length: opts.users }, async (_, u) => {
    let n = 0;
    do {
      n++;
      // Every other session asks to try a question again once (a panel moves on by itself).
      const asPanel = u < (opts.panels ?? 0) ? panel : undefined;
      runs.push(await runSession(client, jobId, `u${u}s${n}`, opts.rounds, (u + n) % 2, problems, asPanel));
      log(`user ${u}: session ${n} completed`);
    } while (Date.now() - started < opts.durationMs);
  });
  const jobs = Array.from({ length: opts.ingestions }, async (_, i) => {
    await sleep((i * opts.durationMs) / Math.max(1, opts.ingestions) / 2);
    const id = await createJob(client, `ingestion ${i}`);
    await upload(client, id, i, problems);
    return id;
  });
  const settled = await Promise.allSettled([...users, ...jobs]);
  faulting = false;
  await faults;
  for (const s of settled) if (s.status === 'rejected') problems.push(String(s.reason));
  const ingested = settled
    .slice(opts.users)
    .flatMap((s) => (s.status === 'fulfilled' && typeof s.value === 'string' ? [s.value] : []));

  log('faults stopped; checking');
  for (const id of ingested) await waitIngested(client, id, problems);
  const chunks = await checkChunks(stack, client, [jobId, ...ingested], problems);
  let turns = 0;
  let events = 0;
  for (const run of runs) {
    const checked = await checkSession(stack, client, run, problems);
    turns += checked.turns;
    events += checked.events;
  }
  // A document whose ingestion was never started (the API died between saving it and starting the run)
  // would stay pending forever: none may be left behind, including on jobs the clients created twice.
  const stuck = await stack.query<{ id: string; status: string }>(
    `SELECT id, status FROM documents WHERE status NOT IN ('ready', 'failed')`,
  );
  for (const d of stuck) problems.push(`document ${d.id} stayed ${d.status}`);

  const kills = { worker: 0, api: 0, temporal: 0 } as Record<Part, number>;
  for (const k of stack.kills) kills[k.part]++;
  return {
    sessions: runs.length,
    panels: runs.filter((r) => r.panel).length,
    turns,
    events,
    ingestions: ingested.length,
    chunks,
    kills,
    ...client.stats,
    elapsedMs: Date.now() - started,
    problems,
  };
}

/** The panel the panel users are interviewed by; made once (a lost reply's retry finds it made: 409). */
async function createPanel(client: ResilientClient): Promise<string> {
  const template = smallPanel('chaos-panel', 'Chaos panel');
  const res = await client.call('POST', '/api/panel-templates', template);
  if (res.status !== 201 && res.status !== 409)
    throw new Error(`POST /api/panel-templates: ${res.status} ${JSON.stringify(res.json)}`);
  return template.id;
}

async function createJob(client: ResilientClient, label: string): Promise<string> {
  // The key makes a create retried after a lost reply return the first job, not a second one.
  const job = await client.call<{ id: string }>(
    'POST',
    '/api/jobs',
    { ...JOB, title: `${JOB.title} (${label})`, notes: NOTES },
    { headers: { 'idempotency-key': randomUUID() } },
  );
  if (job.status !== 201) throw new Error(`POST /api/jobs: ${job.status} ${JSON.stringify(job.json)}`);
  return job.json.id;
}

async function upload(client: ResilientClient, jobId: string, i: number, problems: string[]) {
  const text = `# Interview notes ${i}\n\n${NOTES}\n\nPersonal note ${i}: practise the metrics story.`;
  const res = await client.call('POST', `/api/jobs/${jobId}/documents`, undefined, {
    form: () => {
      const form = new FormData();
      form.append('kind', 'notes');
      form.append('file', new Blob([text], { type: 'text/markdown' }), `notes-${i}.md`);
      return form;
    },
  });
  if (res.status !== 202) problems.push(`upload to job ${jobId}: ${res.status} ${JSON.stringify(res.json)}`);
}

async function waitIngested(client: ResilientClient, jobId: string, problems: string[]) {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    const docs = await client.call<{ id: string; status: string }[]>('GET', `/api/jobs/${jobId}/documents`);
    const waiting = docs.json.filter((d) => d.status === 'pending' || d.status === 'running');
    if (waiting.length === 0) {
      for (const d of docs.json)
        if (d.status !== 'ready') problems.push(`job ${jobId}: document ${d.id} is ${d.status}`);
      return;
    }
    if (Date.now() > deadline) {
      problems.push(`job ${jobId}: documents still ${waiting.map((d) => d.status).join(', ')} after 5 min`);
      return;
    }
    await sleep(500);
  }
}

/** Chroma holds exactly the chunks each document records: none missing, none twice, none orphaned. */
async function checkChunks(
  stack: ChaosStack,
  client: ResilientClient,
  jobIds: string[],
  problems: string[],
): Promise<number> {
  const meta = await client.call<{ embeddings: { model: string } }>('GET', '/api/meta');
  const url = new URL(stack.env.CHROMA_URL!);
  const chroma = new ChromaClient({ host: url.hostname, port: Number(url.port) });
  let total = 0;
  for (const jobId of jobIds) {
    const docs = await stack.query<{ id: string; chunks: number }>(
      'SELECT id, chunks FROM documents WHERE job_id = $1',
      [jobId],
    );
    const collection = await chroma.getCollection({
      name: collectionName(indexKey(jobId, 1), meta.json.embeddings.model),
    });
    const all = await collection.get({ include: [] });
    const ids = all.ids;
    if (new Set(ids).size !== ids.length) problems.push(`job ${jobId}: Chroma holds a chunk id twice`);
    for (const d of docs) {
      const mine = ids.filter((id) => id.startsWith(`${d.id}:`)).length;
      if (mine !== d.chunks)
        problems.push(`job ${jobId}: document ${d.id} records ${d.chunks} chunks, Chroma holds ${mine}`);
      total += d.chunks;
    }
    const recorded = docs.reduce((n, d) => n + d.chunks, 0);
    if (ids.length !== recorded)
      problems.push(`job ${jobId}: Chroma holds ${ids.length} chunks, the documents record ${recorded}`);
  }
  return total;
}

async function runSession(
  client: ResilientClient,
  jobId: string,
  label: string,
  rounds: number,
  retries: number,
  problems: string[],
  panel?: string,
): Promise<SessionRun> {
  // A panel's rounds only cap its questions: enough for its director to end it.
  if (panel) rounds = 10;
  const created = await client.call<{ id: string }>(
    'POST',
    '/api/sessions',
    { jobId, module: 'behavioral', mode: 'text', rounds, ...(panel && { panel }) },
    { headers: { 'idempotency-key': randomUUID() } },
  );
  if (created.status !== 201)
    throw new Error(`POST /api/sessions: ${created.status} ${JSON.stringify(created.json)}`);
  const id = created.json.id;
  const answered = new Map<string, string>();
  let retriesLeft = retries;
  // One action at a time, in the order the events asked for them, as a user would.
  let actions: Promise<void> = Promise.resolve();
  const act = (work: () => Promise<void>) => {
    actions = actions.then(work).catch((err: unknown) => {
      problems.push(`session ${id} (${label}): ${String(err)}`);
    });
  };
  const post = async (what: string, body?: unknown) => {
    const res = await client.call('POST', `/api/sessions/${id}/${what}`, body);
    // A 409 after a lost reply means the first attempt was applied (retry and next carry no key);
    // an answer carries its turnId, so its retry must be accepted as the same answer.
    if (res.status === 202 || (res.status === 409 && res.attempts > 1 && what !== 'answers')) return;
    problems.push(
      `session ${id} (${label}): POST ${what} -> ${res.status} after ${res.attempts} attempt(s): ${JSON.stringify(res.json)}`,
    );
  };
  const stream = client.follow(`/api/sessions/${id}/events`, (e) => {
    if (e.data.type === 'question') {
      const turnId = String(e.data.turnId);
      const text = `${ANSWER} (${label}, answer ${answered.size + 1})`;
      answered.set(turnId, text);
      act(() => post('answers', { text, turnId }));
    } else if (e.data.type === 'state' && e.data.status === 'reviewing') {
      const retry = retriesLeft > 0;
      if (retry) retriesLeft--;
      act(() => post(retry ? 'retry' : 'next'));
    }
  });
  const timeout = sleep(10 * 60_000).then(() => 'timeout' as const);
  if ((await Promise.race([stream.done.then(() => 'done' as const), timeout])) === 'timeout') {
    stream.stop();
    problems.push(
      `session ${id} (${label}): did not complete in 10 min; last event ${JSON.stringify(stream.events.at(-1))}`,
    );
  }
  await actions;
  return {
    id,
    rounds,
    ...(panel && { panel }),
    answered,
    seen: stream.events,
    violations: stream.violations,
  };
}

interface TurnView {
  id: string;
  round: number;
  answer?: string;
  probeOf?: string;
  retryOf?: string;
  feedback?: { critique: string };
}

async function checkSession(
  stack: ChaosStack,
  client: ResilientClient,
  run: SessionRun,
  problems: string[],
): Promise<{ turns: number; events: number }> {
  const say = (m: string) => problems.push(`session ${run.id}: ${m}`);
  const session = await client.call<{
    status: string;
    turns: TurnView[];
    panel?: { scorecards?: unknown[]; debrief?: unknown; endReason?: string };
  }>('GET', `/api/sessions/${run.id}`);
  const { status, turns } = session.json;
  if (status !== 'completed') say(`status ${status}, not completed`);

  // Exactly the turns answered: each asked once, each answer saved as sent, none lost, none extra.
  const ids = turns.map((t) => t.id);
  if (new Set(ids).size !== ids.length) say('a turn appears twice');
  if (turns.length !== run.answered.size)
    say(`${turns.length} turns saved, ${run.answered.size} questions answered`);
  for (const t of turns) {
    const sent = run.answered.get(t.id);
    if (sent === undefined) say(`turn ${t.id} was never asked to the client`);
    else if (t.answer !== sent)
      say(`turn ${t.id}: saved answer ${JSON.stringify(t.answer)} is not the one sent`);
    if (!t.probeOf && !t.feedback) say(`turn ${t.id} has no feedback`);
  }
  const lastRound = Math.max(0, ...turns.map((t) => t.round));
  if (!run.panel && lastRound !== run.rounds) say(`reached round ${lastRound} of ${run.rounds}`);
  if (run.panel) {
    const p = session.json.panel;
    if (!p?.debrief) say('the panel ended without its debrief');
    if (p?.endReason === 'rounds_used') say('the panel ran out of rounds: its director never ended it');
  }

  // The log: ids 1..n, and each question and feedback once.
  const log = await stack.query<{ seq: string; key: string; data: SseEvent['data'] }>(
    'SELECT seq, key, data FROM session_events WHERE session_id = $1 ORDER BY seq',
    [run.id],
  );
  log.forEach((row, i) => {
    if (Number(row.seq) !== i + 1) say(`event log has id ${row.seq} at position ${i + 1}`);
  });
  const once = (type: string) => {
    const turnIds = log.filter((r) => r.data.type === type).map((r) => String(r.data.turnId));
    if (new Set(turnIds).size !== turnIds.length) say(`a ${type} event appears twice for one turn`);
    return new Set(turnIds);
  };
  // A panel's debrief once, and each panelist's scorecard once.
  if (run.panel) {
    const cards = log.filter((r) => r.data.type === 'scorecard');
    const ids = cards.map((r) => (r.data.scorecard as { panelistId: string }).panelistId);
    if (new Set(ids).size !== ids.length) say('a panelist’s scorecard event appears twice');
    if (ids.length !== (session.json.panel?.scorecards?.length ?? 0))
      say(`${ids.length} scorecard events for ${session.json.panel?.scorecards?.length ?? 0} stored`);
    const debriefs = log.filter((r) => r.data.type === 'panel_debrief').length;
    if (debriefs !== 1) say(`${debriefs} panel_debrief events`);
  }
  const questions = once('question');
  const feedbacks = once('feedback');
  if (questions.size !== turns.length) say(`${questions.size} question events for ${turns.length} turns`);
  if (feedbacks.size !== turns.filter((t) => !t.probeOf).length)
    say(`${feedbacks.size} feedback events for ${turns.filter((t) => !t.probeOf).length} coached turns`);
  // Each critique streamed exactly once: the tokens since the turn's `coaching` state spell the saved text.
  let critique = '';
  for (const { data } of log) {
    if (data.type === 'state' && data.status === 'coaching') critique = '';
    else if (data.type === 'token' && data.node === 'critique') critique += String(data.text);
    else if (data.type === 'feedback') {
      const saved = turns.find((t) => t.id === data.turnId)?.feedback?.critique;
      if (saved !== undefined && critique.trim() !== saved)
        say(`turn ${String(data.turnId)}: the streamed critique differs from the saved one`);
    }
  }

  // The client, across all its reconnects, saw the log exactly: every event once, in order.
  for (const v of run.violations) say(v);
  const seen = run.seen.map((e) => `${e.id} ${JSON.stringify(e.data)}`);
  const stored = log.map((r) => `${r.seq} ${JSON.stringify(r.data)}`);
  if (seen.length !== stored.length || seen.some((s, i) => s !== stored[i])) {
    const at = seen.findIndex((s, i) => s !== stored[i]);
    say(
      `the client saw ${seen.length} events, the log has ${stored.length}; first difference at ${at}: ` +
        `${seen[at] ?? '(none)'} vs ${stored[at] ?? '(none)'}`,
    );
  }
  return { turns: turns.length, events: log.length };
}
