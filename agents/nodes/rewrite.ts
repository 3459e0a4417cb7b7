import type { CoachStateType, CoachStateUpdate } from '../state.js';
import { coachContext, inNode, speak, type NodeConfig } from '../context.js';
import { rewritePrompt } from '../prompts/index.js';
import { withoutInstructions } from '../guard.js';
import { splitSentences } from '../../core/text/index.js';
import { STAR_PARTS, type Assessment, type StarPart } from '../rubric.js';

const PLACEHOLDER: Record<StarPart, string> = {
  situation: '[Situation: where you were and what was at stake]',
  task: '[Task: what you were responsible for]',
  action: '[Action: the steps you personally took]',
  result: '[Result: what changed, with a number]',
};

/** Reorders the candidate's own sentences into STAR; never adds a fact, only marks what is missing. */
export function composeRewrite(answer: string, a: Assessment): string {
  const used = new Set<string>();
  const lines = STAR_PARTS.map((part) => {
    const sentence = a.metrics.star[part];
    if (!sentence || used.has(sentence)) return PLACEHOLDER[part];
    used.add(sentence);
    return sentence;
  });
  const rest = splitSentences(answer).filter((s) => !used.has(s));
  // Unclassified sentences belong with the actions, the part interviewers probe most.
  if (rest.length) lines.splice(3, 0, rest.join(' '));
  let text = lines.join(' ');
  if (a.metrics.quantities.length === 0 && a.metrics.star.result)
    text += ' [add the measurable result, e.g. the % change or time saved]';
  return text;
}

export async function rewrite(state: CoachStateType, config: NodeConfig): Promise<CoachStateUpdate> {
  return inNode(config, 'rewrite', async () => {
    const rewriteText = await speak(config, 'rewrite', {
      composed: composeRewrite(withoutInstructions(state.answer).text, state.assessment!),
      prompt: rewritePrompt({ question: state.question, answer: state.answer }, coachContext(config).version),
    });
    return { rewriteText };
  });
}
