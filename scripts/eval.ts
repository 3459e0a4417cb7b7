// `npm run eval`: scores the TEST split of the labelled corpus (eval/corpus, written to
// docs/labelling-guide.md) with every judge and prints, per dimension, quadratic weighted kappa, exact and
// within-one agreement with the labels, and minimal-pair accuracy. The baselines are measured in the same
// run: a constant score (the dev split's mode), a length-only rule fit on the dev split, and today's rubric
// (the coach's assess node); the trained judge (agents/judgement) is added when it exists. The dev split is
// read only to fit the baselines. Writes the per-answer and summary tables to test-artifacts/ and, when
// MLFLOW_TRACKING_URI is set, logs the run to MLflow.
//
//   npm run eval
//   npm run eval -- --pairs outside-pairs.jsonl   also: how each judge orders an outside set of pairs
//   npm run eval -- --guard                       the injection guard's false positives and recall instead
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCORE_DIMENSIONS, type ScoreDimension, type Scores } from '../core/types.js';
import { PROMPT_VERSION } from '../agents/prompts/index.js';
import { CORPUS_DIR, loadCorpus, type CorpusAnswer, type CorpusPair } from '../eval/corpus/schema.js';
import { formatGuardReport, measureGuard, type GuardReport } from '../eval/guard/measure.js';
import {
  constantJudge,
  judgeItemOf,
  lengthJudge,
  loadTrainedJudge,
  rubricJudge,
  TRAINED_JUDGE_MODULE,
  type Judge,
} from '../eval/judges.js';
import { exactAgreement, quadraticWeightedKappa, withinOneAgreement } from '../core/agreement.js';
import { pairAccuracy } from '../eval/metrics.js';
import { loadOutsidePairs, orderOutsidePairs, type OutsidePairsResult } from '../eval/outside-pairs.js';
import { MlflowClient } from '../agents/registry/mlflow.js';
import { judgeWith, parseWeights } from '../agents/judgement/index.js';
import { judgementEmbedder } from '../agents/judgement/embedder.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const EXPERIMENT_NAME = 'interview-helper-eval';

/** The issue's targets for a judge, checked on the test split. */
export const TARGETS = { kappa: 0.6, withinOne: 0.9, pairAccuracy: 0.9, kappaAboveLength: 0.2 } as const;

export interface DimMetrics {
  n: number;
  qwk: number;
  exact: number;
  withinOne: number;
  pairs: number;
  pairAccuracy: number;
}

export interface JudgeResult {
  name: string;
  slug: string;
  /** Whether this row is one of the baselines measured beside the judges. */
  baseline: boolean;
  scores: Map<string, Scores>;
  metrics: Record<ScoreDimension, DimMetrics>;
}

export const slugOf = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

/** Scores every answer with the judge and measures it against the labels and the minimal pairs. */
export async function evaluateJudge(
  judge: Judge,
  answers: readonly CorpusAnswer[],
  pairs: readonly CorpusPair[],
  baseline = false,
): Promise<JudgeResult> {
  const scores = new Map<string, Scores>();
  for (const a of answers) scores.set(a.id, await judge.score(judgeItemOf(a)));
  const metrics = Object.fromEntries(
    SCORE_DIMENSIONS.map((d) => {
      const labels = answers.map((a) => a.labels[d]);
      const given = answers.map((a) => scores.get(a.id)![d]);
      const onDim = pairs
        .filter((p) => p.dimension === d && scores.has(p.better) && scores.has(p.worse))
        .map((p) => ({ better: scores.get(p.better)![d], worse: scores.get(p.worse)![d] }));
      return [
        d,
        {
          n: answers.length,
          qwk: quadraticWeightedKappa(labels, given),
          exact: exactAgreement(labels, given),
          withinOne: withinOneAgreement(labels, given),
          pairs: onDim.length,
          pairAccuracy: pairAccuracy(onDim),
        } satisfies DimMetrics,
      ];
    }),
  ) as Record<ScoreDimension, DimMetrics>;
  return { name: judge.name, slug: slugOf(judge.name), baseline, scores, metrics };
}

export interface EvalOptions {
  /** MLflow tracking server; defaults to env.MLFLOW_TRACKING_URI. Empty: no logging. */
  trackingUri?: string;
  env?: NodeJS.ProcessEnv;
  corpusDir?: string;
  outDir?: string;
  /** Where the trained judge is looked for (tests point it elsewhere). */
  trainedJudgeModule?: URL;
  /** An outside set of pairs to order (see eval/outside-pairs.ts). */
  pairsFile?: string;
}

