// What `npm run eval` measures: anything that scores an answer 1–5 on the five dimensions. The baselines
// live here; the trained judge plugs in by exporting `createTrainedJudge()` from agents/judgement/index.ts.
import { loadConfig } from '../core/config.js';
import { SCORE_DIMENSIONS, type ScoreDimension, type Scores } from '../core/types.js';
import type { CoachContext, NodeConfig } from '../agents/context.js';
import { assess as assessNode } from '../agents/nodes/assess.js';
import { score as scoreNode } from '../agents/nodes/score.js';
import { createCoachModel } from '../agents/provider.js';
import type { CoachStateType } from '../agents/state.js';
import { jobText, type CorpusAnswer, type Job } from './corpus/schema.js';
import { lowerMedian, mode } from './metrics.js';

/** What a judge sees of an answer: never its labels, its variant or its split. */
export interface JudgeItem {
  id: string;
  /** The role family of the job (one of ROLE_FAMILIES for corpus items; free text for outside pairs). */
  role: string;
  job: Job;
  question: string;
  answer: string;
}

export interface Judge {
  name: string;
  score(item: JudgeItem): Promise<Scores>;
}

export const judgeItemOf = (a: CorpusAnswer): JudgeItem => ({
  id: a.id,
  role: a.role,
  job: a.job,
  question: a.question,
  answer: a.answer,
});

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** The dev split's most frequent label on every dimension, whatever the answer. */
export function constantJudge(dev: readonly CorpusAnswer[]): Judge {
  const scores = Object.fromEntries(
    SCORE_DIMENSIONS.map((d) => [d, mode(dev.map((a) => a.labels[d]))]),
  ) as Scores;
  return { name: 'constant (dev mode)', score: async () => ({ ...scores }) };
}

/** Word-count bins, cut at the dev split's quantiles. */
const LENGTH_BINS = 8;

/**
 * A rule that sees only the answer's length: the dev answers are cut into bins of equal size by word count,
 * and each bin scores the median dev label of its answers on each dimension. Fit on dev only.
 */
export function lengthJudge(dev: readonly CorpusAnswer[]): Judge & { edges: number[] } {
  const counts = dev.map((a) => wordCount(a.answer)).sort((a, b) => a - b);
  // Upper edges of bins 0..n-2; the last bin takes everything longer.
  const edges = Array.from(
    { length: LENGTH_BINS - 1 },
    (_, i) => counts[Math.floor(((i + 1) * counts.length) / LENGTH_BINS)]!,
  );
  const binOf = (words: number) => {
    const i = edges.findIndex((edge) => words < edge);
    return i === -1 ? LENGTH_BINS - 1 : i;
  };
  const table = Array.from({ length: LENGTH_BINS }, (_, bin) => {
    const inBin = dev.filter((a) => binOf(wordCount(a.answer)) === bin);
    const pool = inBin.length ? inBin : dev;
    return Object.fromEntries(
      SCORE_DIMENSIONS.map((d) => [d, lowerMedian(pool.map((a) => a.labels[d]))]),
    ) as Scores;
  });
  return {
    name: 'length only (fit on dev)',
    edges,
    score: async (item) => ({ ...table[binOf(wordCount(item.answer))]! }),
  };
}

/**
 * The coach's state for judging `answer` to a corpus item: its question, and its job as the one retrieved
 * passage. The assess and score nodes read only these; the rest of the state is not their concern.
 */
export function coachStateOf(
  item: Pick<JudgeItem, 'id' | 'question' | 'job'>,
  answer: string,
): CoachStateType {
  const state = {
    phase: 'coach',
    role: item.job.title,
    question: item.question,
    answer,
    passages: [
      {
        documentId: 'jd',
        chunkId: `${item.id}-jd`,
        kind: 'jd',
        text: jobText(item.job),
        score: 1,
        section: '',
      },
    ],
  } satisfies Partial<CoachStateType>;
  return state as CoachStateType;
}

/**
 * Today's coach scoring: the graph's real assess node, with the job as the one retrieved passage (in the app
 * the passages come from the job's indexed documents). With LLM_BASE_URL set, that is the rubric combined
 * with the model's judgement, as in the app.
 */
export function rubricJudge(env: NodeJS.ProcessEnv = process.env): Judge & {
  provider: 'offline' | 'openai-compatible';
  model: string;
  scorer: string;
} {
  const model = createCoachModel({ ...loadConfig(env), OFFLINE_TOKEN_DELAY_MS: 0 });
  // The keyword rubric alone: the app's assess node now scores with the trained judgement by default.
  const coach: CoachContext = { model, retrieve: async () => [], k: 1, scorer: 'rubric' };
  const offline = model.kind === 'offline';
  return {
    name: offline ? 'rubric (today)' : 'rubric + model (today)',
    provider: offline ? 'offline' : 'openai-compatible',
    model: model.name,
    scorer: offline ? 'deterministic-rubric' : 'rubric + model judgement',
    async score(item) {
      const state = coachStateOf(item, item.answer);
      const config: NodeConfig = { configurable: { coach } };
      const { assessment: measured } = await assessNode(state, config);
      if (!measured || !('scores' in measured))
        throw new Error(`the assess node gave no assessment for ${item.id}`);
      // With a model, its judgement is combined in by the graph's last node, as in the app.
      const { assessment } = await scoreNode({ ...state, assessment: measured }, config);
      return assessment && 'scores' in assessment ? assessment.scores : measured.scores;
    },
  };
}

/** Where the trained judge is expected; a module of the judgement work, not of the harness. */
export const TRAINED_JUDGE_MODULE = new URL('../agents/judgement/index.ts', import.meta.url);

export type TrainedJudgeLoad = { judge: Judge } | { skipped: string };

/**
 * The trained judge, when agents/judgement/index.ts exists and exports `createTrainedJudge()`. Only a
 * missing module is a reason to skip; a module that is there but fails to load or to build its judge is an
 * error, since hiding it would report a judge as absent when it is broken.
 */
export async function loadTrainedJudge(moduleUrl: URL = TRAINED_JUDGE_MODULE): Promise<TrainedJudgeLoad> {
  let mod: { createTrainedJudge?: unknown };
  try {
    mod = (await import(moduleUrl.href)) as { createTrainedJudge?: unknown };
  } catch (err) {
    const code = (err as { code?: string }).code;
    const message = (err as Error).message ?? '';
    const missing =
      (code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module/.test(message)) &&
      message.includes(moduleUrl.pathname.replace(/\.ts$/, ''));
    if (missing) return { skipped: `no trained judge: ${moduleUrl.pathname} does not exist yet` };
    throw err;
  }
  if (typeof mod.createTrainedJudge !== 'function') {
    throw new Error(`${moduleUrl.pathname} does not export createTrainedJudge()`);
  }
  const judge = (await (mod.createTrainedJudge as () => Judge | Promise<Judge>)()) as Judge;
  if (!judge || typeof judge.score !== 'function' || typeof judge.name !== 'string') {
    throw new Error('createTrainedJudge() must return { name: string; score(item): Promise<Scores> }');
  }
  return { judge };
}

export type { ScoreDimension, Scores };
