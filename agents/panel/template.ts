// A mock panel as data: who sits on it, what each panelist weighs, how long each may talk and how the panel
// decides. Templates are validated with zod when they are loaded (built-in ones in ./templates.ts, custom ones
// from candidates and admins), so the director and the debrief never meet a panel they cannot run.
import { z } from 'zod';
import {
  DECISION_RULES,
  PANEL_ROLE_NAMES,
  PANEL_ROLES,
  PERSONAS,
  SCORE_DIMENSIONS,
} from '../../core/types.js';
import { ROLE_FAMILIES, type RoleFamily } from '../coach-text/role-family.js';
import { QUESTION_BANK, suitsFamily } from '../questions/bank.js';

export { DECISION_RULES, PANEL_ROLE_NAMES, PANEL_ROLES };
export type PanelRole = (typeof PANEL_ROLES)[number];

/**
 * `consensus`: the majority of leans decides; `bar_raiser_veto`: the same, but the bar raiser's no hire
 * (or strong no hire) decides alone (agents/panel/debrief.ts).
 */
export type DecisionRule = (typeof DECISION_RULES)[number];

export const MIN_PANELISTS = 2;
export const MAX_PANELISTS = 4;

/** Competency weights share one 1–5 importance scale, so the director can compare them across panelists. */
export const MAX_COMPETENCY_WEIGHT = 5;

/** The competencies the question bank has questions for: a panelist can only be asked to probe those. */
export const BANK_COMPETENCIES: ReadonlySet<string> = new Set(QUESTION_BANK.map((q) => q.competency));

const competenciesFor = (family: RoleFamily): ReadonlySet<string> =>
  new Set(QUESTION_BANK.filter((q) => suitsFamily(q, family)).map((q) => q.competency));

const duplicates = <T>(xs: readonly T[]): T[] => [...new Set(xs.filter((x, i) => xs.indexOf(x) !== i))];

const panelCount = (panelists: unknown) =>
  `a panel has ${MIN_PANELISTS} to ${MAX_PANELISTS} panelists, this one has ${Array.isArray(panelists) ? panelists.length : 0}`;

const competencyWeightSchema = z
  .object({
    competency: z.string().refine((c) => BANK_COMPETENCIES.has(c), {
      error: (issue) => `"${String(issue.input)}" is not a competency of the question bank`,
    }),
    weight: z
      .number()
      .int(`a weight is a whole number from 1 to ${MAX_COMPETENCY_WEIGHT}`)
      .min(1, `a weight is a whole number from 1 to ${MAX_COMPETENCY_WEIGHT}`)
      .max(MAX_COMPETENCY_WEIGHT, `a weight is a whole number from 1 to ${MAX_COMPETENCY_WEIGHT}`),
  })
  .strict();

export const panelistSchema = z
  .object({
    /** Stable within the template: turns and scorecards refer to it. */
    id: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,31}$/, 'an id is lowercase letters, digits and dashes, like "sam"'),
    /** The name the other panelists use when they hand over ("I'll let Sam ask about…"). */
    name: z.string().trim().min(1, 'a panelist needs a name').max(40),
    role: z.enum(PANEL_ROLES, { error: `role must be one of ${PANEL_ROLES.join(', ')}` }),
    persona: z.enum(PERSONAS, { error: `persona must be one of ${PERSONAS.join(', ')}` }),
    /** The rubric dimensions this panelist scores; the others are not theirs to judge. */
    dimensions: z
      .array(z.enum(SCORE_DIMENSIONS, { error: `a dimension is one of ${SCORE_DIMENSIONS.join(', ')}` }))
      .min(1, 'a panelist weighs at least one dimension')
      .refine((ds) => duplicates(ds).length === 0, 'a dimension is listed twice'),
    competencies: z
      .array(competencyWeightSchema)
      .min(1, 'a panelist probes at least one competency')
      .superRefine((cs, ctx) => {
        for (const c of duplicates(cs.map((x) => x.competency)))
          ctx.addIssue({ code: 'custom', message: `competency "${c}" is listed twice` });
      }),
    /** Seconds of the interview this panelist may use; past it they yield the floor. */
    timeBudgetSec: z.number().int().min(60, 'a time budget is at least 60 seconds').max(3600),
    /** Whether they may cut into a rambling answer (within their budget); a candidate's barge-in always wins. */
    mayInterrupt: z.boolean(),
    /** Which voice speaks for them, "<engine>:<voice>" as the TTS wiring names it; distinct within a panel. */
    voice: z.string().trim().min(1, 'a panelist needs a voice'),
  })
  .strict();
