// Mock panels: the templates a panel interview runs on, who is speaking, each panelist's scorecard and the
// panel's debrief. The shape is checked here (400); what only the question bank knows (a competency it has
// questions for, a bar raiser for a veto) is checked by agents/panel/template.ts (422).
import { z } from 'zod';
import { scoreSchema } from './coaching.js';
import {
  decisionRuleSchema,
  leanSchema,
  panelRoleSchema,
  personaSchema,
  scoreDimensionSchema,
} from './vocabulary.js';

export const panelistSchema = z
  .object({
    id: z.string().meta({ description: 'lowercase letters, digits and dashes, unique in the panel' }),
    name: z.string(),
    role: panelRoleSchema,
    persona: personaSchema,
    dimensions: z.array(scoreDimensionSchema).meta({ description: 'the rubric dimensions they score' }),
    competencies: z
      .array(z.object({ competency: z.string(), weight: z.number().int() }))
      .meta({ description: 'competencies of the question bank they probe, weight 1–5' }),
    timeBudgetSec: z.number().int().meta({ description: 'seconds of speaking time they may use, 60–3600' }),
    mayInterrupt: z.boolean(),
    voice: z.string().meta({ description: '"<engine>:<voice>", distinct within the panel' }),
  })
  .meta({ id: 'Panelist' });

export const panelTemplateSchema = z
  .object({
    id: z.string().meta({ description: 'lowercase letters, digits and dashes' }),
    title: z.string(),
    family: z.string().meta({ description: 'the role family the panel interviews for' }),
    decisionRule: decisionRuleSchema,
    panelists: z.array(panelistSchema).meta({ description: 'two to four' }),
  })
  .meta({ id: 'PanelTemplate' });
export type PanelTemplateBody = z.infer<typeof panelTemplateSchema>;

/** GET /api/panel-templates: the built-in panels and the user's own. */
export const panelTemplateEntrySchema = panelTemplateSchema
  .extend({ builtIn: z.boolean() })
  .meta({ id: 'PanelTemplateEntry' });
export type PanelTemplateEntry = z.infer<typeof panelTemplateEntrySchema>;

export const evidenceSchema = z
  .object({
    turnId: z.string(),
    atSec: z.number().meta({ description: 'when the answer began, seconds of speaking time from the start' }),
    dimension: scoreDimensionSchema,
    score: z.number(),
    quote: z.string(),
  })
  .meta({ id: 'PanelEvidence' });

export const scorecardSchema = z
  .object({
    panelistId: z.string(),
    scores: z.partialRecord(scoreDimensionSchema, scoreSchema),
    evidence: z.array(evidenceSchema),
    weightedMean: z.number(),
    lean: leanSchema,
  })
  .meta({ id: 'PanelScorecard', description: "one panelist's own judgement of the interview" });
export type PanelScorecard = z.infer<typeof scorecardSchema>;

export const panelDebriefSchema = z
  .object({
    grid: z.array(
      z.object({
        dimension: scoreDimensionSchema,
        scores: z.record(z.string(), scoreSchema).meta({ description: 'by panelist id' }),
        spread: z.number(),
        agreement: z.enum(['agree', 'disagree']),
      }),
    ),
    decision: z.object({
      outcome: z.enum(['hire', 'no_hire']),
      rule: decisionRuleSchema,
      votes: z.object({ hire: z.number().int(), noHire: z.number().int() }),
      vetoedBy: z.string().optional(),
      reason: z.string(),
    }),
    dissent: z.array(
      z.object({ panelistId: z.string(), lean: leanSchema, evidence: evidenceSchema.nullable() }),
    ),
    wouldHaveChanged: z.object({
      changes: z.array(
        z.object({
          panelistId: z.string(),
          from: leanSchema,
          to: leanSchema,
          weightedMean: z.number(),
          threshold: z.number(),
        }),
      ),
      text: z.string(),
    }),
    drills: z
      .array(z.object({ dimension: scoreDimensionSchema, meanScore: z.number(), evidence: evidenceSchema }))
      .meta({ description: 'at most three, each linked to the moment (turnId, atSec) it comes from' }),
    absent: z.array(z.string()).meta({ description: 'panelists who wrote no scorecard' }),
  })
  .meta({ id: 'PanelDebrief' });
export type PanelDebrief = z.infer<typeof panelDebriefSchema>;

export const timeUsedSchema = z.record(z.string(), z.number()).meta({
  id: 'PanelTimeUsed',
  description:
    'seconds of the interview each panelist has used, by panelist id: speaking time (a typed answer counts as if said aloud)',
});

/** A panel session's panel: the template it runs on and, once it ends, the scorecards and the debrief. */
export const sessionPanelSchema = z
  .object({
    template: panelTemplateSchema,
    scorecards: z.array(scorecardSchema).optional(),
    debrief: panelDebriefSchema.optional(),
    endReason: z
      .enum(['covered', 'time_up', 'budgets_spent', 'ended', 'rounds_used'])
      .optional()
      .meta({
        description:
          'covered: every competency asked about; time_up; budgets_spent: the panelists left have used their ' +
          'time; ended: the candidate ended it; rounds_used: the session asked its `rounds` questions',
      }),
    timeUsed: timeUsedSchema.optional(),
  })
  .meta({ id: 'SessionPanel' });
export type SessionPanel = z.infer<typeof sessionPanelSchema>;

export const scorecardEventSchema = z
  .object({ type: z.literal('scorecard'), scorecard: scorecardSchema })
  .meta({ id: 'ScorecardEvent', description: "a panel session ended: one panelist's scorecard" });

export const panelDebriefEventSchema = z
  .object({ type: z.literal('panel_debrief'), debrief: panelDebriefSchema, timeUsed: timeUsedSchema })
  .meta({ id: 'PanelDebriefEvent', description: "a panel session ended: the panel's debrief" });
