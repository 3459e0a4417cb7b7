// The tokens one model call spent: what the server reported, or, when it reports none (llama.cpp's server
// and others send no usage on streamed replies), the prompt and the reply counted with the cl100k
// tokenizer. That is another model's tokenizer, but close enough for a daily quota, and far closer than
// the zero the quota would otherwise book.
import type { BaseMessage } from '@langchain/core/messages';
import type { LLMResult } from '@langchain/core/outputs';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';

let encoder: Tiktoken | undefined;
export const countTokens = (text: string): number => (encoder ??= new Tiktoken(cl100k)).encode(text).length;

/** The total (prompt + completion) the provider reported for a call, or 0 when it reported none. */
export function reportedTokens(output: LLMResult): number {
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

/** The call's tokens: reported, else counted from its prompt messages and its reply. */
export function tokensOf(output: LLMResult, prompt: readonly BaseMessage[] = []): number {
  const reported = reportedTokens(output);
  if (reported > 0) return reported;
  const text = (m: { content: unknown }) =>
    typeof m.content === 'string' ? m.content : JSON.stringify(m.content);
  const sent = prompt.reduce((n, m) => n + countTokens(text(m)), 0);
  const replied = output.generations.flat().reduce((n, g) => n + countTokens(g.text ?? ''), 0);
  return sent + replied;
}
