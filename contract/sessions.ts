// Practice sessions: start one, answer (typed or spoken), move through the rounds, and progress over them.
import { z } from 'zod';
import { debriefSchema, meanScoresSchema, turnSchema } from './coaching.js';
import { sessionPanelSchema } from './panel.js';
import { ANSWER_MAX_CHARS, MAX_ROUNDS, MIN_ROUNDS } from './limits.js';
import {
  modeSchema,
  moduleSchema,
  personaSchema,
  scoreDimensionSchema,
  senioritySchema,
  sessionStatusSchema,
} from './vocabulary.js';

export const roundsSchema = z
  .number()
  .int()
  .min(MIN_ROUNDS, `rounds must be at least ${MIN_ROUNDS}`)
  .max(MAX_ROUNDS, `rounds must be at most ${MAX_ROUNDS}`);

export const createSessionSchema = z
  .object({
    jobId: z.string().min(1, 'jobId is required'),
    module: moduleSchema,
    mode: modeSchema,
    rounds: roundsSchema,
    autoAdvance: z
      .boolean()
      .optional()
      .meta({ description: 'hands-free: the next round starts by itself after the feedback' }),
    difficulty: senioritySchema
      .optional()
      .meta({ description: "how hard the questions are; default the job's level" }),
    allowRepeats: z.boolean().optional(),
    persona: personaSchema.default('neutral'),
    panel: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .meta({
        description:
          'a mock panel: the id of a panel template (GET /api/panel-templates). The panel decides who asks what ' +
          'and moves on by itself; `rounds` caps how many questions it may ask',
      }),
  })
  .meta({ id: 'SessionInput' });
export type SessionInput = z.input<typeof createSessionSchema>;
export type CreateSession = z.infer<typeof createSessionSchema>;

export const createdSchema = z.object({ id: z.string() }).meta({ id: 'Created' });
export type Created = z.infer<typeof createdSchema>;

export const answerTextSchema = z
  .string()
  .trim()
  .min(1, 'the answer is empty')
  .max(ANSWER_MAX_CHARS, `the answer is longer than ${ANSWER_MAX_CHARS} characters`);

export const answerSchema = z
  .object({ text: answerTextSchema, turnId: z.string().optional() })
  .meta({ id: 'Answer' });
export type AnswerInput = z.input<typeof answerSchema>;

/** The multipart fields beside `file` of POST /api/sessions/:id/audio. */
export const audioFieldsSchema = z.object({ turnId: z.string().min(1).max(100).optional() });

/** The most segments one streamed answer may have (a segment is cut at each pause, a few seconds apart). */
export const AUDIO_SEGMENTS_MAX = 1000;

/** The path of PUT /api/sessions/:id/turns/:turnId/audio/segments/:index (ids become blob keys). */
export const audioSegmentParamsSchema = z.object({
  id: z.string(),
  turnId: z.string().regex(/^[\w-]{1,100}$/, 'not a turn id'),
  index: z.coerce
    .number()
    .int()
    .min(0)
    .max(AUDIO_SEGMENTS_MAX - 1),
});

/** POST /api/sessions/:id/turns/:turnId/audio/finish: how many segments the answer has. */
export const finishAudioSchema = z
  .object({ segments: z.number().int().min(1).max(AUDIO_SEGMENTS_MAX) })
  .meta({ id: 'FinishAudio' });
export type FinishAudio = z.infer<typeof finishAudioSchema>;

/** 202 of a segment: stored, and on its way to being transcribed. */
export const segmentAcceptedSchema = z
  .object({ turnId: z.string(), index: z.number().int() })
  .meta({ id: 'SegmentAccepted' });
export type SegmentAccepted = z.infer<typeof segmentAcceptedSchema>;

/** 202 of an answer, a spoken answer or a retry: the turn it belongs to. */
export const turnAcceptedSchema = z.object({ turnId: z.string() }).meta({ id: 'TurnAccepted' });
export type TurnAccepted = z.infer<typeof turnAcceptedSchema>;

/** 202 of next and end: the round the session is at. */
export const roundMovedSchema = z.object({ round: z.number().int() }).meta({ id: 'RoundMoved' });
export type RoundMoved = z.infer<typeof roundMovedSchema>;

export const sessionSchema = z
  .object({
    id: z.string(),
    jobId: z.string(),
    module: moduleSchema,
    mode: modeSchema,
    rounds: z.number().int(),
    status: sessionStatusSchema,
    round: z.number().int(),
    difficulty: senioritySchema.optional(),
    persona: personaSchema,
    autoAdvance: z.boolean(),
    debrief: debriefSchema.optional().meta({ description: 'once the session is completed' }),
    panel: sessionPanelSchema.optional().meta({ description: 'a mock panel session' }),
    turns: z.array(turnSchema),
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof sessionSchema>;

export const sessionSummarySchema = z
  .object({
    id: z.string(),
    jobId: z.string(),
    jobTitle: z.string(),
    company: z.string(),
    module: moduleSchema,
    mode: modeSchema,
    rounds: z.number().int(),
    status: sessionStatusSchema,
    round: z.number().int(),
    createdAt: z.string(),
    panel: z.string().optional().meta({ description: "a mock panel session: its template's title" }),
  })
  .meta({ id: 'SessionSummary' });
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

export const analyticsQuerySchema = z.object({
  jobId: z.string().optional(),
  module: moduleSchema.optional(),
});
export type AnalyticsFilter = z.infer<typeof analyticsQuerySchema>;

export const competencyStatSchema = z
  .object({
    competency: z.string(),
    answers: z.number().int(),
    average: z.number().meta({ description: 'average of the 5 scores per answer' }),
  })
  .meta({ id: 'CompetencyStat' });
export type CompetencyStat = z.infer<typeof competencyStatSchema>;

export const analyticsSessionSchema = z
  .object({
    id: z.string(),
    jobId: z.string(),
    jobTitle: z.string(),
    module: moduleSchema,
    createdAt: z.string(),
    completed: z.boolean(),
    scores: meanScoresSchema
      .nullable()
      .meta({ description: "mean of the session's final attempts; null before any" }),
    competencies: z.array(competencyStatSchema),
    panel: z
      .object({
        title: z.string(),
        decision: z.enum(['hire', 'no_hire']).nullable().meta({ description: 'null until the debrief' }),
      })
      .optional()
      .meta({ description: "a mock panel session: its panel's title and the debrief's decision" }),
  })
  .meta({ id: 'AnalyticsSession' });
export type AnalyticsSession = z.infer<typeof analyticsSessionSchema>;

export const moduleStatSchema = z
  .object({ module: moduleSchema, sessions: z.number().int(), average: z.number().nullable() })
  .meta({ id: 'ModuleStat' });
export type ModuleStat = z.infer<typeof moduleStatSchema>;

export const analyticsSchema = z
  .object({
    sessions: z.array(analyticsSessionSchema).meta({ description: 'oldest first' }),
    dimensions: z.record(scoreDimensionSchema, z.number().nullable()),
    competencies: z.array(competencyStatSchema),
    modules: z.array(moduleStatSchema),
    weakest: z.object({ dimensions: z.array(scoreDimensionSchema), competencies: z.array(z.string()) }),
    streak: z.object({ days: z.number().int(), thisWeek: z.number().int() }),
    nextDrill: z.string().nullable(),
  })
  .meta({ id: 'Analytics' });
export type Analytics = z.infer<typeof analyticsSchema>;
