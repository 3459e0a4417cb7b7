// What a graph run needs from outside, passed through config.configurable (never globals).
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { DocumentKind, GraphNode, SessionEvent } from '../core/types.js';
import { sentenceSegments } from '../core/text/index.js';
import type { ScoredChunk } from '../ingestion/store.js';
import type { Embedder } from '../ingestion/embed.js';
import type { CoachModel } from './provider.js';
import type { TrainedJudge } from './judgement/index.js';
import type { Prompt } from './prompts/index.js';
import { DEFAULT_COACH_VERSION, type CoachVersion } from './versions.js';
import { OutputGuard } from './guard.js';
import { coachFallbacks, guardDrops } from '../core/metrics.js';

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
  /** Sentence embeddings, to tell the job's role family by meaning (keywords decide without it). */
  embedder?: Embedder;
  /** Where a model reply that was dropped or replaced is logged (the process's logger). */
  log?: CoachLog;
  /**
   * Who scores an answer: the trained judgement (agents/judgement, the default when its embedding model is
   * set up) or the old keyword rubric alone (agents/rubric.ts; the eval harness's "rubric (today)" baseline).
   */
  scorer?: 'trained' | 'rubric';
  /**
   * The trained judgement the app serves (server/services.ts: the registry's `coach-judgement@production`
   * weights or the repo's), swapped in place on reload; null when it cannot run (no embedding model set up),
   * so the rubric scores. Unset (the eval harness, unit tests): the process's judge with the repo weights.
   */
  judgement?: TrainedJudge | null;
}

/** The part of a logger the coach uses: one line per model reply it could not use as it came. */
export interface CoachLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

export type NodeConfig = LangGraphRunnableConfig<{
  coach?: CoachContext;
  /** Collects the nodes that fell back to the offline coach's text during the run (see speak). */
  offlineParts?: Set<GraphNode>;
}>;

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
 * The complete sentences (or lines) of streamed text, each with its trailing space: the unit the output
 * guard judges. The last one waits for more tokens, since the next may continue it ("3." + "5 million").
 */
const completeSentences = (buffer: string): string[] => sentenceSegments(buffer).slice(0, -1);

/**
 * Streams a node's text token by token: from the model when there is one and a prompt is given, else the
 * composed text (the offline coach's, or a measured summary), paced so it reads like a live coach.
 * Returns the whole text.
 *
 * A model's text passes the output guard (agents/guard.ts) sentence by sentence before any of it is sent:
 * a sentence that quotes the prompt, carries a link or secret-looking token the session's data does not
 * hold, or echoes an injected instruction is dropped. `accept`, when given, judges the whole text first (so
 * nothing streams until it is accepted), after `tidy` (e.g. Markdown removed); a rejected or empty reply is
 * replaced by the composed text.
 *
 * The offline coach paces its text, except what `unpaced` names: 'all' of a measurement (nothing is being
 * written), or the 'first-sentence' of a text whose opening is meant to be spoken the moment it exists.
 */
export async function speak(
  config: NodeConfig,
  node: GraphNode,
  source: {
    composed: string;
    prompt?: Prompt;
    accept?: (text: string) => boolean;
    tidy?: (text: string) => string;
    unpaced?: 'all' | 'first-sentence';
  },
): Promise<string> {
  const { model, version, log } = coachContext(config);
  if (model.kind === 'model' && source.prompt) {
    const guard = new OutputGuard(version ?? DEFAULT_COACH_VERSION, source.prompt.user);
    const stream = await model.chat.stream(
      [
        { role: 'system', content: source.prompt.system },
        { role: 'user', content: source.prompt.user },
      ],
      { signal: config.signal },
    );
    let text = '';
    // The model's pieces not yet judged; a sentence that passes is sent as the pieces it came in.
    const pending: string[] = [];
    const take = (length: number): string[] => {
      const out: string[] = [];
      while (length > 0 && pending.length) {
        const head = pending[0]!;
        if (head.length <= length) {
          out.push(head);
          pending.shift();
          length -= head.length;
        } else {
          out.push(head.slice(0, length));
          pending[0] = head.slice(length);
          length = 0;
        }
      }
      return out;
    };
    const pass = (sentence: string) => {
      const pieces = take(sentence.length);
      if (!sentence.trim()) return;
      const rejection = guard.reject(sentence);
      if (rejection) {
        guardDrops.inc({ node, reason: rejection });
        log?.warn({ node, reason: rejection }, 'coach: a model sentence was dropped by the output guard');
        return;
      }
      text += sentence;
      if (!source.accept) for (const p of pieces) emit(config, { type: 'token', node, text: p });
    };
    for await (const chunk of stream) {
      const piece = typeof chunk.content === 'string' ? chunk.content : '';
      if (!piece) continue;
      pending.push(piece);
      completeSentences(pending.join('')).forEach(pass);
    }
    pass(pending.join(''));
    const reply = (source.tidy?.(text) ?? text).trim();
    if (reply && !source.accept) return reply;
    if (reply && source.accept?.(reply)) return streamText(config, node, reply, 0);
    coachFallbacks.inc({ node, reason: reply ? 'rejected' : 'empty' });
    log?.warn(
      { node, reason: reply ? 'rejected' : 'empty' },
      "coach: the model's reply was replaced by the offline text",
    );
    config.configurable?.offlineParts?.add(node);
    return streamText(config, node, source.composed, 0);
  }
  const delay = model.kind === 'offline' ? model.tokenDelayMs : 0;
  const unpaced =
    source.unpaced === 'all'
      ? source.composed.length
      : source.unpaced === 'first-sentence'
        ? (sentenceSegments(source.composed)[0]?.length ?? 0)
        : 0;
  return streamText(config, node, source.composed, delay, unpaced);
}

/** Sends `text` word by word, waiting `delay` ms before each word that starts at or after `unpaced` chars. */
async function streamText(
  config: NodeConfig,
  node: GraphNode,
  text: string,
  delay: number,
  unpaced = 0,
): Promise<string> {
  let sent = '';
  for (const piece of text.match(/\S+\s*/g) ?? []) {
    if (delay > 0 && sent.length >= unpaced) await sleep(delay);
    sent += piece;
    emit(config, { type: 'token', node, text: piece });
  }
  return sent.trim();
}
