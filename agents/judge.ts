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

/** The first JSON object in a reply (models wrap JSON in prose or code fences). */
function parseJudgement(reply: string): Judgement | null {
  const start = reply.indexOf('{');
  const end = reply.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  try {
    const parsed = judgementSchema.safeParse(JSON.parse(reply.slice(start, end + 1)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function judge(
  chat: BaseChatModel,
  input: { question: string; answer: string; passages: ScoredChunk[]; assessment: Assessment },
  version?: CoachVersion,
  signal?: AbortSignal,
): Promise<Judgement | null> {
  const prompt = judgePrompt(input, version);
  for (let attempt = 0; attempt < 2; attempt++) {
    const reply = await chat.invoke(
      [
        { role: 'system', content: prompt.system },
        {
          role: 'user',
          content:
            attempt === 0
              ? prompt.user
              : `${prompt.user}\n\nYour last reply was not valid JSON of that shape. Reply with the JSON object only.`,
        },
      ],
      { signal },
    );
    const judgement = parseJudgement(
      typeof reply.content === 'string' ? reply.content : JSON.stringify(reply.content),
    );
    if (judgement) return judgement;
  }
  return null;
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
