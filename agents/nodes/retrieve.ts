import type { CoachStateType, CoachStateUpdate } from '../state.js';
import { coachContext, inNode, type NodeConfig } from '../context.js';

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
      return { passages: [...jd, ...resume] };
    }
    return { passages: await search(state.jobId, `${state.question}\n${state.answer}`, k) };
  });
}
