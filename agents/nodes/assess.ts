import type { CoachStateType, CoachStateUpdate } from '../state.js';
import { assess as measureAnswer, jobKeywords, STAR_PARTS } from '../rubric.js';
import { coachContext, inNode, speak, type NodeConfig } from '../context.js';
import { combine, judge } from '../judge.js';
import { OutputGuard } from '../guard.js';
import { DEFAULT_COACH_VERSION } from '../versions.js';

/**
 * Deterministic rubric metrics, the same for every provider, combined with the model's structured
 * judgement when there is a model. Streams a one-line summary of what was measured.
 */
export async function assess(state: CoachStateType, config: NodeConfig): Promise<CoachStateUpdate> {
  return inNode(config, 'assess', async () => {
    const jobText = state.passages
      .filter((p) => p.kind !== 'resume')
      .map((p) => p.text)
      .join('\n');
    const measured = measureAnswer(state.answer, jobKeywords(jobText, state.question));
    const { model, version } = coachContext(config);
    // The judge's reasons are shown like any model text, so they pass the same output guard.
    const guard = new OutputGuard(
      version ?? DEFAULT_COACH_VERSION,
      [state.question, state.answer, ...state.passages.map((p) => p.text)].join('\n'),
    );
    const assessment =
      model.kind === 'model'
        ? combine(
            measured,
            await judge(
              model.chat,
              {
                question: state.question,
                answer: state.answer,
                passages: state.passages,
                assessment: measured,
              },
              version,
            ),
            (reason) => !guard.reject(reason),
          )
        : measured;
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
