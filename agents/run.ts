// Runs the coach graph with streaming on and hands every event to the caller as it happens.
import { awaitAllCallbacks } from '@langchain/core/callbacks/promises';
import type { BaseMessage } from '@langchain/core/messages';
import type { LLMResult } from '@langchain/core/outputs';
import type { GraphNode, SessionEvent } from '../core/types.js';
import { llmTokens, timeToFirstToken } from '../core/metrics.js';
import type { CoachContext } from './context.js';
import type { CoachGraph } from './graph.js';
import type { CoachStateType, CoachStateUpdate } from './state.js';
import { tokensOf } from './tokens.js';

/**
 * `onTokens` hears the model tokens the run spent, once at its end (never for the offline coach, which
 * spends none): the worker books them against the user's daily quota. `signal` aborts the run and the model
 * call in flight (an activity attempt that was given up on).
 */
export async function runCoach(
  graph: CoachGraph,
  input: CoachStateUpdate,
  coach: CoachContext,
  onEvent: (event: SessionEvent) => void | Promise<void>,
  onTokens?: (tokens: number) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<CoachStateType> {
  // A copy: a reload that swaps the model or the prompt version (SIGHUP, the admin API) starts with the next
  // run, never halfway through this one.
  const started = performance.now();
  let firstToken = true;
  let final: CoachStateType | undefined;
  let spent = 0;
  // Each call's prompt, to count its tokens when the server reports no usage.
  const prompts = new Map<string, BaseMessage[]>();
  const offlineParts = new Set<GraphNode>();
  // Callbacks given to the run reach every model call inside its nodes (LangChain passes them down).
  const stream = await graph.stream(input, {
    streamMode: ['custom', 'values'],
    configurable: { coach: { ...coach }, offlineParts },
    ...(signal && { signal }),
    callbacks: [
      {
        handleChatModelStart: (_llm: unknown, messages: BaseMessage[][], runId: string) =>
          void prompts.set(runId, messages.flat()),
        handleLLMEnd: (output: LLMResult, runId: string) => {
          spent += tokensOf(output, prompts.get(runId));
          prompts.delete(runId);
        },
      },
    ],
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
  final.offlineParts = [...offlineParts];
  if (onTokens && coach.model.kind === 'model') {
    await awaitAllCallbacks(); // handlers may run in the background; count the last call's usage too
    if (spent > 0) await onTokens(spent);
  }
  return final;
}
