// The curated question bank: bank.json (written for this project), validated with zod when this module loads.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SENIORITIES, type Module, type Seniority } from '../../core/types.js';
import { ROLE_FAMILIES, type RoleFamily } from '../coach-text/role-family.js';
import { lastAskedAt, sameQuestion } from '../coach-text/same-question.js';

/** The modules a bank question belongs to; 'mixed' draws from all of them. */
export const BANK_MODULES = ['behavioral', 'technical', 'culture'] as const;
export type BankModule = (typeof BANK_MODULES)[number];

const ID_PREFIX: Record<BankModule, string> = { behavioral: 'b-', technical: 't-', culture: 'c-' };

export const bankQuestionSchema = z
  .object({
    id: z.string().regex(/^[a-z]-[a-z0-9]+(-[a-z0-9]+)*-\d{2}$/, 'ids look like "b-impact-01"'),
    module: z.enum(BANK_MODULES),
    competency: z.string().trim().min(1),
    /** The levels the question suits. */
    seniority: z.array(z.enum(SENIORITIES)).min(1),
    /** The role families the question is for; absent: every family (a question any candidate can answer). */
    families: z.array(z.enum(ROLE_FAMILIES)).min(1).optional(),
    text: z.string().trim().min(10),
    /** Terms of a job description that make this question a good fit. */
    keywords: z.array(z.string().trim().min(2)).min(1),
    /** Probes an interviewer uses when the answer is vague. */
    followUps: z.array(z.string().trim().min(5)).min(1).max(3),
  })
  .strict()
  .refine((q) => q.id.startsWith(ID_PREFIX[q.module]), {
    message: 'the id prefix does not match the module',
    path: ['id'],
  })
  .refine((q) => new Set(q.seniority).size === q.seniority.length, {
    message: 'a seniority is listed twice',
    path: ['seniority'],
  });

export type BankQuestion = Readonly<z.infer<typeof bankQuestionSchema>>;

/** Validates a parsed bank file; throws naming the first bad entry, duplicate or overlapping text. */
export function parseBank(raw: unknown, source = 'bank.json'): readonly BankQuestion[] {
  if (!Array.isArray(raw)) throw new Error(`${source}: expected an array of questions`);
  const questions = raw.map((entry: unknown, index) => {
    const parsed = bankQuestionSchema.safeParse(entry);
    if (parsed.success) return parsed.data;
    const id = (entry as { id?: unknown } | null)?.id;
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`);
    throw new Error(
      `${source}: entry ${index}${typeof id === 'string' ? ` (${id})` : ''} is invalid: ${issues.join('; ')}`,
    );
  });
  const ids = new Set<string>();
  for (const q of questions) {
    if (ids.has(q.id)) throw new Error(`${source}: duplicate id ${q.id}`);
    ids.add(q.id);
  }
  // "asked" is matched by meaning, so no question may ask what another already asks.
  for (const a of questions) {
    const clash = questions.find((b) => b !== a && sameQuestion(a.text, b.text));
    if (clash) throw new Error(`${source}: the text of ${a.id} repeats inside ${clash.id}`);
  }
  return Object.freeze(questions.map((q) => Object.freeze(q)));
}

export const QUESTION_BANK: readonly BankQuestion[] = parseBank(
  JSON.parse(readFileSync(new URL('./bank.json', import.meta.url), 'utf8')) as unknown,
);

/** The module a mixed session prefers in a given round (1-based): behavioral, technical, culture, ... */
export function moduleForRound(round: number): BankModule {
  const i = (((Math.trunc(round) - 1) % BANK_MODULES.length) + BANK_MODULES.length) % BANK_MODULES.length;
  return BANK_MODULES[i]!;
}

/** Whether a question suits a role family; `null` (the family is unknown) admits only untagged questions. */
export const suitsFamily = (q: BankQuestion, family: RoleFamily | null): boolean =>
  q.families === undefined || (family !== null && q.families.includes(family));

/**
 * The bank questions to choose from: those of the module (all modules for 'mixed') that suit the role
 * family (when given) and the seniority (when given), and that none of `asked` asks (full asked texts,
 * oldest first, worded in any of the coach's ways: compared by meaning, see coach-text/same-question.ts).
 * For 'mixed' with a round, the module of that round is preferred. When every suitable question was asked,
 * the least recently asked half comes back, so the very last is not repeated.
 */
export function candidatesFor(
  module: Module,
  seniority: Seniority | undefined,
  asked: readonly string[],
  round?: number,
  family?: RoleFamily | null,
): BankQuestion[] {
  const ofModule = QUESTION_BANK.filter((q) => module === 'mixed' || q.module === module);
  const ofFamily = family === undefined ? ofModule : ofModule.filter((q) => suitsFamily(q, family));
  const fitting = ofFamily.length > 0 ? ofFamily : ofModule.filter((q) => q.families === undefined);
  const suited = seniority ? fitting.filter((q) => q.seniority.includes(seniority)) : fitting;
  const pool = suited.length > 0 ? suited : fitting;
  const lastAsked = (q: BankQuestion) => lastAskedAt(q.text, asked);
  const preferRound = (qs: BankQuestion[]) => {
    if (module !== 'mixed' || round === undefined) return qs;
    const preferred = qs.filter((q) => q.module === moduleForRound(round));
    return preferred.length > 0 ? preferred : qs;
  };

  const fresh = pool.filter((q) => lastAsked(q) < 0);
  if (fresh.length > 0) return preferRound(fresh);

  const byAge = pool
    .map((q) => ({ q, at: lastAsked(q) }))
    .sort((a, b) => a.at - b.at)
    .map(({ q }) => q);
  return preferRound(byAge.slice(0, Math.max(1, Math.ceil(byAge.length / 2))));
}
