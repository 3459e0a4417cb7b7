// What the coach hands back: citations, scores, the feedback on one answer, a turn, and a session's debrief.
import { z } from 'zod';
import { documentKindSchema, panelRoleSchema, scoreDimensionSchema } from './vocabulary.js';

/** A passage of the job's documents that a question or critique rests on. */
export const citationSchema = z
  .object({
    documentId: z.string(),
    chunkId: z.string(),
    kind: documentKindSchema,
    text: z.string(),
  })
  .meta({ id: 'Citation' });
export type Citation = z.infer<typeof citationSchema>;

/** An integer 1..5. */
export const scoreSchema = z
  .union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)])
  .meta({ id: 'Score' });
export type Score = z.infer<typeof scoreSchema>;

export const scoresSchema = z.record(scoreDimensionSchema, scoreSchema).meta({ id: 'Scores' });
export type Scores = z.infer<typeof scoresSchema>;

/** Averages of scores per dimension (a debrief, a progress chart). */
export const meanScoresSchema = z.record(scoreDimensionSchema, z.number());
export type MeanScores = z.infer<typeof meanScoresSchema>;

/** How a spoken answer sounded, from the transcript's word timings (voice answers only). */
export const speechMetricsSchema = z
  .object({
    durationSec: z.number(),
    words: z.number().int(),
    wpm: z
      .number()
      .meta({ description: 'words per minute over the speaking time; the target band is 130-160' }),
    fillerCount: z.number().int(),
    fillersPerMin: z.number(),
    fillers: z
      .array(z.object({ word: z.string(), count: z.number().int() }))
      .meta({ description: 'which fillers, most frequent first' }),
    fillerWordIndexes: z
      .array(z.number().int())
      .meta({ description: 'indexes into the transcript split on whitespace' }),
    longPauses: z
      .array(z.object({ afterWord: z.number().int(), seconds: z.number() }))
      .meta({ description: 'silences of 2 s or more inside the answer: after which word and how long' }),
  })
  .meta({ id: 'SpeechMetrics' });
export type SpeechMetrics = z.infer<typeof speechMetricsSchema>;

export const STAR_PARTS = ['situation', 'task', 'action', 'result'] as const;
export type StarPart = (typeof STAR_PARTS)[number];

export const feedbackSchema = z
  .object({
    turnId: z.string(),
    scores: scoresSchema,
    reasons: z.record(scoreDimensionSchema, z.string()),
    starParts: z
      .record(z.enum(STAR_PARTS), z.string().nullable())
      .optional()
      .meta({ description: 'each STAR part quoted from the answer, null where it is missing' }),
    strengths: z.array(z.string()),
    gaps: z.array(z.string()),
    critique: z.string(),
    rewrite: z.string(),
    drill: z.string(),
    citations: z.array(citationSchema),
    speech: speechMetricsSchema.optional().meta({ description: 'how a voice answer sounded' }),
    offlineParts: z
      .array(z.enum(['critique', 'rewrite', 'drill']))
      .optional()
      .meta({
        description:
          "with a model configured: the parts written by the offline coach instead, since the model's reply was unusable",
      }),
  })
  .meta({ id: 'Feedback' });
export type Feedback = z.infer<typeof feedbackSchema>;

/** A session's summary once it ends: averages of the final attempts, what to keep and what to drill next. */
export const debriefSchema = z
  .object({
    scores: meanScoresSchema,
    strengths: z.array(z.string()),
    gaps: z.array(z.string()),
    drills: z.array(z.string()),
    answered: z.number().int(),
  })
  .meta({ id: 'Debrief' });
export type Debrief = z.infer<typeof debriefSchema>;

/** Who asks a panel question: enough to show their card and say their name. */
export const panelistRefSchema = z
  .object({ id: z.string(), name: z.string(), role: panelRoleSchema })
  .meta({ id: 'PanelistRef' });
export type PanelistRef = z.infer<typeof panelistRefSchema>;

export const turnSchema = z
  .object({
    id: z.string(),
    round: z.number().int(),
    question: z.string(),
    citations: z.array(citationSchema).optional(),
    retryOf: z.string().optional().meta({ description: 'the reviewed turn this one asks again' }),
    probeOf: z
      .string()
      .optional()
      .meta({ description: 'the earlier turn whose answer this follow-up probes' }),
    competency: z.string().optional(),
    panelist: panelistRefSchema.optional().meta({ description: 'in a panel session: who asked' }),
    handOver: z
      .string()
      .optional()
      .meta({ description: 'in a panel session: what the previous panelist said to hand over' }),
    cutIn: z.boolean().optional().meta({
      description: "in a panel session: this follow-up is the panelist's cut-in into the answer of `probeOf`",
    }),
    answer: z.string().optional(),
    feedback: feedbackSchema.optional(),
    audio: z
      .object({ bytes: z.number().int(), recordedAt: z.string().nullable() })
      .optional()
      .meta({ description: "a spoken answer's recording, while it is kept" }),
  })
  .meta({ id: 'Turn' });
export type Turn = z.infer<typeof turnSchema>;
