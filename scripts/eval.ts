// `npm run eval`: scores the labelled answers of tests/fixtures/eval with the coach for the current provider
// and prints how often each score lands in the band a human coach gave it (exact-band agreement) and how far
// it misses otherwise (mean absolute error to the band). Writes the per-answer table to
// test-artifacts/eval-<timestamp>.csv and, when MLFLOW_TRACKING_URI is set, logs the run to MLflow.
//
//   npm run eval
//   npm run eval -- --min-agreement=0.7 --dims=star,impact   exit 1 when any listed dimension is below
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadConfig } from '../core/config.js';
import { SCORE_DIMENSIONS, type ScoreDimension, type Scores } from '../core/types.js';
import type { CoachContext, NodeConfig } from '../agents/context.js';
import { assess as assessNode } from '../agents/nodes/assess.js';
import { PROMPT_VERSION } from '../agents/prompts/index.js';
import { createCoachModel } from '../agents/provider.js';
import { STAR_PARTS, type Assessment } from '../agents/rubric.js';
import type { CoachStateType } from '../agents/state.js';
import { MlflowClient } from '../agents/registry/mlflow.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_FIXTURE = path.join(ROOT, 'tests/fixtures/eval/answers.json');
export const EXPERIMENT_NAME = 'interview-helper-eval';

export const CATEGORIES = ['strong', 'weak', 'rambling', 'no-result', 'off-topic', 'injected'] as const;
export type Category = (typeof CATEGORIES)[number];

const score = z.number().int().min(1).max(5);
const band = z.tuple([score, score]).refine(([lo, hi]) => lo <= hi, 'a band is [lo, hi] with lo <= hi');

export const evalItemSchema = z.object({
  id: z.string().min(1),
  question: z.string().min(1),
  jobDescription: z.string().min(1),
  answer: z.string().min(1),
  category: z.enum(CATEGORIES),
  expected: z.object({ star: band, clarity: band, impact: band, conciseness: band, relevance: band }),
});
export type EvalItem = z.infer<typeof evalItemSchema>;
export type Band = readonly [number, number];

export function loadEvalSet(file = DEFAULT_FIXTURE): EvalItem[] {
  const items = z.array(evalItemSchema).parse(JSON.parse(readFileSync(file, 'utf8')));
  const ids = new Set<string>();
  for (const item of items) {
    if (ids.has(item.id)) throw new Error(`${file}: duplicate id ${item.id}`);
    ids.add(item.id);
  }
  return items;
}

/** 0 inside the band, else the distance to its nearest edge. */
export const bandError = (value: number, [lo, hi]: Band): number =>
  value < lo ? lo - value : value > hi ? value - hi : 0;

export interface EvalRow {
  item: EvalItem;
  scores: Scores;
  starFound: string[];
  words: number;
}

export interface DimStats {
  n: number;
  agreement: number;
  mae: number;
}
export type StatsByDim = Record<ScoreDimension | 'all', DimStats>;

export function summarise(rows: EvalRow[]): StatsByDim {
  const stats = (pairs: { value: number; band: Band }[]): DimStats => ({
    n: pairs.length,
    agreement: pairs.length ? pairs.filter((p) => bandError(p.value, p.band) === 0).length / pairs.length : 0,
    mae: pairs.length ? pairs.reduce((s, p) => s + bandError(p.value, p.band), 0) / pairs.length : 0,
  });
  const pairsOf = (dim: ScoreDimension) =>
    rows.map((r) => ({ value: r.scores[dim], band: r.item.expected[dim] }));
  const byDim = Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, stats(pairsOf(d))])) as Record<
    ScoreDimension,
    DimStats
  >;
  return { ...byDim, all: stats(SCORE_DIMENSIONS.flatMap(pairsOf)) };
}

/**
 * The coach's scoring for one answer: the graph's real assess node, with the item's job description as the
 * one retrieved passage (in the app the passages come from the job's indexed documents).
 */
export async function scoreAnswer(item: EvalItem, coach: CoachContext): Promise<Assessment> {
  // The node reads the question, the answer and the passages; the rest of the state is not its concern.
  const state = {
    phase: 'coach',
    question: item.question,
    answer: item.answer,
    passages: [
      {
        documentId: 'jd',
        chunkId: `${item.id}-jd`,
        kind: 'jd',
        text: item.jobDescription,
        score: 1,
        section: '',
      },
    ],
  } satisfies Partial<CoachStateType>;
  const config: NodeConfig = { configurable: { coach } };
  const { assessment } = await assessNode(state as CoachStateType, config);
  if (!assessment || !('scores' in assessment))
    throw new Error(`the assess node gave no assessment for ${item.id}`);
  return assessment;
}

