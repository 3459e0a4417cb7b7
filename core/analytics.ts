// Progress from coached answers: pure functions shared by the session debrief (worker) and the analytics
// route (API). A question's "final attempt" is its last coached retry; earlier attempts are practice.
import type { CoachedTurn } from './stores/turns.js';
import { SCORE_DIMENSIONS, type Debrief, type Feedback, type ScoreDimension } from './types.js';

export type { CoachedTurn };

const round1 = (n: number) => Math.round(n * 10) / 10;
export const mean = (xs: number[]): number | null =>
  xs.length ? round1(xs.reduce((a, b) => a + b, 0) / xs.length) : null;

/** The coached turns that no later coached retry replaced, in order. */
export function finalAttempts<T extends CoachedTurn>(turns: T[]): (T & { feedback: Feedback })[] {
  const coached = turns.filter((t): t is T & { feedback: Feedback } => t.feedback !== null);
  const replaced = new Set(coached.flatMap((t) => (t.retryOf ? [t.retryOf] : [])));
  return coached.filter((t) => !replaced.has(t.id));
}

/** Mean score per dimension over answers; null where there is none. */
export function dimensionMeans(answers: { feedback: Feedback }[]): Record<ScoreDimension, number | null> {
  return Object.fromEntries(
    SCORE_DIMENSIONS.map((d) => [d, mean(answers.map((a) => a.feedback.scores[d]))]),
  ) as Record<ScoreDimension, number | null>;
}

const overall = (f: Feedback) =>
  SCORE_DIMENSIONS.reduce((n, d) => n + f.scores[d], 0) / SCORE_DIMENSIONS.length;

/** Mean of the five scores per competency, weakest first. */
export function competencyMeans(answers: { competency: string | null; feedback: Feedback }[]) {
  const by = new Map<string, number[]>();
  for (const a of answers) {
    if (!a.competency) continue;
    by.set(a.competency, [...(by.get(a.competency) ?? []), overall(a.feedback)]);
  }
  return [...by]
    .map(([competency, xs]) => ({ competency, answers: xs.length, average: mean(xs)! }))
    .sort((a, b) => a.average - b.average || a.competency.localeCompare(b.competency));
}

/** Competencies to practise next: the weakest two below "good" (3.5 of 5). */
export function weakCompetencies(answers: { competency: string | null; feedback: Feedback }[]): string[] {
  return competencyMeans(answers)
    .filter((c) => c.average < 3.5)
    .slice(0, 2)
    .map((c) => c.competency);
}

export function weakestDimensions(means: Record<ScoreDimension, number | null>, n = 2): ScoreDimension[] {
  return SCORE_DIMENSIONS.filter((d) => means[d] !== null)
    .sort((a, b) => means[a]! - means[b]!)
    .slice(0, n);
}

/** The session's summary: averages of its final attempts, recurring strengths and gaps, drills for the weakest. */
export function debriefOf(turns: CoachedTurn[]): Debrief {
  const finals = finalAttempts(turns);
  const means = dimensionMeans(finals);
  const count = (xs: string[]) =>
    [...xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>())]
      .sort((a, b) => b[1] - a[1])
      .map(([x]) => x);
  // Each answer's drill trains its weakest dimension: the drills of the weakest answers come first.
  const byWeakness = [...finals].sort((a, b) => overall(a.feedback) - overall(b.feedback));
  return {
    scores: Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, means[d] ?? 0])) as Record<
      ScoreDimension,
      number
    >,
    strengths: count(finals.flatMap((t) => t.feedback.strengths)).slice(0, 3),
    gaps: count(finals.flatMap((t) => t.feedback.gaps)).slice(0, 3),
    drills: [...new Set(byWeakness.map((t) => t.feedback.drill))].slice(0, 3),
    answered: finals.length,
  };
}
