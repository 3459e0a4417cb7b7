import type { CoachStateType, CoachStateUpdate } from '../state.js';
import { assess as measureAnswer, jobKeywords, STAR_PARTS } from '../rubric.js';
import { inNode, speak, type NodeConfig } from '../context.js';

/**
 * Deterministic rubric metrics, the same for every provider (a model's judgement is added last, by the
 * `score` node). Streams a one-line summary of what was measured.
 */
export async function assess(state: CoachStateType, config: NodeConfig): Promise<CoachStateUpdate> {
  return inNode(config, 'assess', async () => {
    const jobText = state.passages
      .filter((p) => p.kind !== 'resume')
      .map((p) => p.text)
      .join('\n');
    const assessment = measureAnswer(state.answer, jobKeywords(jobText, state.question));
    const m = assessment.metrics;
    const found = STAR_PARTS.filter((p) => m.star[p]);
    const summary =
      `${m.words} words; STAR parts found: ${found.join(', ') || 'none'}; ` +
      `${m.quantities.length} quantified result(s); ${m.fillers.length} filler word(s); ` +
      `${Math.round(m.keywordCoverage * 100)}% of the role's key terms.`;
    await speak(config, 'assess', { composed: summary });
    return { assessment };
  });
}
