// The real Prometheus (Debian) with observability/prometheus.yml and alerts.yml scraping the real API
// and a worker that exposes the Temporal SDK's metrics: after a practice round, every dashboard panel's
// PromQL and every alert's signal returns series. promtool checks the config and unit-tests the alerts.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDashboards } from '../../observability/grafana/dashboards.js';
import { ANSWER, apiClient, createReadyJob } from '../support/client.js';
import { freePort, requireCommands, waitFor } from '../support/processes.js';
import { smallPanel } from '../support/panel.js';
import { speak } from '../support/speech.js';
import { startStack, type TestStack } from '../support/stack.js';
import { ROOT, startPrometheus, type Prometheus } from './support.js';

const OBS = path.join(ROOT, 'observability');
/** Grafana's `$__rate_interval` is at least four scrapes; with 1 s scrapes a minute is plenty. */
const RATE_WINDOW = '1m';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
}
const rules = (
  parse(readFileSync(path.join(OBS, 'alerts.yml'), 'utf8')) as { groups: { name: string; rules: Rule[] }[] }
).groups.flatMap((g) => g.rules);

interface Panel {
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: { expr: string; refId: string; datasource?: { uid: string } }[];
}
const dashboardFiles = ['interview-helper-api.json', 'interview-helper-worker.json'];
const panels = dashboardFiles.flatMap((f) =>
  (
    JSON.parse(readFileSync(path.join(OBS, 'grafana/dashboards', f), 'utf8')) as { panels: Panel[] }
  ).panels.map((p) => ({ file: f, ...p })),
);
const queries = panels.flatMap((p) =>
  (p.targets ?? []).map((t) => ({
    name: `${p.file} / ${p.title} / ${t.refId}`,
    expr: t.expr.replaceAll('$__rate_interval', RATE_WINDOW),
  })),
);

/** `<signal> <op> <number>` -> the signal. */
function signalOf(expr: string): string {
  const m = /^([\s\S]*?)\s*(>=|<=|==|!=|>|<)\s*(-?[\d.]+)\s*$/.exec(expr.trim());
  if (!m) throw new Error(`alert expression is not "<signal> <op> <threshold>": ${expr}`);
  return m[1]!;
}

function promtool(...args: string[]) {
  return spawnSync('promtool', args, { cwd: OBS, encoding: 'utf8' });
}

let stack: TestStack;
let prometheus: Prometheus;

beforeAll(async () => {
  requireCommands('prometheus', 'promtool');
  const workerMetricsPort = await freePort();
  stack = await startStack({ WORKER_METRICS_PORT: String(workerMetricsPort) });
  const api = new URL(stack.baseUrl).host;
  const worker = `127.0.0.1:${workerMetricsPort}`;
  await waitFor('worker metrics', async () => (await fetch(`http://${worker}/metrics`)).ok, 30_000);
  prometheus = await startPrometheus({ 'interview-helper-api': [api], 'interview-helper-worker': [worker] });

  // Traffic: a job ingested, a full practice round to the end with a stream open, a few 404s.
  const client = apiClient(stack.baseUrl);
  const jobId = await createReadyJob(client);
  const { json } = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'text',
    rounds: 1,
  });
  const question = await client.events(json.id, { until: (e) => e.data.type === 'question' });
  await client.call('POST', `/api/sessions/${json.id}/answers`, {
    text: ANSWER,
    turnId: question.at(-1)!.data.turnId,
  });
  await client.events(json.id, { until: (e) => e.data.type === 'state' && e.data.status === 'reviewing' });
  await client.call('POST', `/api/sessions/${json.id}/next`);
  await client.events(json.id, { until: (e) => e.data.type === 'state' && e.data.status === 'completed' });
  for (let i = 0; i < 3; i++) await client.call('GET', '/api/sessions/no-such-session');

  // A mock panel interview to its debrief (a small custom panel: three questions or a few more).
  await client.call('POST', '/api/panel-templates', smallPanel());
  const panel = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'text',
    rounds: 10,
    panel: 'three-of-us',
  });
  await client.events(panel.json.id, {
    timeoutMs: 120_000,
    until: (e) => {
      if (e.data.type === 'question')
        void client.call('POST', `/api/sessions/${panel.json.id}/answers`, {
          text: ANSWER,
          turnId: e.data.turnId,
        });
      return e.data.type === 'state' && e.data.status === 'completed';
    },
  });

  // Voice: one spoken answer (recognised in the worker), a refused one, and a sentence spoken twice
  // (synthesised, then from the cache).
  const voice = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'voice',
    rounds: 1,
  });
  const asked = await client.events(voice.json.id, { until: (e) => e.data.type === 'question' });
  const postAudio = async (bytes: Buffer) => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(bytes)]), 'answer.webm');
    form.set('turnId', asked.at(-1)!.data.turnId as string);
    return fetch(`${stack.baseUrl}/api/sessions/${voice.json.id}/audio`, { method: 'POST', body: form });
  };
  expect((await postAudio(Buffer.from('%PDF-1.7 not a recording'))).status).toBe(415);
  expect((await postAudio(await readFile(await speak(ANSWER, { format: 'webm' })))).status).toBe(202);
  // Transcription takes its time on a loaded 2-core machine (50 s seen): more than the default 30 s.
  await client.events(voice.json.id, { timeoutMs: 120_000, until: (e) => e.data.type === 'feedback' });
  for (let i = 0; i < 2; i++) {
    const tts = await fetch(
      `${stack.baseUrl}/api/tts?text=${encodeURIComponent('Tell me about a hard trade-off.')}`,
    );
    expect(tts.status).toBe(200);
    await tts.arrayBuffer();
  }

  // A few scrapes after the traffic, so rates over the window see it.
  await waitFor(
    'Prometheus to scrape the round',
    async () => {
      const r = await prometheus.query(
        'temporal_workflow_completed_total{workflow_type="interviewSession"} and on() ih_time_to_first_token_seconds_count{phase="coach"} and on() ih_asr_duration_seconds_count and on() ih_panel_interviews_total',
      );
      return (r.data?.result.length ?? 0) > 0;
    },
    30_000,
  );
  await new Promise((r) => setTimeout(r, 3000));
});
afterAll(async () => {
  await prometheus?.stop();
  await stack?.close();
});

