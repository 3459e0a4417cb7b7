// The coach's language model, chosen by env: any OpenAI-compatible endpoint, or the offline rule-based
// coach whose text is composed from deterministic rubric metrics and the retrieved passages.
import { ChatOpenAI } from '@langchain/openai';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Config } from '../core/config.js';
import type { CoachVersion } from './versions.js';

export type CoachModel =
  | { kind: 'offline'; name: 'offline-rubric-coach'; tokenDelayMs: number }
  | {
      kind: 'model';
      name: string;
      chat: BaseChatModel;
      /** The same model for the structured scoring, with room for its whole JSON; `chat` when unset. */
      judge?: BaseChatModel;
    };

/**
 * The scoring reply's length bound: five scores with reasons of up to 300 characters need about 450 tokens,
 * and a JSON object cut short by a lower LLM_MAX_OUTPUT_TOKENS is never valid.
 */
export const JUDGE_MAX_TOKENS = 600;

export function createCoachModel(
  config: Pick<
    Config,
    'LLM_BASE_URL' | 'LLM_MODEL' | 'LLM_API_KEY' | 'LLM_TEMPERATURE' | 'OFFLINE_TOKEN_DELAY_MS'
  > &
    Partial<Pick<Config, 'LLM_MAX_OUTPUT_TOKENS'>>,
): CoachModel {
  if (!config.LLM_BASE_URL) {
    return { kind: 'offline', name: 'offline-rubric-coach', tokenDelayMs: config.OFFLINE_TOKEN_DELAY_MS };
  }
  const chat = (maxTokens: number) =>
    new ChatOpenAI({
      model: config.LLM_MODEL,
      apiKey: config.LLM_API_KEY || 'not-needed',
      temperature: config.LLM_TEMPERATURE,
      // Temporal owns retries: the client must not retry on its own.
      maxRetries: 0,
      // Bounds every reply (cost, and a runaway or injected "write forever"); LLM_MAX_OUTPUT_TOKENS.
      maxTokens,
      configuration: { baseURL: config.LLM_BASE_URL },
    });
  const maxTokens = config.LLM_MAX_OUTPUT_TOKENS ?? 700;
  return {
    kind: 'model',
    name: config.LLM_MODEL,
    chat: chat(maxTokens),
    judge: chat(Math.max(maxTokens, JUDGE_MAX_TOKENS)),
  };
}

/** The coach model for a version: its model and temperature, when it names them, override the env's. */
export function coachModelFor(
  config: Parameters<typeof createCoachModel>[0],
  version: Pick<CoachVersion, 'model' | 'temperature'>,
): CoachModel {
  return createCoachModel({
    ...config,
    LLM_MODEL: version.model ?? config.LLM_MODEL,
    LLM_TEMPERATURE: version.temperature ?? config.LLM_TEMPERATURE,
  });
}
