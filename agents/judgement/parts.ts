// Which STAR part a sentence plays, as the trained judgement's sentence model reads it: one home for the
// reading the coach's feedback (agents/nodes/assess.ts) and the tough panelist's cut-in
// (agents/panel/interrupt.ts) both use, so they never disagree on whether a result was said.
import { STAR_PARTS, type StarPart } from '../rubric.js';
import { STAR_ROLES } from '../../eval/corpus/schema.js';
import { argmax, type SentenceRoles } from './features.js';
import type { Judgement, TrainedJudge } from './index.js';

/**
 * A sentence plays the STAR part its sentence model finds likeliest, once that part is this likely: a scene
 * set in passing ("At ShopCo our deploys were manual…") is read as situation 0.45 and "other" 0.50, and is
 * still the situation; a filler or a tangent has no part near this.
 */
export const PART_AT_LEAST = 0.3;

export function starPartOf(roles: SentenceRoles): StarPart | null {
  const p = STAR_PARTS.map((part) => roles.star[STAR_ROLES.indexOf(part)]!);
  const i = argmax(p);
  return p[i]! >= PART_AT_LEAST ? STAR_PARTS[i]! : null;
}

/**
 * The answer as the judgement reads it, for its sentences' parts: the job does not matter to a sentence's
 * part, so the question stands in for it.
 */
export const readSentences = (judge: TrainedJudge, question: string, answer: string): Promise<Judgement> =>
  judge.judge({ job: { title: question, requirements: [] }, question, answer });
