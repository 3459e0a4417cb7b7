// The Grafana dashboards, as code: `npx tsx observability/grafana/dashboards.ts` writes
// observability/grafana/dashboards/*.json (provisioned into Grafana by compose.yaml). The production
// test checks the files match this source and runs every panel's PromQL against the real Prometheus.
// `$__rate_interval` is Grafana's; the test substitutes a window for it.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';

export const DATASOURCE = { type: 'prometheus', uid: 'prometheus' } as const;

interface Target {
  expr: string;
  legend: string;
}

interface PanelSpec {
  title: string;
  description?: string;
  unit: string;
  targets: Target[];
  kind?: 'timeseries' | 'stat';
  /** Width in grid columns (24 per row); 8 by default. */
  w?: number;
}

type Section = { row: string; panels: PanelSpec[] };

const SSE = 'route="/api/sessions/:id/events"';
const rate = (metric: string, selector = '') =>
  `rate(${metric}${selector ? `{${selector}}` : ''}[$__rate_interval])`;
const quantile = (q: number, bucket: string, by: string[] = [], selector = '') =>
  `histogram_quantile(${q}, sum by (${['le', ...by].join(', ')}) (${rate(bucket, selector)}))`;

const apiSections: Section[] = [
  {
    row: 'Traffic',
    panels: [
      {
        title: 'Requests per second by route',
        unit: 'reqps',
        targets: [
          {
            expr: `sum by (route) (${rate('ih_http_request_duration_seconds_count')})`,
            legend: '{{route}}',
          },
        ],
      },
      {
        title: 'Error rate (5xx share of requests)',
        description: 'Counters for 5xx answers exist from the first one on: 0 until then.',
        unit: 'percentunit',
        targets: [
          {
            expr: `(sum(${rate('ih_http_request_duration_seconds_count', 'status=~"5.."')}) or vector(0)) / sum(${rate('ih_http_request_duration_seconds_count')})`,
            legend: '5xx share',
          },
        ],
      },
      {
        title: 'Answers by status class',
        unit: 'reqps',
        targets: [
          {
            expr: `sum by (status) (label_replace(${rate('ih_http_request_duration_seconds_count')}, "status", "\${1}xx", "status", "(.).."))`,
            legend: '{{status}}',
          },
        ],
      },
    ],
  },
  {
    row: 'Latency',
    panels: [
      {
        title: 'Request latency (SSE excluded)',
        unit: 's',
        targets: [0.5, 0.95, 0.99].map((q) => ({
          expr: quantile(q, 'ih_http_request_duration_seconds_bucket', [], SSE.replace('=', '!=')),
          legend: `p${q * 100}`,
        })),
      },
      {
        title: 'p95 latency by route',
        unit: 's',
        targets: [
          {
            expr: quantile(
              0.95,
              'ih_http_request_duration_seconds_bucket',
              ['route'],
              SSE.replace('=', '!='),
            ),
            legend: '{{route}}',
          },
        ],
      },
      {
        title: 'Event loop lag p99',
        unit: 's',
        targets: [
          {
            expr: 'max by (job, instance) (nodejs_eventloop_lag_p99_seconds)',
            legend: '{{job}} {{instance}}',
          },
        ],
      },
    ],
  },
  {
    row: 'Streaming',
    panels: [
      {
        title: 'Time to first token',
        description: 'From a coach graph run start to its first streamed token, by phase (ask, coach).',
        unit: 's',
        targets: [0.5, 0.95].map((q) => ({
          expr: quantile(q, 'ih_time_to_first_token_seconds_bucket', ['phase']),
          legend: `p${q * 100} {{phase}}`,
        })),
      },
      {
        title: 'Open event streams',
        unit: 'short',
        kind: 'stat',
        targets: [{ expr: 'sum(ih_sse_active_streams)', legend: 'streams' }],
      },
      {
        title: 'Tokens per second by node',
        unit: 'short',
        targets: [{ expr: `sum by (node) (${rate('ih_llm_tokens_total')})`, legend: '{{node}}' }],
      },
      {
        title: 'Session events appended per second',
        unit: 'short',
        targets: [{ expr: `sum(${rate('ih_session_events_appended_total')})`, legend: 'events' }],
      },
    ],
  },
  {
    row: 'Sessions',
    panels: [
      {
        title: 'Sessions started and answers submitted per minute',
        unit: 'short',
        targets: [
          {
            expr: `60 * sum(${rate('ih_http_request_duration_seconds_count', 'method="POST", route="/api/sessions", status="201"')})`,
            legend: 'sessions started',
          },
          {
            expr: `60 * sum(${rate('ih_http_request_duration_seconds_count', 'method="POST", route="/api/sessions/:id/answers", status="202"')})`,
            legend: 'answers',
          },
        ],
      },
      {
        title: 'Mock panels per hour: started, and decided by outcome',
        description:
          'Panel interviews started (API) and debriefed (worker) by decision; "none" ended before any answer was judged.',
        unit: 'short',
        targets: [
          {
            expr: `3600 * sum(${rate('ih_panel_interviews_started_total')})`,
            legend: 'started',
          },
          {
            expr: `3600 * sum by (outcome) (${rate('ih_panel_interviews_total')})`,
            legend: '{{outcome}}',
          },
        ],
      },
      {
        title: 'Mock panel questions per minute by panelist role',
        description: 'Who gets the floor: a role that never asks points at a director or template problem.',
        unit: 'short',
        targets: [
          {
            expr: `60 * sum by (role, follow_up) (${rate('ih_panel_questions_total')})`,
            legend: '{{role}} follow-up={{follow_up}}',
          },
          {
            // A panel with no tough panelist never cuts in: 0, not "no data".
            expr: `60 * sum by (role) (${rate('ih_panel_interruptions_total')}) or vector(0)`,
            legend: '{{role}} cut in',
          },
        ],
      },
      {
        title: 'Session workflows completed per minute',
        description: 'Includes continue-as-new of long sessions.',
        unit: 'short',
        targets: [
          {
            expr: `60 * sum(${rate('temporal_workflow_completed_total', 'workflow_type="interviewSession"')})`,
            legend: 'completed',
          },
        ],
      },
      {
        title: 'Coach activity latency p95',
        unit: 's',
        targets: [
          {
            expr: quantile(
              0.95,
              'temporal_activity_execution_latency_bucket',
              ['activity_type'],
              'workflow_type="interviewSession"',
            ),
            legend: '{{activity_type}}',
          },
        ],
      },
    ],
  },
  {
    row: 'Peer review',
    panels: [
      {
        title: 'Review requests per hour by audience',
        description:
          'named: accounts invited; link: anyone with the share link; both. 0 until the first request.',
        unit: 'short',
        targets: [
          {
            expr: `3600 * sum by (audience) (${rate('ih_review_requests_total')}) or vector(0)`,
            legend: '{{audience}}',
          },
        ],
      },
      {
        title: 'Review turnaround',
        description: 'From the request to each review submitted for it.',
        unit: 's',
        targets: [
          { expr: quantile(0.5, 'ih_review_turnaround_seconds_bucket'), legend: 'p50' },
          { expr: quantile(0.9, 'ih_review_turnaround_seconds_bucket'), legend: 'p90' },
        ],
      },
      {
        title: 'Review claims expired per hour',
        description:
          'A reviewer held a seat and submitted nothing in time: the seat was freed for someone else.',
        unit: 'short',
        targets: [
          { expr: `3600 * sum(${rate('ih_review_claims_expired_total')}) or vector(0)`, legend: 'expired' },
        ],
      },
      {
        title: 'Review emails per hour',
        description:
          'Notices mailed through SMTP_URL (invitations, reminders, reviews arrived, requests expired); a failed attempt is retried with backoff.',
        unit: 'short',
        targets: [
          {
            expr: `3600 * sum by (outcome) (${rate('ih_review_mails_total')}) or vector(0)`,
            legend: '{{outcome}}',
          },
        ],
      },
    ],
  },
  {
    row: 'Ingestion',
    panels: [
      {
        title: 'Ingestion jobs completed per minute',
        unit: 'short',
        targets: [
          {
            expr: `60 * sum(${rate('temporal_workflow_completed_total', 'workflow_type="ingestJob"')})`,
            legend: 'completed',
          },
        ],
      },
      {
        title: 'Document ingestion latency p95',
        unit: 's',
        targets: [
          {
            expr: quantile(
              0.95,
              'temporal_activity_execution_latency_bucket',
              ['activity_type'],
              'workflow_type="ingestJob"',
            ),
            legend: '{{activity_type}}',
          },
        ],
      },
      {
        title: 'Ingestion failures per minute',
        description: 'Failure counters exist from the first failure on: 0 until then.',
        unit: 'short',
        targets: [
          {
            expr: `60 * sum(${rate('temporal_activity_execution_failed_total', 'workflow_type="ingestJob"')}) or vector(0)`,
            legend: 'activity failures',
          },
          {
            expr: `60 * sum(${rate('temporal_workflow_failed_total', 'workflow_type="ingestJob"')}) or vector(0)`,
            legend: 'workflow failures',
          },
        ],
      },
    ],
  },
  {
    row: 'Voice',
    panels: [
      {
        title: 'Speech synthesis: time to first audio byte',
        description: 'From a /api/tts request to its first byte; a cache hit skips synthesis.',
        unit: 's',
        targets: [
          {
            expr: quantile(0.5, 'ih_tts_time_to_first_byte_seconds_bucket', ['cache']),
            legend: 'p50 {{cache}}',
          },
          {
            expr: quantile(0.95, 'ih_tts_time_to_first_byte_seconds_bucket', ['cache']),
            legend: 'p95 {{cache}}',
          },
        ],
      },
      {
        title: 'Speech cache hit ratio',
        unit: 'percentunit',
        targets: [
          {
            expr: `(sum(${rate('ih_tts_time_to_first_byte_seconds_count', 'cache="hit"')}) or vector(0)) / sum(${rate('ih_tts_time_to_first_byte_seconds_count')})`,
            legend: 'hits',
          },
        ],
      },
      {
        title: 'Spoken answers refused per minute, by reason',
        description:
          'Too large, not audio, corrupt, too long, silence…: counters exist from the first refusal on.',
        unit: 'short',
        targets: [
          { expr: `60 * sum by (reason) (${rate('ih_audio_rejections_total')})`, legend: '{{reason}}' },
        ],
      },
    ],
  },
];

