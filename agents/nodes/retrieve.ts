import type { CoachStateType, CoachStateUpdate } from '../state.js';
import { coachContext, inNode, type NodeConfig } from '../context.js';
import { fence, withoutInstructions } from '../guard.js';
import type { ScoredChunk } from '../../ingestion/store.js';

/**
 * Passages as the coach may use them: sentences addressed to a model (an injected "ignore previous
 * instructions" in a job description) are dropped before anything quotes, cites or prompts with them.
 */
const usable = (passages: ScoredChunk[]): ScoredChunk[] =>
  passages.map((p) => ({ ...p, text: fence(p.text) })).filter((p) => p.text.trim());

const MODULE_FOCUS: Record<string, string> = {
  behavioral: 'responsibilities requirements experience collaboration results ownership',
  technical: 'technical skills systems tools architecture requirements',
  culture: 'mission values culture team customers',
  mixed: 'requirements responsibilities experience values',
};

/** Finds the job's passages: what the role asks for (to ask) or what the answer should address (to coach). */
export async function retrieve(state: CoachStateType, config: NodeConfig): Promise<CoachStateUpdate> {
  return inNode(config, 'retrieve', async () => {
    const { retrieve: search, k } = coachContext(config);
    if (state.phase === 'ask') {
      const query = `${state.role} ${MODULE_FOCUS[state.module] ?? ''} ${state.asked.at(-1) ?? ''}`;
      const [jd, resume] = await Promise.all([
        search(state.jobId, query, k, ['jd', 'company', 'notes']),
        search(state.jobId, query, 2, ['resume']),
      ]);
      return { passages: usable([...jd, ...resume]) };
    }
    return {
      passages: usable(
        await search(state.jobId, `${state.question}\n${withoutInstructions(state.answer).text}`, k),
      ),
    };
  });
}
