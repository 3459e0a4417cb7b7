// The export is checked by the eval's own reader (eval/corpus/schema.ts): the format has one validator, and
// core code may not import it, so only this test reaches into eval.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CORPUS_DIR,
  answerSchema,
  loadCorpus,
  type CorpusAnswer,
  type RoleFamily,
} from '../../eval/corpus/schema.js';
import { SCORE_DIMENSIONS, type Score, type ScoreDimension } from '../types.js';
import {
  combineReviewerScores,
  exportLabelledSet,
  toCorpusFiles,
  toJsonl,
  type LabelledAnswer,
  type ReviewedAnswer,
} from './export.js';
import type { DimensionScore, SubmittedReview } from './reviews.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function writeCorpus(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'review-export-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const job = {
  title: 'Site Reliability Engineer',
  requirements: [
    'Run the on-call rotation for the payments platform.',
    'Cut the time to recover from incidents.',
    'Write postmortems and follow their actions through.',
  ],
};

const answer = (answerId: string, family = 'session-1:q0'): ReviewedAnswer<RoleFamily> => ({
  answerId,
  family,
  role: 'sre',
  job,
  question: 'Tell me about an incident you led.',
  answer: `Answer ${answerId}: the checkout API failed at 2am and I led the call until it recovered.`,
});

const everywhere = (score: Score): Partial<Record<ScoreDimension, DimensionScore>> =>
  Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, { score }]));

const review = (
  reviewerId: string,
  answerId: string,
  scores: Partial<Record<ScoreDimension, DimensionScore>>,
): SubmittedReview => ({ reviewerId, answerId, scores });

describe('combining several reviewers’ scores of one answer', () => {
  it('takes the median', () => {
    expect(combineReviewerScores([4])).toBe(4);
    expect(combineReviewerScores([1, 4, 5])).toBe(4);
    expect(combineReviewerScores([5, 2, 2])).toBe(2);
    expect(combineReviewerScores([2, 4])).toBe(3);
  });

  it('when the median is halfway between levels, goes toward the reviewers’ mean', () => {
    expect(combineReviewerScores([1, 2, 3, 5])).toBe(3); // median 2.5, mean 2.75
    expect(combineReviewerScores([1, 3, 4, 5])).toBe(3); // median 3.5, mean 3.25
  });

  it('on an exact tie, takes the lower level', () => {
    expect(combineReviewerScores([3, 4])).toBe(3);
    expect(combineReviewerScores([4, 4, 5, 5])).toBe(4);
  });

  it('does not depend on the order the reviews came in', () => {
    expect(combineReviewerScores([5, 1, 3, 2])).toBe(combineReviewerScores([1, 2, 3, 5]));
  });
});

describe('exporting human scores as a labelled set', () => {
  const answers = [answer('t1'), answer('t2'), answer('t3', 'session-1:q1'), answer('t4', 'session-1:q2')];
  const reviews = [
    review('kim', 't1', everywhere(4)),
    review('lee', 't1', { ...everywhere(2), impact: { score: 5, confidence: 'high' } }),
    review('max', 't1', everywhere(3)),
    review('kim', 't2', everywhere(5)),
    review('kim', 't3', { star: { score: 3 } }), // four dimensions unscored
  ];
  const set = exportLabelledSet(answers, reviews);

  it('labels each answer with the combined score per dimension and says which answers it left out', () => {
    expect(set.answers.map((a) => a.id)).toEqual(['human:t1', 'human:t2']);
    expect(set.answers[0]!.labels).toEqual({ star: 3, clarity: 3, impact: 4, conciseness: 3, relevance: 3 });
    expect(set.answers[1]!.labels).toEqual({ star: 5, clarity: 5, impact: 5, conciseness: 5, relevance: 5 });
    expect(set.skipped).toEqual([
      {
        answerId: 't3',
        reason: 'unscored_dimensions',
        dimensions: ['clarity', 'impact', 'conciseness', 'relevance'],
      },
      { answerId: 't4', reason: 'no_review' },
    ]);
  });

  it('loads through the eval’s own reader with every field as exported', () => {
    // Compile-time: an exported line is a corpus answer (this stops compiling if the format drifts).
    const lines: CorpusAnswer[] = set.answers satisfies LabelledAnswer<RoleFamily>[];
    const dir = writeCorpus(toCorpusFiles(set));
    const corpus = loadCorpus(dir);
    expect(corpus.answers).toEqual(lines);
    expect(corpus.sentences).toEqual([]);
    expect(corpus.pairs).toEqual([]);
    expect(corpus.answers.every((a) => a.split === 'test' && a.variant === 'base')).toBe(true);
    expect(corpus.answers.map((a) => a.family)).toEqual(['human:session-1:q0', 'human:session-1:q0']);
  });

  it('sits beside the synthetic corpus’s dev split, which fits the baselines, with the humans as the test split', () => {
    const synthetic = loadCorpus(CORPUS_DIR).answers.filter((a) => a.split === 'dev');
    const dir = writeCorpus({
      ...toCorpusFiles(set),
      'answers.jsonl': toJsonl([...synthetic, ...set.answers]),
    });
    const corpus = loadCorpus(dir);
    expect(corpus.answers.filter((a) => a.split === 'test').map((a) => a.id)).toEqual([
      'human:t1',
      'human:t2',
    ]);
    expect(corpus.answers.filter((a) => a.split === 'dev')).toHaveLength(synthetic.length);
    expect(readFileSync(path.join(dir, 'answers.jsonl'), 'utf8').endsWith('\n')).toBe(true);
  });

  it('the eval’s reader refuses an export whose job lacks the corpus’s 3–6 requirements', () => {
    const bare = exportLabelledSet(
      [{ ...answer('t9'), job: { title: 'SRE', requirements: ['On call.'] } }],
      [review('kim', 't9', everywhere(3))],
    );
    expect(answerSchema.safeParse(bare.answers[0]).success).toBe(false);
    expect(() => loadCorpus(writeCorpus(toCorpusFiles(bare)))).toThrow(/answers\.jsonl:1/);
  });

  it('refuses two reviews of one answer by the same reviewer', () => {
    expect(() => exportLabelledSet(answers, [...reviews, review('kim', 't1', everywhere(1))])).toThrow(
      /twice/,
    );
  });
});