const workerSections: Section[] = [
  {
    row: 'Capacity',
    panels: [
      {
        title: 'Task slots available',
        unit: 'short',
        targets: [
          { expr: 'sum by (worker_type) (temporal_worker_task_slots_available)', legend: '{{worker_type}}' },
        ],
      },
      {
        title: 'Task slots used',
        unit: 'short',
        targets: [
          { expr: 'sum by (worker_type) (temporal_worker_task_slots_used)', legend: '{{worker_type}}' },
        ],
      },
      {
        title: 'Pollers',
        unit: 'short',
        targets: [{ expr: 'sum by (poller_type) (temporal_num_pollers)', legend: '{{poller_type}}' }],
      },
    ],
  },
  {
    row: 'Queues',
    panels: [
      {
        title: 'Workflow task schedule-to-start p95',
        description: 'How long session steps wait for a worker. Rising: add workers.',
        unit: 's',
        targets: [
          {
            expr: quantile(0.95, 'temporal_workflow_task_schedule_to_start_latency_bucket', ['task_queue']),
            legend: '{{task_queue}}',
          },
        ],
      },
      {
        title: 'Activity schedule-to-start p95',
        unit: 's',
        targets: [
          {
            expr: quantile(0.95, 'temporal_activity_schedule_to_start_latency_bucket', ['activity_type']),
            legend: '{{activity_type}}',
          },
        ],
      },
      {
        title: 'Activity execution p95',
        unit: 's',
        targets: [
          {
            expr: quantile(0.95, 'temporal_activity_execution_latency_bucket', ['activity_type']),
            legend: '{{activity_type}}',
          },
        ],
      },
    ],
  },
  {
    row: 'Outcomes',
    panels: [
      {
        title: 'Activities started per second',
        unit: 'short',
        targets: [
          {
            expr: `sum by (activity_type) (${rate('temporal_activity_task_received_total')})`,
            legend: '{{activity_type}}',
          },
        ],
      },
      {
        title: 'Activity failures per second',
        description: 'Failure counters exist from the first failure on: 0 until then.',
        unit: 'short',
        targets: [
          {
            expr: `sum by (activity_type) (${rate('temporal_activity_execution_failed_total')}) or vector(0)`,
            legend: '{{activity_type}}',
          },
        ],
      },
      {
        title: 'Workflows completed per second',
        unit: 'short',
        targets: [
          {
            expr: `sum by (workflow_type) (${rate('temporal_workflow_completed_total')})`,
            legend: '{{workflow_type}}',
          },
        ],
      },
    ],
  },
  {
    row: 'Worker health',
    panels: [
      {
        title: 'Sticky cache size',
        unit: 'short',
        targets: [{ expr: 'sum by (instance) (temporal_sticky_cache_size)', legend: '{{instance}}' }],
      },
      {
        title: 'Requests to the Temporal server p95',
        unit: 's',
        targets: [
          { expr: quantile(0.95, 'temporal_request_latency_bucket', ['operation']), legend: '{{operation}}' },
        ],
      },
      {
        title: 'Scrape targets up',
        unit: 'short',
        kind: 'stat',
        targets: [{ expr: 'sum by (job) (up{job=~"interview-helper-.*"})', legend: '{{job}}' }],
      },
    ],
  },
  {
    row: 'Speech recognition',
    panels: [
      {
        title: 'Transcription time p50 / p95',
        unit: 's',
        targets: [
          { expr: quantile(0.5, 'ih_asr_duration_seconds_bucket', ['engine']), legend: 'p50 {{engine}}' },
          { expr: quantile(0.95, 'ih_asr_duration_seconds_bucket', ['engine']), legend: 'p95 {{engine}}' },
        ],
      },
      {
        title: 'Transcription real-time factor p95',
        description: 'Recognition time over audio length: below 0.5 meets the target on 2 cores.',
        unit: 'short',
        targets: [
          { expr: quantile(0.95, 'ih_asr_real_time_factor_bucket', ['engine']), legend: '{{engine}}' },
        ],
      },
      {
        title: 'Transcriptions failed per minute',
        unit: 'short',
        targets: [{ expr: `60 * sum(${rate('ih_transcriptions_failed_total')})`, legend: 'failed' }],
      },
    ],
  },
];

