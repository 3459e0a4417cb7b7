// Runs the coach graph with streaming on and hands every event to the caller as it happens.
import { awaitAllCallbacks } from '@langchain/core/callbacks/promises';
import type { LLMResult } from '@langchain/core/outputs';
import type { GraphNode, SessionEvent } from '../core/types.js';
import { llmTokens, timeToFirstToken } from '../core/metrics.js';
import type { CoachContext } from './context.js';
import type { CoachGraph } from './graph.js';
import type { CoachStateType, CoachStateUpdate } from './state.js';

/** The tokens (prompt + completion) of one model call, from the usage the provider reported. */
function tokensOf(output: LLMResult): number {
  let total = 0;
  for (const generation of output.generations.flat()) {
    const usage = (generation as { message?: { usage_metadata?: { total_tokens?: number } } }).message
      ?.usage_metadata;
    total += usage?.total_tokens ?? 0;
  }
  if (total > 0) return total;
  const reported = output.llmOutput as
    { tokenUsage?: { totalTokens?: number }; estimatedTokenUsage?: { totalTokens?: number } } | undefined;
  return reported?.tokenUsage?.totalTokens ?? reported?.estimatedTokenUsage?.totalTokens ?? 0;
}

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
  const offlineParts = new Set<GraphNode>();
  // Callbacks given to the run reach every model call inside its nodes (LangChain passes them down).
  const stream = await graph.stream(input, {
    streamMode: ['custom', 'values'],
    configurable: { coach: { ...coach }, offlineParts },
    ...(signal && { signal }),
    callbacks: [{ handleLLMEnd: (output: LLMResult) => void (spent += tokensOf(output)) }],
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
