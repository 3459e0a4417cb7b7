// The trained judgement: scores an answer 1–5 on the five dimensions from MiniLM sentence embeddings and
// explicit features, with the weights trained by `npm run train:coach` (agents/judgement/weights.json, the
// repo copy). `npm run eval` loads it through createTrainedJudge().
import { readFileSync } from 'node:fs';
import { clampScore, type Scores } from '../../core/types.js';
import { cosine } from '../../ingestion/embed.js';
import { judgementEmbedder, type SentenceEmbedder } from './embedder.js';
import { analyseAnswer, answerFeatures, type JudgementInput, type SentenceRoles } from './features.js';
import { scoresOf, sentenceRoles, type JudgementWeights } from './model.js';

export type { JudgementInput } from './features.js';
export type { JudgementWeights } from './model.js';

export const WEIGHTS_FILE = new URL('./weights.json', import.meta.url);

export function parseWeights(json: string): JudgementWeights {
  const w = JSON.parse(json) as JudgementWeights;
  if (w?.format !== 'interview-helper-judgement@1') {
    throw new Error(`not judgement weights (format ${String(w?.format)})`);
  }
  return w;
}

/** The repo copy of the weights. */
export const loadRepoWeights = (): JudgementWeights => parseWeights(readFileSync(WEIGHTS_FILE, 'utf8'));

export interface Judgement {
  scores: Scores;
  /** Each answer sentence's predicted STAR role, agency and specificity. */
  sentences: { text: string; roles: SentenceRoles }[];
  /** The answer sentence closest in meaning to one of the job's requirement sentences (or its title). */
  closest: { sentence: string; requirement: string; similarity: number } | null;
}

/**
 * Shorter than any answer the model was fit on (the dev split's shortest has 18 words), its scores are a
 * guess outside what it learnt; there the labelling guide's own rule holds: an answer this thin is not a
 * complete spoken answer, conciseness 3 at most (docs/labelling-guide.md, conciseness level 3). Without it the
 * model read "We sort of fixed it eventually, I think." as conciseness 5.
 */
export const SHORTEST_TRAINED_WORDS = 18;
export function withGuideCaps(scores: Scores, words: number): Scores {
  return words < SHORTEST_TRAINED_WORDS
    ? { ...scores, conciseness: clampScore(Math.min(scores.conciseness, 3)) }
    : scores;
}

export interface TrainedJudge {
  name: string;
  weights: JudgementWeights;
  judge(input: JudgementInput): Promise<Judgement>;
  score(input: JudgementInput): Promise<Scores>;
}

export function judgeWith(weights: JudgementWeights, embedder: SentenceEmbedder): TrainedJudge {
  if (weights.embedder !== embedder.id) {
    throw new Error(`the weights were trained on ${weights.embedder} embeddings, not ${embedder.id}`);
  }
  const judge = async (input: JudgementInput): Promise<Judgement> => {
    const analysis = await analyseAnswer(input, embedder);
    const roles = analysis.sentences.map((s) => sentenceRoles(weights.sentence, s.embedding, s.explicit));
    const { features, pooled } = answerFeatures(analysis, roles);
    const requirements = [input.job.title, ...input.job.requirements];
    let closest: Judgement['closest'] = null;
    for (const s of analysis.sentences) {
      analysis.requirements.forEach((r, j) => {
        const similarity = cosine(s.embedding, r);
        if (requirements[j] && (!closest || similarity > closest.similarity))
          closest = { sentence: s.text, requirement: requirements[j], similarity };
      });
    }
    return {
      scores: withGuideCaps(scoresOf(weights, features, pooled), analysis.words),
      sentences: analysis.sentences.map((s, i) => ({ text: s.text, roles: roles[i]! })),
      closest,
    };
  };
  return {
    name: 'trained judge (MiniLM)',
    weights,
    judge,
    score: async (input) => (await judge(input)).scores,
  };
}

/** The trained judge with the repo's weights and the app's MiniLM embedder. */
export function createTrainedJudge(
  options: { weights?: JudgementWeights; embedder?: SentenceEmbedder } = {},
): TrainedJudge {
  return judgeWith(options.weights ?? loadRepoWeights(), options.embedder ?? judgementEmbedder());
}

let shared: { judge: TrainedJudge | null; error: string | null } | undefined;

/**
 * The process's trained judge (repo weights, the app's MiniLM), built once; null with the reason when it
 * cannot be built (no embedding model set up), so the caller can fall back to the rubric.
 */
export function sharedTrainedJudge(): { judge: TrainedJudge | null; error: string | null } {
  if (!shared) {
    try {
      shared = { judge: createTrainedJudge(), error: null };
    } catch (err) {
      shared = { judge: null, error: (err as Error).message };
    }
  }
  return shared;
}

/**
 * The judge to use given a `judgement` setting (agents/context.ts, CoachContext.judgement): the one the app
 * serves, null when it cannot run (the caller falls back to the rubric), or unset: the process's own.
 */
export const judgeFor = (judgement: TrainedJudge | null | undefined): TrainedJudge | null =>
  judgement === undefined ? sharedTrainedJudge().judge : judgement;
