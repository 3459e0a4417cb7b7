import { describe, expect, it } from 'vitest';
import { SCORE_DIMENSIONS, type ScoreDimension } from '../../core/types.js';
import { evidenceQuote, leanOf, MAX_QUOTE_WORDS, scorecardFor, type JudgedTurn } from './scorecard.js';
import { panelistById } from './template.js';
import { panelTemplate } from './templates.js';

const swe = panelTemplate('software-engineer');
const priya = panelistById(swe, 'priya'); // ownership 4, delivery under pressure 3, collaboration 2; star, impact, relevance

const all = (n: number) =>
  Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, n])) as Record<ScoreDimension, number>;

const judged = (
  turnId: string,
  askedBy: string,
  competency: string,
  atSec: number,
  score: number,
  answer: string,
) => ({
  turnId,
  askedBy,
  competency,
  atSec,
  answer,
  scores: all(score),
});

const OWNERSHIP =
  'Our release train kept slipping and nobody owned it. I took it over and wrote the checklist myself. Releases went from monthly to weekly within 3 months.';
const COLLABORATION = 'Well, we sort of worked it out together as a team, I think.';
const DESIGN = 'I would shard the table by customer id.';

const turns: JudgedTurn[] = [
  judged('t1', 'priya', 'ownership', 30, 5, OWNERSHIP),
  judged('t2', 'sam', 'system design', 200, 1, DESIGN),
  judged('t3', 'priya', 'collaboration', 420, 1, COLLABORATION),
];

describe('scorecardFor', () => {
  it('scores only the dimensions the panelist weighs, from the turns on their competencies', () => {
    const card = scorecardFor(priya, turns)!;
    expect(card.panelistId).toBe('priya');
    expect(Object.keys(card.scores).sort()).toEqual(['impact', 'relevance', 'star']);
    // Sam's system-design turn (all 1s) is not Priya's to judge: only t1 and t3 count.
    expect(card.evidence.map((e) => e.turnId)).not.toContain('t2');
  });

  it('weights each turn by the competency it probed', () => {
    // Ownership (weight 4) scored 5, collaboration (weight 2) scored 1: (4·5 + 2·1) / 6 ≈ 3.67, a hire,
    // where an unweighted mean of 3 would be a no hire.
    const card = scorecardFor(priya, turns)!;
    expect(card.weightedMean).toBeCloseTo(22 / 6, 5);
    expect(card.lean).toBe('hire');
    expect(card.scores.star).toBe(4);
  });

  it('counts a turn on a competency the panelist weighs even when a colleague asked it', () => {
    const card = scorecardFor(priya, [judged('t9', 'sam', 'ownership', 10, 2, COLLABORATION)])!;
    expect(card.lean).toBe('strong_no_hire');
    expect(card.evidence[0]).toMatchObject({ turnId: 't9', atSec: 10 });
  });

  it('cites the lowest and the highest moment of each dimension, with turn id, time and a sentence', () => {
    const card = scorecardFor(priya, turns)!;
    const impact = card.evidence.filter((e) => e.dimension === 'impact');
    expect(impact).toEqual([
      { turnId: 't3', atSec: 420, dimension: 'impact', score: 1, quote: COLLABORATION },
      // For impact, the sentence with the number in it.
      {
        turnId: 't1',
        atSec: 30,
        dimension: 'impact',
        score: 5,
        quote: 'Releases went from monthly to weekly within 3 months.',
      },
    ]);
    expect(card.evidence.find((e) => e.dimension === 'star' && e.turnId === 't1')!.quote).toBe(
      'Our release train kept slipping and nobody owned it.',
    );
  });

  it('cites one moment when every turn scored the same', () => {
    const card = scorecardFor(priya, [turns[0]!, { ...turns[2]!, scores: all(5) }])!;
    expect(card.evidence.filter((e) => e.dimension === 'star')).toHaveLength(1);
    expect(card.evidence.find((e) => e.dimension === 'star')!.turnId).toBe('t1');
  });

  it('is null for a panelist who heard no answer on their competencies', () => {
    expect(scorecardFor(panelistById(swe, 'alex'), turns)).toBeNull();
  });
});

describe('leanOf', () => {
  it.each([
    [4.25, 'strong_hire'],
    [4.2, 'hire'],
    [3.5, 'hire'],
    [3.49, 'no_hire'],
    [2.5, 'no_hire'],
    [2.49, 'strong_no_hire'],
  ])('%d is %s', (mean, lean) => expect(leanOf(mean)).toBe(lean));
});

describe('evidenceQuote', () => {
  it('keeps a sentence with an abbreviation whole (the project’s sentence splitter)', () => {
    expect(evidenceQuote('I paged Dr. Smith at once. Then we waited.', 'star')).toBe(
      'I paged Dr. Smith at once.',
    );
  });

  it('cuts a sentence too long to take in at once, and marks the cut', () => {
    const long = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ') + '.';
    const quote = evidenceQuote(long, 'clarity');
    expect(quote.endsWith('…')).toBe(true);
    expect(quote.split(' ')).toHaveLength(MAX_QUOTE_WORDS);
  });

  it('is empty for an answer with no words', () => {
    expect(evidenceQuote(' ... ', 'star')).toBe('');
  });
});