const CSV_DIMS = SCORE_DIMENSIONS.flatMap((d) => [d, `${d}_lo`, `${d}_hi`, `${d}_in_band`, `${d}_error`]);
const csvCell = (v: string | number | boolean) => {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(rows: EvalRow[]): string {
  const header = ['id', 'category', 'words', 'star_parts_found', ...CSV_DIMS, 'question'];
  const lines = rows.map((r) =>
    [
      r.item.id,
      r.item.category,
      r.words,
      r.starFound.join('+'),
      ...SCORE_DIMENSIONS.flatMap((d) => {
        const [lo, hi] = r.item.expected[d];
        const err = bandError(r.scores[d], [lo, hi]);
        return [r.scores[d], lo, hi, err === 0, err];
      }),
      r.item.question,
    ]
      .map(csvCell)
      .join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}

export interface EvalOptions {
  /** MLflow tracking server; defaults to env.MLFLOW_TRACKING_URI. Empty: no logging. */
  trackingUri?: string;
  env?: NodeJS.ProcessEnv;
  fixture?: string;
  outDir?: string;
}

export interface EvalReport {
  provider: string;
  model: string;
  promptVersion: string;
  scorer: string;
  rows: EvalRow[];
  overall: StatsByDim;
  byCategory: Record<Category, StatsByDim>;
  csvPath: string;
  datasetSha256: string;
  mlflow?: { trackingUri: string; experimentId: string; runId: string; artifactUri: string };
}

export async function runEval(options: EvalOptions = {}): Promise<EvalReport> {
  const env = options.env ?? process.env;
  const fixture = options.fixture ?? DEFAULT_FIXTURE;
  const items = loadEvalSet(fixture);
  const datasetSha256 = createHash('sha256').update(readFileSync(fixture)).digest('hex');

  // The same provider choice as the app: the offline rubric alone, or the rubric combined with the model's
  // structured judgement when LLM_BASE_URL is set. No pacing of composed text in a measurement.
  const model = createCoachModel({ ...loadConfig(env), OFFLINE_TOKEN_DELAY_MS: 0 });
  const coach: CoachContext = { model, retrieve: async () => [], k: 1 };
  const provider = model.kind === 'offline' ? 'offline' : 'openai-compatible';
  const scorer = model.kind === 'offline' ? 'deterministic-rubric' : 'rubric + model judgement';

  const rows: EvalRow[] = [];
  for (const item of items) {
    const a = await scoreAnswer(item, coach);
    rows.push({
      item,
      scores: a.scores,
      starFound: STAR_PARTS.filter((p) => a.metrics.star[p]),
      words: a.metrics.words,
    });
  }
  const byCategory = Object.fromEntries(
    CATEGORIES.map((c) => [c, summarise(rows.filter((r) => r.item.category === c))]),
  ) as Record<Category, StatsByDim>;
  const report: EvalReport = {
    provider,
    model: model.name,
    promptVersion: PROMPT_VERSION,
    scorer,
    rows,
    overall: summarise(rows),
    byCategory,
    csvPath: '',
    datasetSha256,
  };

  const outDir = options.outDir ?? path.join(ROOT, 'test-artifacts');
  mkdirSync(outDir, { recursive: true });
  const csv = toCsv(rows);
  report.csvPath = path.join(outDir, `eval-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`);
  writeFileSync(report.csvPath, csv);

  const trackingUri = options.trackingUri ?? env.MLFLOW_TRACKING_URI ?? '';
  if (trackingUri) {
    report.mlflow = await logToMlflow(new MlflowClient(trackingUri), report, csv, fixture);
  }
  return report;
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' }).trim();
  } catch {
    return undefined;
  }
}

async function logToMlflow(
  client: MlflowClient,
  report: EvalReport,
  csv: string,
  fixture: string,
): Promise<NonNullable<EvalReport['mlflow']>> {
  const experimentId = await client.getOrCreateExperiment(EXPERIMENT_NAME);
  const commit = gitCommit();
  const run = await client.createRun(experimentId, {
    runName: `${report.provider}-${report.promptVersion}-${new Date().toISOString().slice(0, 19)}`,
    tags: {
      'mlflow.source.name': 'scripts/eval.ts',
      'mlflow.source.type': 'LOCAL',
      ...(commit ? { 'mlflow.source.git.commit': commit } : {}),
    },
  });
  try {
    const metrics: Record<string, number> = {
      agreement_overall: report.overall.all.agreement,
      mae_overall: report.overall.all.mae,
    };
    for (const d of SCORE_DIMENSIONS) {
      metrics[`agreement_${d}`] = report.overall[d].agreement;
      metrics[`mae_${d}`] = report.overall[d].mae;
    }
    for (const c of CATEGORIES) {
      metrics[`${c}/agreement_overall`] = report.byCategory[c].all.agreement;
      for (const d of SCORE_DIMENSIONS) {
        metrics[`${c}/agreement_${d}`] = report.byCategory[c][d].agreement;
        metrics[`${c}/mae_${d}`] = report.byCategory[c][d].mae;
      }
    }
    await client.logBatch(run.run_id, {
      params: {
        provider: report.provider,
        model: report.model,
        prompt_version: report.promptVersion,
        answers: String(report.rows.length),
        scorer: report.scorer,
      },
      metrics,
      tags: {
        dataset: path.relative(ROOT, fixture),
        dataset_sha256: report.datasetSha256,
      },
    });
    await client.uploadArtifact(run.artifact_uri, 'eval.csv', csv, 'text/csv');
    await client.endRun(run.run_id, 'FINISHED');
  } catch (err) {
    await client.endRun(run.run_id, 'FAILED').catch(() => {});
    throw err;
  }
  return { trackingUri: client.baseUrl, experimentId, runId: run.run_id, artifactUri: run.artifact_uri };
}

// ---- the CLI -------------------------------------------------------------------------------------------

const pct = (x: number) => `${Math.round(x * 100)}%`.padStart(4);
const COL = 13;

export function formatReport(report: EvalReport): string {
  const lines = [
    'Interview Helper: coach evaluation',
    `provider ${report.provider} · model ${report.model} · prompt ${report.promptVersion} · scorer ${report.scorer}`,
  ];
  lines.push(
    `${report.rows.length} labelled answers; cells are exact-band agreement and mean absolute error to the band`,
    '',
    (''.padEnd(18) + [...SCORE_DIMENSIONS, 'all'].map((d) => d.padEnd(COL)).join('')).trimEnd(),
  );
  const line = (label: string, s: StatsByDim) =>
    `${label} (${s.all.n / SCORE_DIMENSIONS.length})`.padEnd(18) +
    [...SCORE_DIMENSIONS, 'all' as const]
      .map((d) => `${pct(s[d].agreement)} ${s[d].mae.toFixed(2)}`.padEnd(COL))
      .join('')
      .trimEnd();
  lines.push(line('overall', report.overall));
  for (const c of CATEGORIES) lines.push(line(c, report.byCategory[c]));
  lines.push('', `per-answer table: ${path.relative(process.cwd(), report.csvPath)}`);
  if (report.mlflow) {
    const { runId, experimentId, trackingUri } = report.mlflow;
    lines.push(`MLflow: run ${runId} in experiment ${experimentId} (${EXPERIMENT_NAME}) at ${trackingUri}`);
  }
  return lines.join('\n');
}

function parseArgs(argv: string[]): { minAgreement?: number; dims: ScoreDimension[] } {
  let minAgreement: number | undefined;
  let dims: ScoreDimension[] = [...SCORE_DIMENSIONS];
  for (const arg of argv) {
    const [key, value = ''] = arg.split('=', 2);
    if (key === '--min-agreement') {
      minAgreement = Number(value);
      if (!value || !Number.isFinite(minAgreement) || minAgreement < 0 || minAgreement > 1) {
        throw new Error(`--min-agreement takes a fraction from 0 to 1, got "${value}"`);
      }
    } else if (key === '--dims') {
      const names = value.split(',').filter(Boolean);
      const bad = names.filter((n) => !(SCORE_DIMENSIONS as readonly string[]).includes(n));
      if (!names.length || bad.length) {
        throw new Error(`--dims takes a comma list of ${SCORE_DIMENSIONS.join(', ')}; got "${value}"`);
      }
      dims = names as ScoreDimension[];
    } else {
      throw new Error(
        `unknown argument ${arg}; usage: npm run eval -- [--min-agreement=0.7] [--dims=star,impact]`,
      );
    }
  }
  return { minAgreement, dims };
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 2;
    return;
  }
  const report = await runEval();
  console.log(formatReport(report));
  if (args.minAgreement !== undefined) {
    const below = args.dims.filter((d) => report.overall[d].agreement < args.minAgreement!);
    const verdict = below.length
      ? `FAIL: ${below.map((d) => `${d} ${pct(report.overall[d].agreement).trim()}`).join(', ')} below ${pct(args.minAgreement).trim()}`
      : `PASS: ${args.dims.join(', ')} at or above ${pct(args.minAgreement).trim()}`;
    console.log(`\n${verdict}`);
    if (below.length) process.exitCode = 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  });
}
