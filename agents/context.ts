// What a graph run needs from outside, passed through config.configurable (never globals).
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { DocumentKind, GraphNode, SessionEvent } from '../core/types.js';
import type { ScoredChunk } from '../ingestion/store.js';
import type { CoachModel } from './provider.js';
import type { Prompt } from './prompts/index.js';
import type { CoachVersion } from './versions.js';

export type Retriever = (
  jobId: string,
  query: string,
  k: number,
  kinds?: DocumentKind[],
) => Promise<ScoredChunk[]>;

export interface CoachContext {
  model: CoachModel;
  retrieve: Retriever;
  k: number;
  /** The prompt set (and the model settings `model` was built with); the repo's coach-prompts@1 when unset. */
  version?: CoachVersion;
}

export type NodeConfig = LangGraphRunnableConfig<{ coach?: CoachContext }>;

export function coachContext(config: NodeConfig): CoachContext {
  const coach = config.configurable?.coach;
  if (!coach) throw new Error('the coach graph needs configurable.coach');
  return coach;
}

const emit = (config: NodeConfig, event: SessionEvent) => config.writer?.(event);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Marks a node's start and end in the stream around its work. */
export async function inNode<T>(config: NodeConfig, node: GraphNode, work: () => Promise<T>): Promise<T> {
  emit(config, { type: 'node', node, status: 'start' });
  const result = await work();
  emit(config, { type: 'node', node, status: 'end' });
  return result;
}

/**
 * Streams a node's text token by token: from the model when there is one and a prompt is given, else the
 * composed text (the offline coach's, or a measured summary), paced so it reads like a live coach.
 * Returns the whole text.
 */
export async function speak(
  config: NodeConfig,
  node: GraphNode,
  source: { composed: string; prompt?: Prompt },
): Promise<string> {
  const { model } = coachContext(config);
  let text = '';
  if (model.kind === 'model' && source.prompt) {
    const stream = await model.chat.stream([
      { role: 'system', content: source.prompt.system },
      { role: 'user', content: source.prompt.user },
    ]);
    for await (const chunk of stream) {
      const piece = typeof chunk.content === 'string' ? chunk.content : '';
      if (!piece) continue;
      text += piece;
      emit(config, { type: 'token', node, text: piece });
    }
    return text.trim();
  }
  const delay = model.kind === 'offline' ? model.tokenDelayMs : 0;
  for (const piece of source.composed.match(/\S+\s*/g) ?? []) {
    if (delay > 0) await sleep(delay);
    text += piece;
    emit(config, { type: 'token', node, text: piece });
  }
  return text.trim();
}
