// The model's rubric judgement, as structured output: validated by zod, asked again once when malformed,
// and otherwise dropped in favour of the deterministic scores alone — a bad reply never crashes a session.
import { z } from 'zod';
import { clampScore, SCORE_DIMENSIONS, type Score, type ScoreDimension } from '../core/types.js';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { judgePrompt } from './prompts/index.js';
import { clampToRubric } from './guard.js';
import { INSTRUCTED_CLARITY, type Assessment } from './rubric.js';
import type { CoachVersion } from './versions.js';
import type { ScoredChunk } from '../ingestion/store.js';

const dimension = z.object({
  score: z.number().int().min(1).max(5),
  reason: z.string().trim().min(1).max(300),
});
export const judgementSchema = z.object(
  Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, dimension])) as Record<ScoreDimension, typeof dimension>,
);
export type Judgement = z.infer<typeof judgementSchema>;

/**
 * The first JSON object in a reply (models wrap JSON in prose or code fences), or what is wrong with it: the
 * schema paths and messages only, never the reply's text (it may quote the candidate's answer into a log).
 */
function parseJudgement(reply: string): { judgement: Judgement } | { problem: string } {
  const start = reply.indexOf('{');
  const end = reply.lastIndexOf('}');
  if (start < 0 || end <= start) return { problem: `no JSON object in ${reply.length} characters` };
  let json: unknown;
  try {
    json = JSON.parse(reply.slice(start, end + 1));
  } catch {
    return { problem: `not JSON (${reply.length} characters, cut short?)` };
  }
  const parsed = judgementSchema.safeParse(json);
  if (parsed.success) return { judgement: parsed.data };
  return {
    problem: parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; '),
  };
}

/**
 * How a server is asked for the JSON, best first: a JSON schema (OpenAI structured outputs, vLLM, Ollama,
 * llama.cpp's server), JSON mode carrying the schema (llama-cpp-python's form), plain JSON mode, and the
 * prompt alone. A server that refuses one (HTTP 4xx) is asked the next way, and remembered.
 */
export const JSON_MODES = ['json_schema', 'json_object_schema', 'json_object', 'prompt'] as const;
export type JsonMode = (typeof JSON_MODES)[number];

/**
 * The schema as JSON Schema, bounds included (scores 1–5, reasons up to 300 characters). Scores are sent as
 * an enum: llama-cpp-python's grammar ignores an integer's minimum and maximum (a 0.5B model then copied
 * "44 words" into a score), but keeps to an enum.
 */
const JUDGEMENT_JSON_SCHEMA = (() => {
  const schema = z.toJSONSchema(judgementSchema, { target: 'draft-7' }) as {
    properties: Record<string, { properties: Record<string, unknown> }>;
  };
  for (const d of SCORE_DIMENSIONS)
    schema.properties[d]!.properties.score = { type: 'integer', enum: [1, 2, 3, 4, 5] };
  return schema;
})();

function responseFormat(mode: JsonMode): Record<string, unknown> | undefined {
  switch (mode) {
    case 'json_schema':
      return { type: 'json_schema', json_schema: { name: 'judgement', schema: JUDGEMENT_JSON_SCHEMA } };
    case 'json_object_schema':
      return { type: 'json_object', schema: JUDGEMENT_JSON_SCHEMA };
    case 'json_object':
      return { type: 'json_object' };
    case 'prompt':
      return undefined;
  }
}

/** The mode each chat model's server last accepted. */
const acceptedMode = new WeakMap<BaseChatModel, JsonMode>();

/**
 * A refusal of the request itself (not of the model's text): a 4xx other than 408/429, or an error that
 * names response_format (llama-cpp-python 0.3 answers an unknown format with a 500 validation error).
 */
function refusedRequest(err: unknown): boolean {
  const { status, message } = err as { status?: unknown; message?: unknown };
  if (typeof status !== 'number' || status < 400) return false;
  if (status < 500) return status !== 408 && status !== 429;
  return typeof message === 'string' && message.includes('response_format');
}

export interface JudgeOutcome {
  judgement: Judgement | null;
  mode: JsonMode;
  /** What was wrong with each reply that was not valid JSON of the schema (how many, and why). */
  problems: string[];
}

export async function judge(
  chat: BaseChatModel,
  input: { question: string; answer: string; passages: ScoredChunk[]; assessment: Assessment },
  version?: CoachVersion,
  signal?: AbortSignal,
): Promise<JudgeOutcome> {
  const prompt = judgePrompt(input, version);
  const problems: string[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    const messages = [
      { role: 'system', content: prompt.system },
      {
        role: 'user',
        content:
          attempt === 0
            ? prompt.user
            : `${prompt.user}\n\nYour last reply was not valid JSON of that shape. Reply with the JSON object only.`,
      },
    ];
    let mode = acceptedMode.get(chat) ?? JSON_MODES[0];
    for (;;) {
      try {
        const format = responseFormat(mode);
        // response_format is an OpenAI call option; BaseChatModel's options type does not name it.
        const reply = await chat.invoke(messages, { signal, ...(format && { response_format: format }) } as {
          signal?: AbortSignal;
        });
        acceptedMode.set(chat, mode);
        const parsed = parseJudgement(
          typeof reply.content === 'string' ? reply.content : JSON.stringify(reply.content),
        );
        if ('judgement' in parsed) return { judgement: parsed.judgement, mode, problems };
        problems.push(parsed.problem);
        break;
      } catch (err) {
        // With a JSON schema asked for, the client parses the reply itself and throws on one that is not JSON.
        if (err instanceof SyntaxError) {
          acceptedMode.set(chat, mode);
          problems.push('not JSON (the client could not parse it)');
          break;
        }
        const next = JSON_MODES[JSON_MODES.indexOf(mode) + 1];
        if (!next || !refusedRequest(err)) throw err;
        mode = next;
      }
    }
  }
  return { judgement: null, mode: acceptedMode.get(chat) ?? 'prompt', problems };
}

/**
 * The final scores: the deterministic metrics and the model's judgement, averaged; metrics alone without one.
 * The judgement is first held within a point of the metrics (a persuaded model cannot lift a score), and a
 * reason the output guard rejects (`keepReason`) is left out.
 */
export function combine(
  assessment: Assessment,
  judgement: Judgement | null,
  keepReason: (reason: string) => boolean = () => true,
): Assessment {
  if (!judgement) return assessment;
  const judged = clampToRubric(
    assessment.scores,
    Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, judgement[d].score])) as Record<
      ScoreDimension,
      number
    >,
  );
  const scores = {} as Record<ScoreDimension, Score>;
  const reasons = {} as Record<ScoreDimension, string>;
  for (const d of SCORE_DIMENSIONS) {
    scores[d] = clampScore((assessment.scores[d] + judged[d]) / 2);
    if (d === 'clarity' && assessment.metrics.instructions.length)
      scores[d] = clampScore(Math.min(scores[d], INSTRUCTED_CLARITY));
    reasons[d] = keepReason(judgement[d].reason)
      ? `${assessment.reasons[d]} Coach: ${judgement[d].reason}`
      : assessment.reasons[d];
  }
  return { ...assessment, scores, reasons };
}