function panels(sections: Section[]) {
  const out: Record<string, unknown>[] = [];
  let id = 1;
  let y = 0;
  for (const section of sections) {
    out.push({
      id: id++,
      type: 'row',
      title: section.row,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
      panels: [],
    });
    y += 1;
    let x = 0;
    for (const p of section.panels) {
      const w = p.w ?? 8;
      if (x + w > 24) {
        x = 0;
        y += 8;
      }
      const kind = p.kind ?? 'timeseries';
      out.push({
        id: id++,
        type: kind,
        title: p.title,
        ...(p.description && { description: p.description }),
        datasource: DATASOURCE,
        gridPos: { h: 8, w, x, y },
        fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
        options:
          kind === 'stat'
            ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value' }
            : {
                legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
                tooltip: { mode: 'multi' },
              },
        targets: p.targets.map((t, i) => ({
          refId: String.fromCharCode(65 + i),
          datasource: DATASOURCE,
          expr: t.expr,
          legendFormat: t.legend,
        })),
      });
      x += w;
    }
    y += 8;
  }
  return out;
}

function dashboard(uid: string, title: string, description: string, sections: Section[]) {
  return {
    uid,
    title,
    description,
    tags: ['interview-helper'],
    editable: true,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    timezone: 'browser',
    templating: { list: [] },
    annotations: { list: [] },
    panels: panels(sections),
  };
}

/** File name (under grafana/dashboards/) to dashboard JSON model. */
export function dashboards(): Record<string, ReturnType<typeof dashboard>> {
  return {
    'interview-helper-api.json': dashboard(
      'ih-api',
      'Interview Helper: API, streams and sessions',
      'HTTP traffic, errors and latency, time to first token, open streams, sessions and ingestion.',
      apiSections,
    ),
    'interview-helper-worker.json': dashboard(
      'ih-worker',
      'Interview Helper: Temporal worker',
      "The Temporal SDK's worker metrics: slots, pollers, queue waits, activity latency and failures.",
      workerSections,
    ),
  };
}

/** The files as written: JSON, formatted by prettier like the rest of the repo. */
export async function renderDashboards(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, model] of Object.entries(dashboards())) {
    const file = fileURLToPath(new URL(`./dashboards/${name}`, import.meta.url));
    const options = await resolveConfig(file);
    out[name] = await format(JSON.stringify(model), { ...options, plugins: [], filepath: file });
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = fileURLToPath(new URL('./dashboards/', import.meta.url));
  for (const [name, text] of Object.entries(await renderDashboards())) {
    writeFileSync(path.join(dir, name), text);
    console.log(`wrote ${path.join(dir, name)}`);
  }
}
