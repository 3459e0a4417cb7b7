import type { CoachStateType, CoachStateUpdate } from '../state.js';
import { coachContext, inNode, type NodeConfig } from '../context.js';
import { combine, judge } from '../judge.js';
import { OutputGuard } from '../guard.js';
import { DEFAULT_COACH_VERSION } from '../versions.js';
import { judgeReplies } from '../../core/metrics.js';

/**
 * The model's structured judgement, combined with the measured scores: last, so that no model call stands
 * between the answer and the first critique token (the critique works from the measured scores), and
 * never beside another call of the same turn (a CPU server serves one request at a time, and llama.cpp's
 * cuts a streamed reply short when another arrives). Without a model there is nothing to add.
 */
export async function score(state: CoachStateType, config: NodeConfig): Promise<CoachStateUpdate> {
  const { model, version, log } = coachContext(config);
  if (model.kind !== 'model') return {};
  return inNode(config, 'score', async () => {
    const measured = state.assessment!;
    // The judge's reasons are shown like any model text, so they pass the same output guard.
    const guard = new OutputGuard(
      version ?? DEFAULT_COACH_VERSION,
      [state.question, state.answer, ...state.passages.map((p) => p.text)].join('\n'),
    );
    const { judgement, mode, problems } = await judge(
      model.judge ?? model.chat,
      { question: state.question, answer: state.answer, passages: state.passages, assessment: measured },
      version,
      config.signal,
    );
    if (problems.length) {
      judgeReplies.inc({ mode, outcome: 'invalid' }, problems.length);
      log?.warn(
        { mode, invalid: problems.length, problems, dropped: !judgement },
        "coach: the model's scoring did not match the schema",
      );
    }
    if (judgement) judgeReplies.inc({ mode, outcome: 'valid' });
    return { assessment: combine(measured, judgement, (reason) => !guard.reject(reason)) };
  });
}
