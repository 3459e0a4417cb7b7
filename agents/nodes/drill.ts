import type { CoachStateType, CoachStateUpdate } from '../state.js';
import { coachContext, inNode, speak, type NodeConfig } from '../context.js';
import { drillPrompt } from '../prompts/index.js';
import { withoutInstructions } from '../guard.js';
import { composeDrill, weakestDimension } from '../coach-text/drill.js';
import { requirementPhrases } from '../coach-text/requirements.js';

export { weakestDimension };

export async function drill(state: CoachStateType, config: NodeConfig): Promise<CoachStateUpdate> {
  return inNode(config, 'drill', async () => {
    const a = state.assessment!;
    const requirement = requirementPhrases(state.passages.filter((p) => p.kind === 'jd'))[0]?.phrase;
    const drillText = await speak(config, 'drill', {
      composed: composeDrill(withoutInstructions(state.answer).text, a, requirement),
      prompt: drillPrompt(
        { weakest: weakestDimension(a), question: state.question },
        coachContext(config).version,
      ),
    });
    return { drillText };
  });
}