export interface EvalReport {
  provider: string;
  model: string;
  promptVersion: string;
  scorer: string;
  split: 'test';
  answers: CorpusAnswer[];
  pairs: CorpusPair[];
  devAnswers: number;
  results: JudgeResult[];
  skipped: { name: string; reason: string }[];
  lengthEdges: number[];
  outsidePairs?: { file: string; n: number; results: OutsidePairsResult[] };
  csvPath: string;
  summaryCsvPath: string;
  datasetSha256: string;
  mlflow?: { trackingUri: string; experimentId: string; runId: string; artifactUri: string };
}

/**
 * The judgement version the current weights replaced (eval/baselines/previous-judgement.json, copied there
 * when a retrained version is shipped), as a baseline: a new version is reported beside the one it replaces.
 */
export const PREVIOUS_JUDGEMENT = path.join(ROOT, 'eval/baselines/previous-judgement.json');

function previousJudge(): Judge | undefined {
  if (!existsSync(PREVIOUS_JUDGEMENT)) return undefined;
  const weights = parseWeights(readFileSync(PREVIOUS_JUDGEMENT, 'utf8'));
  const judge = judgeWith(weights, judgementEmbedder());
  return { name: `previous (${weights.trainedAt.slice(0, 10)})`, score: judge.score };
}

export async function runEval(options: EvalOptions = {}): Promise<EvalReport> {
  const env = options.env ?? process.env;
  // A bad outside file is refused before anything is scored.
  const outside = options.pairsFile ? loadOutsidePairs(options.pairsFile) : undefined;
  const corpusDir = options.corpusDir ?? CORPUS_DIR;
  const corpus = loadCorpus(corpusDir);
  const datasetSha256 = createHash('sha256')
    .update(
      ['answers.jsonl', 'sentences.jsonl', 'pairs.jsonl']
        .map((f) => readFileSync(path.join(corpusDir, f)))
        .join('\n'),
    )
    .digest('hex');
  const dev = corpus.answers.filter((a) => a.split === 'dev');
  const test = corpus.answers.filter((a) => a.split === 'test');
  const testIds = new Set(test.map((a) => a.id));
  const testPairs = corpus.pairs.filter((p) => testIds.has(p.better) && testIds.has(p.worse));

  // Baselines: fit on dev only, measured on test like every judge.
  const length = lengthJudge(dev);
  const rubric = rubricJudge(env);
  const judges: { judge: Judge; baseline: boolean }[] = [
    { judge: constantJudge(dev), baseline: true },
    { judge: length, baseline: true },
    { judge: rubric, baseline: true },
  ];
  const skipped: EvalReport['skipped'] = [];
  const trained = await loadTrainedJudge(options.trainedJudgeModule ?? TRAINED_JUDGE_MODULE);
  if ('judge' in trained) {
    // Beside the shipped judge only: a test's own judge module has no previous version.
    const previous = options.trainedJudgeModule ? undefined : previousJudge();
    if (previous) judges.push({ judge: previous, baseline: true });
    judges.push({ judge: trained.judge, baseline: false });
  } else skipped.push({ name: 'trained judge', reason: trained.skipped });

  const results: JudgeResult[] = [];
  for (const { judge, baseline } of judges)
    results.push(await evaluateJudge(judge, test, testPairs, baseline));

  const report: EvalReport = {
    provider: rubric.provider,
    model: rubric.model,
    promptVersion: PROMPT_VERSION,
    scorer: rubric.scorer,
    split: 'test',
    answers: test,
    pairs: testPairs,
    devAnswers: dev.length,
    results,
    skipped,
    lengthEdges: length.edges,
    csvPath: '',
    summaryCsvPath: '',
    datasetSha256,
  };

  if (options.pairsFile && outside) {
    const ordered: OutsidePairsResult[] = [];
    for (const { judge } of judges) ordered.push(await orderOutsidePairs(judge, outside));
    report.outsidePairs = { file: options.pairsFile, n: outside.length, results: ordered };
  }

  const outDir = options.outDir ?? path.join(ROOT, 'test-artifacts');
  mkdirSync(outDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const csv = toCsv(report);
  const summary = toSummaryCsv(report);
  report.csvPath = path.join(outDir, `eval-${stamp}.csv`);
  report.summaryCsvPath = path.join(outDir, `eval-${stamp}-summary.csv`);
  writeFileSync(report.csvPath, csv);
  writeFileSync(report.summaryCsvPath, summary);

  const trackingUri = options.trackingUri ?? env.MLFLOW_TRACKING_URI ?? '';
  if (trackingUri) {
    report.mlflow = await logToMlflow(new MlflowClient(trackingUri), report, { csv, summary }, corpusDir);
  }
  return report;
}

// ---- tables -----------------------------------------------------------------------------------------------

const csvCell = (v: string | number | boolean) => {
  const s = typeof v === 'number' && !Number.isFinite(v) ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const csvLine = (cells: (string | number | boolean)[]) => cells.map(csvCell).join(',');
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** One line per test answer: its labels and every judge's scores. */
export function toCsv(report: EvalReport): string {
  const header = [
    'id',
    'family',
    'role',
    'variant',
    'words',
    ...SCORE_DIMENSIONS.map((d) => `label_${d}`),
    ...report.results.flatMap((r) => SCORE_DIMENSIONS.map((d) => `${r.slug}_${d}`)),
    'question',
  ];
  const lines = report.answers.map((a) =>
    csvLine([
      a.id,
      a.family,
      a.role,
      a.variant,
      words(a.answer),
      ...SCORE_DIMENSIONS.map((d) => a.labels[d]),
      ...report.results.flatMap((r) => SCORE_DIMENSIONS.map((d) => r.scores.get(a.id)![d])),
      a.question,
    ]),
  );
  return [csvLine(header), ...lines].join('\n') + '\n';
}

/** One line per judge and dimension: the figures the table prints. */
export function toSummaryCsv(report: EvalReport): string {
  const header = [
    'judge',
    'baseline',
    'dimension',
    'n',
    'qwk',
    'exact',
    'within_one',
    'pairs',
    'pair_accuracy',
  ];
  const lines = report.results.flatMap((r) =>
    SCORE_DIMENSIONS.map((d) => {
      const m = r.metrics[d];
      return csvLine([r.name, r.baseline, d, m.n, m.qwk, m.exact, m.withinOne, m.pairs, m.pairAccuracy]);
    }),
  );
  return [csvLine(header), ...lines].join('\n') + '\n';
}

// ---- MLflow -----------------------------------------------------------------------------------------------

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' }).trim();
  } catch {
    return undefined;
  }
}

