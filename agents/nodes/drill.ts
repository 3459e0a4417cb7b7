import type { CoachStateType, CoachStateUpdate } from '../state.js';
import { coachContext, inNode, speak, type NodeConfig } from '../context.js';
import { drillPrompt } from '../prompts/index.js';
import { SCORE_DIMENSIONS, type ScoreDimension } from '../../core/types.js';
import type { Assessment } from '../rubric.js';

const DRILLS: Record<ScoreDimension, string> = {
  star: 'Answer again in four labelled beats: one sentence each for situation and task, three for action, one for result.',
  clarity:
    'Answer again in sentences of at most 20 words, with no filler words; pause instead of saying "um".',
  impact: 'Answer again ending with one number that shows the result: a %, time saved, users, or money.',
  conciseness: 'Answer again in under 90 seconds (about 200 words): cut background, keep your actions.',
  relevance:
    'Answer again naming one requirement of the job description and how your story proves you meet it.',
};

export function weakestDimension(a: Assessment): ScoreDimension {
  return [...SCORE_DIMENSIONS].sort((x, y) => a.scores[x] - a.scores[y])[0]!;
}

export async function drill(state: CoachStateType, config: NodeConfig): Promise<CoachStateUpdate> {
  return inNode(config, 'drill', async () => {
    const weakest = weakestDimension(state.assessment!);
    const drillText = await speak(config, 'drill', {
      composed: DRILLS[weakest],
      prompt: drillPrompt({ weakest, question: state.question }, coachContext(config).version),
    });
    return { drillText };
  });
}
