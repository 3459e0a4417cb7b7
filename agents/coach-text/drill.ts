// The drill: one exercise on the answer's weakest dimension, built around the candidate's own words, so
// the next attempt starts from what they said rather than from a generic instruction.
import { SCORE_DIMENSIONS, type ScoreDimension } from '../../core/types.js';
import type { Assessment } from '../rubric.js';
import { OWN_CLAUSE, TEAM_CLAUSE, quoteFrom } from './quote.js';
import { contentTerms, noiseSpans, sentencesOf, wordCount } from './text.js';
import { strongerAnswer } from './stronger-answer.js';

/** The lowest-scored dimension; ties go to the first in SCORE_DIMENSIONS order (STAR before clarity...). */
export function weakestDimension(a: Assessment): ScoreDimension {
  return [...SCORE_DIMENSIONS].sort((x, y) => a.scores[x] - a.scores[y])[0]!;
}

const NAMES: Record<ScoreDimension, string> = {
  star: 'structure (STAR)',
  clarity: 'clarity',
  impact: 'impact',
  conciseness: 'conciseness',
  relevance: 'relevance',
};

/** The drill for `answer`, naming its weakest dimension and quoting its words; `requirement` is the job's. */
export function composeDrill(answer: string, a: Assessment, requirement?: string): string {
  const weakest = weakestDimension(a);
  // A strong answer's weakest part may still be a 5: then the drill keeps it there, with no score to beat.
  const score = a.scores[weakest];
  const head =
    score < 5 ? `Drill on ${NAMES[weakest]} (${score}/5): ` : `Drill to keep ${NAMES[weakest]} sharp: `;
  // Quotes come from the story, verbatim: never from a sentence the stronger answer drops as an aside (as
  // the assess node found them where the trained judgement scored; else worked out here).
  const key = (s: string) => contentTerms(s).join(' ');
  const asides = new Set((a.metrics.asides ?? strongerAnswer(answer, a).removed.tangents).map(key));
  const story =
    sentencesOf(answer)
      .filter((s) => !asides.has(key(s)))
      .join(' ') || answer;
  const any = quoteFrom(story);
  const own = quoteFrom(story, (c) => OWN_CLAUSE.test(c));
  const team = quoteFrom(story, (c) => TEAM_CLAUSE.test(c));
  const result = a.metrics.star.result ? quoteFrom(a.metrics.star.result) : null;
  const q = (s: string | null, fallback: string) => (s ? `"${s}"` : fallback);
  // Asked what they would do and told no time they did it: the structure and the impact an answer lacks are
  // a time it happened.
  if (a.metrics.inGeneral && !result && (weakest === 'star' || weakest === 'impact'))
    return `${head}answer it again and back it with one time you did it: after ${q(own ?? any, 'your plan')}, say where it was, what you did, and what changed, with a number.`;
  switch (weakest) {
    case 'star': {
      // At STAR 5 no part is missing (the guide allows an implied task), whatever the sentence roles say.
      const missing =
        a.scores.star < 5
          ? (['situation', 'task', 'action', 'result'] as const).filter((p) => !a.metrics.star[p])
          : [];
      if (missing.includes('action') && team)
        return `${head}you said "${team}". Tell it again with "I": the two or three steps you took yourself, then what changed.`;
      return `${head}tell it again in four beats, starting from ${q(any, 'where you were')}: the situation, what you had to do, what you did, and how it ended${missing.length ? ` (this time say the ${missing.join(' and the ')})` : ''}.`;
    }
    case 'clarity': {
      const noise = [
        ...new Set(noiseSpans(answer).map(({ start, end }) => answer.slice(start, end).toLowerCase())),
      ].slice(0, 3);
      const longest = [...sentencesOf(answer)].sort((x, y) => wordCount(y) - wordCount(x))[0] ?? '';
      const start = quoteFrom(longest);
      return `${head}say it again without ${noise.length ? noise.map((w) => `"${w}"`).join(', ') : 'the long sentences'}. Start with ${q(start, 'your first point')} and stop each sentence before 20 words; pause where a filler would go.`;
    }
    case 'impact': {
      // "Say the result again" only where there is one; else after the action, or a story to tell first. A
      // result with its number already is not asked for one: it is set against where things started.
      const measured = a.metrics.quantities[0];
      if (result && measured)
        return `${head}make the result land: say "${measured}" beside where things stood before, and what it meant for the people it mattered to.`;
      if (result)
        return `${head}say the result again with a number: after "${result}", add by how much, for how many people, or how fast.`;
      const action = a.metrics.star.action ? quoteFrom(a.metrics.star.action) : null;
      if (action)
        return `${head}end with what changed because of you: after "${action}", say by how much, for how many people, or how fast.`;
      return `${head}tell one real time it happened, starting from ${q(any, 'where you were')}: what you did yourself, then what changed, with a number.`;
    }
    case 'conciseness':
      return a.metrics.words < 70
        ? `${head}tell it again in about a minute: after ${q(any, 'your opening')}, add what you did step by step and what changed.`
        : `${head}tell it again in 90 seconds: keep ${q(own ?? any, 'your own actions')} and ${q(result, 'the result')}, and drop the background.`;
    case 'relevance':
      return `${head}tell it again linking ${q(own ?? any, 'what you did')} to what the job asks for${requirement ? `: "${requirement}"` : ''}.`;
  }
}
