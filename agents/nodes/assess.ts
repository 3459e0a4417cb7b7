import type { CoachStateType, CoachStateUpdate } from '../state.js';
import {
  assess as measureAnswer,
  INSTRUCTED_CLARITY,
  jobKeywords,
  STAR_PARTS,
  type Assessment,
} from '../rubric.js';
import { withoutInstructions } from '../guard.js';
import { segmentSentences } from '../judgement/features.js';
import { sharedTrainedJudge, type TrainedJudge } from '../judgement/index.js';
import { SCORE_DIMENSIONS, clampScore } from '../../core/types.js';
import { coachContext, inNode, speak, type NodeConfig } from '../context.js';

/**
 * The measured assessment, the same for every provider: the rubric's metrics with the trained judgement's
 * scores (a model's judgement is added last, by the `score` node). Streams a one-line summary of what was
 * measured.
 */
export async function assess(state: CoachStateType, config: NodeConfig): Promise<CoachStateUpdate> {
  return inNode(config, 'assess', async () => {
    const jobText = state.passages
      .filter((p) => p.kind !== 'resume')
      .map((p) => p.text)
      .join('\n');
    const { scorer, judgement } = coachContext(config);
    const rubric = measureAnswer(state.answer, jobKeywords(jobText, state.question));
    const judge = judgement === undefined ? sharedTrainedJudge().judge : judgement;
    const assessment =
      scorer === 'rubric' || !judge ? rubric : await withTrainedScores(judge, rubric, state, jobText);
    const m = assessment.metrics;
    const found = STAR_PARTS.filter((p) => m.star[p]);
    const summary =
      `${m.words} words; STAR parts found: ${found.join(', ') || 'none'}; ` +
      `${m.quantities.length} quantified result(s); ${m.fillers.length} filler word(s); ` +
      `${Math.round(m.keywordCoverage * 100)}% of the role's key terms.`;
    // A measurement, not writing: paced, it would only hold back the critique's first sentence.
    await speak(config, 'assess', { composed: summary, unpaced: 'all' });
    return { assessment };
  });
}

/** The job's text as the trained judge reads a job: its first sentence as the title, the rest as requirements. */
function jobOf(jobText: string, question: string) {
  const sentences = segmentSentences(jobText.replace(/[*_#>`|]+/g, ' ').replace(/^\s*[-•]\s*/gm, ''))
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => /\p{L}/u.test(s));
  return { title: sentences[0] ?? question, requirements: sentences.slice(1, 25) };
}

/**
 * The rubric's assessment with the trained judgement's scores (agents/judgement; it agrees with the labelled
 * corpus far better than the keyword rubric on every dimension, see `npm run eval`). The rubric's metrics,
 * strengths and reasons stay as what was measured; the relevance reason names the closest requirement, since
 * relevance is now judged by meaning, not by shared keywords. Without the embedding model the rubric scores.
 */
async function withTrainedScores(
  judge: TrainedJudge,
  rubric: Assessment,
  state: CoachStateType,
  jobText: string,
): Promise<Assessment> {
  // Sentences addressed to the coach are not part of the answer (as in the rubric), and cap clarity.
  const answer = withoutInstructions(state.answer).text;
  if (!answer.trim()) return rubric;
  const judged = await judge.judge({ job: jobOf(jobText, state.question), question: state.question, answer });
  const scores = { ...judged.scores };
  if (rubric.metrics.instructions.length)
    scores.clarity = clampScore(Math.min(scores.clarity, INSTRUCTED_CLARITY));
  const reasons = { ...rubric.reasons };
  if (judged.closest && jobText.trim()) {
    reasons.relevance = `Closest to the role: "${judged.closest.sentence}" speaks to "${judged.closest.requirement}".`;
  }
  const gaps =
    scores.relevance >= 4 ? rubric.gaps.filter((g) => !g.startsWith('Connect to the role')) : rubric.gaps;
  for (const d of SCORE_DIMENSIONS) scores[d] = clampScore(scores[d]);
  return { ...rubric, scores, reasons, gaps };
}
