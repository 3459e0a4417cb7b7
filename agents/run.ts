// Runs the coach graph with streaming on and hands every event to the caller as it happens.
import type { SessionEvent } from '../core/types.js';
import { llmTokens, timeToFirstToken } from '../core/metrics.js';
import type { CoachContext } from './context.js';
import type { CoachGraph } from './graph.js';
import type { CoachStateType, CoachStateUpdate } from './state.js';

export async function runCoach(
  graph: CoachGraph,
  input: CoachStateUpdate,
  coach: CoachContext,
  onEvent: (event: SessionEvent) => void | Promise<void>,
): Promise<CoachStateType> {
  // A copy: a reload that swaps the model or the prompt version (SIGHUP, the admin API) starts with the next
  // run, never halfway through this one.
  const started = performance.now();
  let firstToken = true;
  let final: CoachStateType | undefined;
  const stream = await graph.stream(input, {
    streamMode: ['custom', 'values'],
    configurable: { coach: { ...coach } },
  });
  for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
    if (mode === 'values') {
      final = chunk as CoachStateType;
      continue;
    }
    const event = chunk as SessionEvent;
    if (event.type === 'token') {
      llmTokens.inc({ provider: coach.model.kind, node: event.node });
      if (firstToken) {
        firstToken = false;
        timeToFirstToken.observe({ phase: input.phase ?? 'ask' }, (performance.now() - started) / 1000);
      }
    }
    await onEvent(event);
  }
  if (!final) throw new Error('the coach graph produced no state');
  return final;
}
