// Human review scores as a labelled set in the coach's eval format (eval/corpus: `answers.jsonl`, plus the
// `sentences.jsonl` and `pairs.jsonl` its loader also reads), so real human judgements can measure the coach
// with `npm run eval`. The format's one validator is eval/corpus/schema.ts (`answerSchema`, `loadCorpus`);
// core may not import eval, so this module builds the lines and export.test.ts proves they load there, with a
// compile-time check that a `LabelledAnswer` is a `CorpusAnswer`.
//
// What a line holds and why:
// - id and family are prefixed `human:`, so they never meet a synthetic corpus id and eval tables show where a
//   label came from. `family` groups the retries of one question, which the eval's split keeps together.
// - variant `base`: a real answer, not one of the corpus's mechanical variants.
// - split `test`: the coach was never fit on these answers, and the eval reads the test split only to report.
//   The eval fits its baselines on the dev split, so run it on these lines beside the synthetic corpus's dev
//   lines (the synthetic set fits, the humans measure).
// - labels: the reviewers' combined score per dimension (`combineReviewerScores`); an answer some dimension of
//   which no reviewer scored is left out (the format needs all five), and said so in `skipped`.
import { SCORE_DIMENSIONS, type Score, type Scores } from '../types.js';
import { assertOneReviewPerReviewerAndAnswer, type SubmittedReview } from './reviews.js';

/** The prefix of every exported id and family. */
export const HUMAN_PREFIX = 'human:';

/**
 * An answer of a review snapshot, as the eval needs it. `Role` is the eval's role family (eval/corpus's
 * `ROLE_FAMILIES`), which the caller maps the job to; `job.requirements` must be 3–6 sentences, as in the corpus.
 */
export interface ReviewedAnswer<Role extends string = string> {
  /** The turn's id: unique across the export. */
  answerId: string;
  /** What groups retries of one question (e.g. the session id and the question's index). */
  family: string;
  role: Role;
  job: { title: string; requirements: readonly string[] };
  question: string;
  answer: string;
}

/** One line of `answers.jsonl`. */
export interface LabelledAnswer<Role extends string = string> {
  id: string;
  family: string;
  role: Role;
  job: { title: string; requirements: string[] };
  question: string;
  answer: string;
  variant: 'base';
  labels: Scores;
  split: 'test';
}

export type SkippedAnswer =
  | { answerId: string; reason: 'no_review' }
  | { answerId: string; reason: 'unscored_dimensions'; dimensions: string[] };

export interface LabelledSet<Role extends string = string> {
  answers: LabelledAnswer<Role>[];
  skipped: SkippedAnswer[];
}

/**
 * Several reviewers' scores of one answer on one dimension, as one label: their median. When the median falls
 * halfway between two levels (an even number of reviewers, split), it goes toward the reviewers' mean, and on
 * an exact tie to the lower level, since a label should not flatter an answer its reviewers split on. The
 * coach's score plays no part: a label pulled toward the coach would flatter the coach's agreement with it.
 */
export function combineReviewerScores(scores: readonly Score[]): Score {
  if (!scores.length) throw new Error('no scores to combine');
  const sorted = [...scores].sort((a, b) => a - b);
  const lower = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const upper = sorted[Math.floor(sorted.length / 2)]!;
  if (lower === upper) return lower;
  const median = (lower + upper) / 2;
  if (!Number.isInteger(median)) {
    const mean = scores.reduce<number>((a, b) => a + b, 0) / scores.length;
    return mean > median ? (Math.ceil(median) as Score) : (Math.floor(median) as Score);
  }
  return median as Score;
}

/** The labelled set of the `answers` the `reviews` scored, in the order of `answers`. */
export function exportLabelledSet<Role extends string>(
  answers: readonly ReviewedAnswer<Role>[],
  reviews: readonly SubmittedReview[],
): LabelledSet<Role> {
  assertOneReviewPerReviewerAndAnswer(reviews);
  const out: LabelledSet<Role> = { answers: [], skipped: [] };
  for (const a of answers) {
    const ofAnswer = reviews.filter((r) => r.answerId === a.answerId);
    if (!ofAnswer.length) {
      out.skipped.push({ answerId: a.answerId, reason: 'no_review' });
      continue;
    }
    const byDimension = SCORE_DIMENSIONS.map(
      (d) => [d, ofAnswer.flatMap((r) => (r.scores[d] ? [r.scores[d].score] : []))] as const,
    );
    const unscored = byDimension.filter(([, s]) => !s.length).map(([d]) => d);
    if (unscored.length) {
      out.skipped.push({ answerId: a.answerId, reason: 'unscored_dimensions', dimensions: unscored });
      continue;
    }
    out.answers.push({
      id: HUMAN_PREFIX + a.answerId,
      family: HUMAN_PREFIX + a.family,
      role: a.role,
      job: { title: a.job.title, requirements: [...a.job.requirements] },
      question: a.question,
      answer: a.answer,
      variant: 'base',
      labels: Object.fromEntries(byDimension.map(([d, s]) => [d, combineReviewerScores(s)])) as Scores,
      split: 'test',
    });
  }
  return out;
}

/** One JSON object a line, as the eval's reader splits them. */
export const toJsonl = (lines: readonly object[]): string =>
  lines.map((l) => `${JSON.stringify(l)}\n`).join('');

/**
 * The three files of a corpus directory: the answers, and no sentence labels or minimal pairs (humans label
 * answers, not sentences; pairs come from variants of one story, which real answers are not).
 */
export function toCorpusFiles(
  set: LabelledSet,
): Record<'answers.jsonl' | 'sentences.jsonl' | 'pairs.jsonl', string> {
  return { 'answers.jsonl': toJsonl(set.answers), 'sentences.jsonl': '', 'pairs.jsonl': '' };
}