/** The run's metrics: `<judge>/<metric>_<dimension>`, finite values only (MLflow takes no NaN). */
export function mlflowMetrics(report: EvalReport): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const r of report.results) {
    for (const d of SCORE_DIMENSIONS) {
      const m = r.metrics[d];
      const add = (key: string, value: number) => {
        if (Number.isFinite(value)) metrics[`${r.slug}/${key}_${d}`] = value;
      };
      add('qwk', m.qwk);
      add('exact', m.exact);
      add('within_one', m.withinOne);
      add('pair_accuracy', m.pairAccuracy);
    }
  }
  for (const o of report.outsidePairs?.results ?? []) {
    if (Number.isFinite(o.accuracy)) metrics[`${slugOf(o.judge)}/outside_pair_accuracy`] = o.accuracy;
  }
  return metrics;
}

async function logToMlflow(
  client: MlflowClient,
  report: EvalReport,
  files: { csv: string; summary: string },
  corpusDir: string,
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
    await client.logBatch(run.run_id, {
      params: {
        provider: report.provider,
        model: report.model,
        prompt_version: report.promptVersion,
        answers: String(report.answers.length),
        split: report.split,
        scorer: report.scorer,
        judges: report.results.map((r) => r.name).join('; '),
      },
      metrics: mlflowMetrics(report),
      tags: {
        dataset: path.relative(ROOT, corpusDir),
        dataset_sha256: report.datasetSha256,
      },
    });
    await client.uploadArtifact(run.artifact_uri, 'eval.csv', files.csv, 'text/csv');
    await client.uploadArtifact(run.artifact_uri, 'eval-summary.csv', files.summary, 'text/csv');
    await client.endRun(run.run_id, 'FINISHED');
  } catch (err) {
    await client.endRun(run.run_id, 'FAILED').catch(() => {});
    throw err;
  }
  return { trackingUri: client.baseUrl, experimentId, runId: run.run_id, artifactUri: run.artifact_uri };
}

// ---- the printed report -----------------------------------------------------------------------------------

const NAME_COL = 30;
const COL = 12;
const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : 'n/a');
const num = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

function block(title: string, results: JudgeResult[], cell: (m: DimMetrics) => string): string[] {
  const head = title.padEnd(NAME_COL) + SCORE_DIMENSIONS.map((d) => d.padStart(COL)).join('');
  return [
    head,
    ...results.map(
      (r) => r.name.padEnd(NAME_COL) + SCORE_DIMENSIONS.map((d) => cell(r.metrics[d]).padStart(COL)).join(''),
    ),
  ];
}