export type Panelist = z.infer<typeof panelistSchema>;

export const panelTemplateSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'a template id is lowercase letters, digits and dashes'),
    title: z.string().trim().min(1).max(80),
    /** The role family the panel interviews for: its competencies must have bank questions for it. */
    family: z.enum(ROLE_FAMILIES),
    decisionRule: z.enum(DECISION_RULES, {
      error: `the decision rule is one of ${DECISION_RULES.join(', ')}`,
    }),
    // Length checks, not a refinement: they are reported even when a panelist has problems of their own.
    panelists: z
      .array(panelistSchema)
      .min(MIN_PANELISTS, { error: (issue) => panelCount(issue.input) })
      .max(MAX_PANELISTS, { error: (issue) => panelCount(issue.input) }),
  })
  .strict()
  .superRefine((t, ctx) => {
    const unique = (what: string, values: readonly string[]) => {
      for (const v of duplicates(values))
        ctx.addIssue({
          code: 'custom',
          path: ['panelists'],
          message: `${what} "${v}" is used by two panelists`,
        });
    };
    unique(
      'id',
      t.panelists.map((p) => p.id),
    );
    // The hand-over says the name and the candidate tells speakers apart by voice.
    unique(
      'name',
      t.panelists.map((p) => p.name.toLowerCase()),
    );
    unique(
      'voice',
      t.panelists.map((p) => p.voice),
    );
    const barRaisers = t.panelists.filter((p) => p.role === 'bar_raiser');
    if (barRaisers.length > 1)
      ctx.addIssue({ code: 'custom', path: ['panelists'], message: 'a panel has at most one bar raiser' });
    if (t.decisionRule === 'bar_raiser_veto' && barRaisers.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['decisionRule'],
        message: 'the bar_raiser_veto rule needs a panelist with the role bar_raiser',
      });
    const asked = competenciesFor(t.family);
    t.panelists.forEach((p, i) =>
      p.competencies.forEach((c, j) => {
        if (BANK_COMPETENCIES.has(c.competency) && !asked.has(c.competency))
          ctx.addIssue({
            code: 'custom',
            path: ['panelists', i, 'competencies', j, 'competency'],
            message: `the question bank has no "${c.competency}" question for the ${t.family} family`,
          });
      }),
    );
  });
export type PanelTemplate = z.infer<typeof panelTemplateSchema>;

/** A template from JSON text or an object; throws one readable error listing every problem. */
export function parsePanelTemplate(input: unknown): PanelTemplate {
  const value = typeof input === 'string' ? (JSON.parse(input) as unknown) : input;
  const parsed = panelTemplateSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const id = (value as { id?: unknown } | null)?.id;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(template)'}: ${i.message}`);
  throw new Error(`invalid panel template${typeof id === 'string' ? ` "${id}"` : ''}:\n${lines.join('\n')}`);
}

/** How long the whole interview runs: every panelist's budget, one after another. */
export const interviewSec = (t: PanelTemplate): number =>
  t.panelists.reduce((s, p) => s + p.timeBudgetSec, 0);

export const panelistById = (t: PanelTemplate, id: string): Panelist => {
  const p = t.panelists.find((x) => x.id === id);
  if (!p) throw new Error(`panel template "${t.id}" has no panelist "${id}"`);
  return p;
};
