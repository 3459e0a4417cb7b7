// An outside set of answer pairs (`npm run eval -- --pairs <file.jsonl>`): pairs someone else ordered, to
// check that a judge orders them the same way. One JSON object a line:
//   {"job": {"title": "...", "requirements": ["...", "...", "..."]}, "question": "...",
//    "better": "answer text", "worse": "answer text", "dimension": "impact" | ... | "overall", "role"?: "..."}
// "overall" compares the sum of the five scores.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SCORE_DIMENSIONS, type Scores } from '../core/types.js';
import { jobSchema } from './corpus/schema.js';
import type { Judge } from './judges.js';
import { pairAccuracy } from './metrics.js';

export const outsidePairSchema = z.object({
  job: jobSchema,
  question: z.string().min(1),
  better: z.string().min(1),
  worse: z.string().min(1),
  dimension: z.enum([...SCORE_DIMENSIONS, 'overall']),
  role: z.string().optional(),
});
export type OutsidePair = z.infer<typeof outsidePairSchema>;

export function loadOutsidePairs(file: string): OutsidePair[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const pairs: OutsidePair[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${i + 1}: not JSON`);
    }
    const parsed = outsidePairSchema.safeParse(json);
    if (!parsed.success) throw new Error(`${file}:${i + 1}: ${z.prettifyError(parsed.error)}`);
    pairs.push(parsed.data);
  });
  if (!pairs.length) throw new Error(`${file}: no pairs`);
  return pairs;
}

const valueOn = (scores: Scores, dimension: OutsidePair['dimension']) =>
  dimension === 'overall' ? SCORE_DIMENSIONS.reduce((s, d) => s + scores[d], 0) : scores[dimension];

export interface OutsidePairsResult {
  judge: string;
  n: number;
  accuracy: number;
  ties: number;
}

/** How often a judge puts the better answer of each outside pair strictly above the worse one. */
export async function orderOutsidePairs(
  judge: Judge,
  pairs: readonly OutsidePair[],
): Promise<OutsidePairsResult> {
  const ordered: { better: number; worse: number }[] = [];
  for (const [i, p] of pairs.entries()) {
    const common = { role: p.role ?? '', job: p.job, question: p.question };
    const better = await judge.score({ ...common, id: `outside-${i}-better`, answer: p.better });
    const worse = await judge.score({ ...common, id: `outside-${i}-worse`, answer: p.worse });
    ordered.push({ better: valueOn(better, p.dimension), worse: valueOn(worse, p.dimension) });
  }
  return {
    judge: judge.name,
    n: ordered.length,
    accuracy: pairAccuracy(ordered),
    ties: ordered.filter((o) => o.better === o.worse).length,
  };
}
