import type { CoachStateType, CoachStateUpdate } from '../state.js';
import { coachContext, inNode, speak, type NodeConfig } from '../context.js';
import { rewritePrompt } from '../prompts/index.js';
import { withoutInstructions } from '../guard.js';
import type { Assessment } from '../rubric.js';
import { strongerAnswer, type StarRoles } from '../coach-text/stronger-answer.js';
import { inventedFacts } from '../coach-text/faithful.js';
import { stripMarkdown } from '../coach-text/markdown.js';

/**
 * The candidate's own sentences as a stronger answer (see coach-text/stronger-answer.ts): never a fact they
 * did not say, only cleaned, ordered, cut and marked where a part is missing. `roles` swaps in another
 * reader of each sentence's STAR role (a trained classifier); the rubric's cues by default.
 */
export function composeRewrite(
  answer: string,
  a: Assessment,
  options: { question?: string; roles?: StarRoles } = {},
): string {
  return strongerAnswer(answer, a, options).text;
}

export async function rewrite(state: CoachStateType, config: NodeConfig): Promise<CoachStateUpdate> {
  return inNode(config, 'rewrite', async () => {
    const rewriteText = await speak(config, 'rewrite', {
      composed: composeRewrite(withoutInstructions(state.answer).text, state.assessment!, {
        question: state.question,
      }),
      prompt: rewritePrompt({ question: state.question, answer: state.answer }, coachContext(config).version),
      // A model's rewrite is spoken and shown as plain text, and may not say what the candidate did not.
      tidy: stripMarkdown,
      accept: (reply) => inventedFacts(reply, state.answer).length === 0,
    });
    return { rewriteText };
  });
}