describe('Prometheus config, alerts and dashboards', () => {
  it('promtool accepts the config and the rules, and the alert unit tests pass', () => {
    for (const args of [
      ['check', 'config', 'prometheus.yml'],
      ['check', 'rules', 'alerts.yml'],
      ['test', 'rules', 'alerts.test.yml'],
    ]) {
      const r = promtool(...args);
      expect(r.status, `promtool ${args.join(' ')}\n${r.stdout}${r.stderr}`).toBe(0);
    }
  });

  it('the dashboard files are what dashboards.ts generates, with the provisioned datasource', async () => {
    const rendered = await renderDashboards();
    expect(Object.keys(rendered).sort()).toEqual(dashboardFiles);
    for (const [name, text] of Object.entries(rendered)) {
      expect(readFileSync(path.join(OBS, 'grafana/dashboards', name), 'utf8'), name).toBe(text);
    }
    const datasource = parse(
      readFileSync(path.join(OBS, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
    ) as { datasources: { uid: string }[] };
    const uid = datasource.datasources[0]!.uid;
    for (const p of panels.filter((p) => p.type !== 'row')) {
      expect(p.datasource?.uid, p.title).toBe(uid);
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
    }
  });

  it('scrapes the API and the worker', async () => {
    const res = (await (await fetch(`${prometheus.url}/api/v1/targets`)).json()) as {
      data: { activeTargets: { labels: { job: string }; health: string; lastError: string }[] };
    };
    const jobs = res.data.activeTargets.map((t) => [t.labels.job, t.health, t.lastError]);
    expect(jobs.sort()).toEqual([
      ['interview-helper-api', 'up', ''],
      ['interview-helper-worker', 'up', ''],
    ]);
  });

  it('every dashboard panel query parses and returns series', async () => {
    expect(queries.length).toBeGreaterThan(20);
    const empty: string[] = [];
    for (const q of queries) {
      const r = await prometheus.query(q.expr);
      expect(r.status, `${q.name}: ${r.error}`).toBe('success');
      if ((r.data?.result.length ?? 0) === 0) empty.push(`${q.name}: ${q.expr}`);
    }
    expect(empty).toEqual([]);
  });

  it('every alert expression parses, and its signal returns series', async () => {
    expect(rules.length).toBeGreaterThanOrEqual(10);
    const empty: string[] = [];
    for (const rule of rules) {
      const full = await prometheus.query(rule.expr);
      expect(full.status, `${rule.alert}: ${full.error}`).toBe('success');
      const signal = await prometheus.query(signalOf(rule.expr));
      expect(signal.status, `${rule.alert}: ${signal.error}`).toBe('success');
      if ((signal.data?.result.length ?? 0) === 0) empty.push(`${rule.alert}: ${signalOf(rule.expr)}`);
    }
    expect(empty).toEqual([]);
  });

  it('Prometheus loads and evaluates every rule without error', async () => {
    const res = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as {
      data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] };
    };
    const loaded = res.data.groups.flatMap((g) => g.rules);
    expect(loaded.map((r) => r.name).sort()).toEqual(rules.map((r) => r.alert).sort());
    for (const r of loaded) expect(r.health, `${r.name}: ${r.lastError}`).toBe('ok');
  });
});
