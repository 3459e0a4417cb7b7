import type { CoachStateType, CoachStateUpdate } from '../state.js';
import { coachContext, inNode, speak, type NodeConfig } from '../context.js';
import { critiquePrompt } from '../prompts/index.js';
import type { Assessment } from '../rubric.js';
import { SCORE_DIMENSIONS } from '../../core/types.js';
import { requirementPhrases } from '../coach-text/requirements.js';
import { verdictOf } from '../coach-text/verdict.js';

/** The offline coach's critique: a short verdict first (spoken at once), then what worked and what to add. */
export function composeCritique(a: Assessment, requirement: string | undefined): string {
  const parts: string[] = [verdictOf(a)];
  parts.push(
    a.strengths.length
      ? `What worked: ${a.strengths.slice(0, 2).join('; ')}.`
      : 'The answer needs more substance before it can land.',
  );
  const weakest = SCORE_DIMENSIONS.filter((d) => a.scores[d] <= 3).map(
    (d) => `${d} (${a.scores[d]}/5): ${a.reasons[d]}`,
  );
  if (weakest.length) parts.push(`To improve — ${weakest.slice(0, 3).join(' ')}`);
  if (a.gaps.length) parts.push(`Gaps: ${a.gaps.slice(0, 3).join('; ')}.`);
  if (requirement) parts.push(`Tie it to what the job asks for: "${requirement}".`);
  return parts.join(' ');
}

export async function critique(state: CoachStateType, config: NodeConfig): Promise<CoachStateUpdate> {
  return inNode(config, 'critique', async () => {
    const a = state.assessment!;
    // One short requirement phrase of the job, never a chunk cut mid-word.
    const requirement = requirementPhrases(state.passages.filter((p) => p.kind === 'jd'))[0]?.phrase;
    const rubric = SCORE_DIMENSIONS.map((d) => `${d} ${a.scores[d]}/5 (${a.reasons[d]})`).join('; ');
    const critiqueText = await speak(config, 'critique', {
      composed: composeCritique(a, requirement),
      // The verdict goes out unpaced: the voice starts on it while the rest is still streaming.
      unpaced: 'first-sentence',
      prompt: critiquePrompt(
        {
          question: state.question,
          answer: state.answer,
          rubric,
          passages: state.passages,
        },
        coachContext(config).version,
      ),
    });
    return { critiqueText };
  });
}