/** The issue's targets for one judge against the length-only baseline, per dimension. */
export function targetsMet(result: JudgeResult, length: JudgeResult): Record<ScoreDimension, string[]> {
  return Object.fromEntries(
    SCORE_DIMENSIONS.map((d) => {
      const m = result.metrics[d];
      const missed: string[] = [];
      if (!(m.qwk >= TARGETS.kappa)) missed.push(`kappa ${num(m.qwk)} < ${TARGETS.kappa}`);
      if (!(m.withinOne >= TARGETS.withinOne)) missed.push(`within-one ${pct(m.withinOne)} < 90%`);
      if (!(m.pairAccuracy >= TARGETS.pairAccuracy)) missed.push(`pairs ${pct(m.pairAccuracy)} < 90%`);
      const lengthKappa = Number.isFinite(length.metrics[d].qwk) ? length.metrics[d].qwk : 0;
      if (!(m.qwk >= lengthKappa + TARGETS.kappaAboveLength)) {
        missed.push(`kappa not ${TARGETS.kappaAboveLength} above length (${num(lengthKappa)})`);
      }
      return [d, missed];
    }),
  ) as Record<ScoreDimension, string[]>;
}

export function formatReport(report: EvalReport): string {
  const families = new Set(report.answers.map((a) => a.family)).size;
  const lines = [
    'Interview Helper: judge evaluation on the TEST split of eval/corpus (synthetic, see its README)',
    `${report.answers.length} test answers in ${families} story families, ${report.pairs.length} minimal pairs; ` +
      `baselines fit on ${report.devAnswers} dev answers`,
    `rubric: provider ${report.provider} · model ${report.model} · prompt ${report.promptVersion} · ${report.scorer}`,
    '',
    ...block('quadratic weighted kappa', report.results, (m) => num(m.qwk)),
    '',
    ...block('exact agreement', report.results, (m) => pct(m.exact)),
    '',
    ...block('within one level', report.results, (m) => pct(m.withinOne)),
    '',
    ...block('minimal-pair accuracy', report.results, (m) => `${pct(m.pairAccuracy)} /${m.pairs}`),
  ];
  for (const s of report.skipped) lines.push('', `skipped: ${s.name}: ${s.reason}`);
  const length = report.results.find((r) => r.slug === slugOf('length only (fit on dev)'));
  const judged = report.results.filter((r) => !r.baseline);
  if (length && judged.length) {
    lines.push('', 'targets (kappa ≥ 0.6, within-one ≥ 90%, pairs ≥ 90%, kappa ≥ length + 0.2):');
    for (const r of judged) {
      const met = targetsMet(r, length);
      for (const d of SCORE_DIMENSIONS) {
        lines.push(`  ${r.name} ${d}: ${met[d].length ? `MISSED (${met[d].join('; ')})` : 'met'}`);
      }
    }
  }
  if (report.outsidePairs) {
    const { file, n, results } = report.outsidePairs;
    lines.push('', `outside pairs (${n} from ${file}): ordered as labelled, ties count as misses`);
    for (const o of results)
      lines.push(`  ${o.judge.padEnd(NAME_COL)}${pct(o.accuracy).padStart(6)}  (${o.ties} ties)`);
  }
  lines.push(
    '',
    `per-answer table: ${path.relative(process.cwd(), report.csvPath)}`,
    `summary table:    ${path.relative(process.cwd(), report.summaryCsvPath)}`,
  );
  if (report.mlflow) {
    const { runId, experimentId, trackingUri } = report.mlflow;
    lines.push(`MLflow: run ${runId} in experiment ${experimentId} (${EXPERIMENT_NAME}) at ${trackingUri}`);
  }
  return lines.join('\n');
}

// ---- the CLI ----------------------------------------------------------------------------------------------

export interface CliArgs {
  guard: boolean;
  pairsFile?: string;
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { guard: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--guard') args.guard = true;
    else if (arg === '--pairs' || arg.startsWith('--pairs=')) {
      const file = arg === '--pairs' ? argv[++i] : arg.slice('--pairs='.length);
      if (!file) throw new Error('--pairs takes a file: npm run eval -- --pairs outside-pairs.jsonl');
      args.pairsFile = path.resolve(file);
    } else {
      throw new Error(`unknown argument ${arg}; usage: npm run eval -- [--pairs <file.jsonl>] [--guard]`);
    }
  }
  return args;
}

export function runGuard(): GuardReport {
  return measureGuard();
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 2;
    return;
  }
  if (args.guard) {
    console.log(formatGuardReport(runGuard()));
    return;
  }
  const report = await runEval({ pairsFile: args.pairsFile });
  console.log(formatReport(report));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  });
}
