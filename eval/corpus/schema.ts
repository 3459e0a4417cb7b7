// The corpus's file formats (eval/corpus/*.jsonl), shared by the build script, the eval harness and the
// trained judge. The format is a contract with agents/judgement: change it only together.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SCORE_DIMENSIONS } from '../../core/types.js';

export const CORPUS_DIR = path.dirname(fileURLToPath(import.meta.url));

export const ROLE_FAMILIES = [
  'engineering',
  'sre',
  'nursing',
  'sales',
  'customer_support',
  'teaching',
  'product',
  'design',
  'finance',
  'operations',
  'hr',
  'retail',
] as const;
export type RoleFamily = (typeof ROLE_FAMILIES)[number];

export const VARIANTS = [
  'base',
  'no_result',
  'numbers_in_words',
  'we',
  'tangents',
  'fillers',
  'domain_moved',
  'wrong_question',
  'vague',
  'stuffed',
] as const;
export type Variant = (typeof VARIANTS)[number];

export const STAR_ROLES = ['situation', 'task', 'action', 'result', 'other'] as const;
export type StarRole = (typeof STAR_ROLES)[number];
export const AGENCIES = ['personal', 'team', 'passive', 'none'] as const;
export type Agency = (typeof AGENCIES)[number];
export const SPECIFICITIES = ['specific', 'vague'] as const;
export type Specificity = (typeof SPECIFICITIES)[number];
export const SPLITS = ['dev', 'test'] as const;
export type Split = (typeof SPLITS)[number];

const level = z.number().int().min(1).max(5);
export const labelsSchema = z.object({
  star: level,
  clarity: level,
  impact: level,
  conciseness: level,
  relevance: level,
});
export type Labels = z.infer<typeof labelsSchema>;

export const jobSchema = z.object({
  title: z.string().min(1),
  requirements: z.array(z.string().min(1)).min(3).max(6),
});
export type Job = z.infer<typeof jobSchema>;

export const answerSchema = z.object({
  id: z.string().min(1),
  family: z.string().min(1),
  role: z.enum(ROLE_FAMILIES),
  job: jobSchema,
  question: z.string().min(1),
  answer: z.string().min(1),
  variant: z.enum(VARIANTS),
  labels: labelsSchema,
  split: z.enum(SPLITS),
});
export type CorpusAnswer = z.infer<typeof answerSchema>;

export const sentenceSchema = z.object({
  answerId: z.string().min(1),
  index: z.number().int().min(0),
  text: z.string().min(1),
  star: z.enum(STAR_ROLES),
  agency: z.enum(AGENCIES),
  specificity: z.enum(SPECIFICITIES),
});
export type CorpusSentence = z.infer<typeof sentenceSchema>;

export const pairSchema = z.object({
  better: z.string().min(1),
  worse: z.string().min(1),
  dimension: z.enum(SCORE_DIMENSIONS),
});
export type CorpusPair = z.infer<typeof pairSchema>;

export interface Corpus {
  answers: CorpusAnswer[];
  sentences: CorpusSentence[];
  pairs: CorpusPair[];
}

/** The sentences of a text as the corpus counts them: Intl.Segmenter, sentence granularity, locale en. */
export function segmentSentences(text: string): string[] {
  const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  return [...segmenter.segment(text)].map((s) => s.segment.trim()).filter(Boolean);
}

function readJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

/** Reads and cross-checks the corpus: unique ids, sentences and pairs that point at answers. */
export function loadCorpus(dir = CORPUS_DIR): Corpus {
  const answers = readJsonl(path.join(dir, 'answers.jsonl'), answerSchema);
  const sentences = readJsonl(path.join(dir, 'sentences.jsonl'), sentenceSchema);
  const pairs = readJsonl(path.join(dir, 'pairs.jsonl'), pairSchema);
  const byId = new Map<string, CorpusAnswer>();
  for (const a of answers) {
    if (byId.has(a.id)) throw new Error(`${dir}: duplicate answer id ${a.id}`);
    byId.set(a.id, a);
  }
  for (const s of sentences) {
    if (!byId.has(s.answerId)) throw new Error(`${dir}: sentence of unknown answer ${s.answerId}`);
  }
  for (const p of pairs) {
    const better = byId.get(p.better);
    const worse = byId.get(p.worse);
    if (!better || !worse) throw new Error(`${dir}: pair of unknown answers ${p.better} / ${p.worse}`);
    if (better.family !== worse.family)
      throw new Error(`${dir}: pair across families ${p.better} / ${p.worse}`);
  }
  return { answers, sentences, pairs };
}

/** The job as one text, the way a job description reaches the coach. */
export const jobText = (job: Job): string => [job.title, ...job.requirements].join('\n');
