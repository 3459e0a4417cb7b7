// The `data:` of each server-sent event: a session's stream (GET /api/sessions/:id/events) and a job's
// ingestion stream (GET /api/jobs/:id/events). The stream adds the increasing `id:` of each event.
import { z } from 'zod';
import { citationSchema, feedbackSchema, panelistRefSchema } from './coaching.js';
import { panelDebriefEventSchema, scorecardEventSchema, timeUsedSchema } from './panel.js';
import {
  graphNodeSchema,
  ingestionStageSchema,
  ingestionStatusSchema,
  sessionStatusSchema,
} from './vocabulary.js';

export const nodeEventSchema = z
  .object({ type: z.literal('node'), node: graphNodeSchema, status: z.enum(['start', 'end']) })
  .meta({ id: 'NodeEvent', description: 'a graph node began / finished' });

export const tokenEventSchema = z
  .object({ type: z.literal('token'), node: graphNodeSchema, text: z.string() })
  .meta({ id: 'TokenEvent', description: 'streamed text of a node (question, critique, rewrite, drill)' });

export const questionEventSchema = z
  .object({
    type: z.literal('question'),
    turnId: z.string(),
    text: z.string(),
    citations: z.array(citationSchema),
    probeOf: z.string().optional().meta({ description: "a follow-up probe of this earlier turn's answer" }),
    retryOf: z
      .string()
      .optional()
      .meta({ description: "the same question asked again after this turn's feedback" }),
    round: z.number().int().optional(),
    panelist: panelistRefSchema.optional().meta({ description: 'in a panel session: who asks' }),
    handOver: z.string().optional().meta({
      description: 'in a panel session: what the previous panelist says first to hand over the floor',
    }),
    timeUsed: timeUsedSchema.optional(),
  })
  .meta({ id: 'QuestionEvent', description: 'the full question of a round, once complete' });

export const transcriptEventSchema = z
  .object({
    type: z.literal('transcript'),
    turnId: z.string(),
    text: z.string(),
    partial: z
      .boolean()
      .optional()
      .meta({ description: 'the transcript so far, while the candidate speaks' }),
    segments: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({
        description:
          'on a partial transcript: how many of the answer’s streamed segments (from the first) it covers; ' +
          'a later one may already have been sent',
      }),
  })
  .meta({ id: 'TranscriptEvent', description: 'a voice answer, transcribed' });

export const interruptEventSchema = z
  .object({
    type: z.literal('interrupt'),
    turnId: z.string().meta({ description: 'the turn whose answer was cut short' }),
    panelist: panelistRefSchema.meta({ description: 'who cut in' }),
    text: z.string().meta({ description: "the cut-in, asked next as that panelist's follow-up" }),
    answer: z
      .string()
      .meta({ description: 'the answer as it stands: what was said (or typed) before the cut-in' }),
    followUpTurnId: z
      .string()
      .meta({ description: 'the turn of the follow-up; its `question` event comes next' }),
  })
  .meta({
    id: 'InterruptEvent',
    description:
      'in a panel session: a tough panelist cut into a rambling answer (once per question, within their time ' +
      'budget). A spoken answer ends at what was said so far: the client stops recording and sends nothing more',
  });

export const feedbackEventSchema = feedbackSchema
  .extend({ type: z.literal('feedback') })
  .meta({ id: 'FeedbackEvent', description: 'the full critique of an answer, once complete' });

export const stateEventSchema = z
  .object({ type: z.literal('state'), status: sessionStatusSchema, round: z.number().int() })
  .meta({ id: 'StateEvent', description: 'the session moved on' });

export const errorEventSchema = z
  .object({ type: z.literal('error'), message: z.string(), retryable: z.boolean() })
  .meta({ id: 'ErrorEvent', description: 'something the user should see' });

export const sessionEventSchema = z
  .discriminatedUnion('type', [
    nodeEventSchema,
    tokenEventSchema,
    questionEventSchema,
    transcriptEventSchema,
    interruptEventSchema,
    feedbackEventSchema,
    stateEventSchema,
    errorEventSchema,
    scorecardEventSchema,
    panelDebriefEventSchema,
  ])
  .meta({ id: 'SessionEvent' });
export type SessionEvent = z.infer<typeof sessionEventSchema>;
export type NodeEvent = z.infer<typeof nodeEventSchema>;
export type TokenEvent = z.infer<typeof tokenEventSchema>;
export type QuestionEvent = z.infer<typeof questionEventSchema>;
export type TranscriptEvent = z.infer<typeof transcriptEventSchema>;
export type InterruptEvent = z.infer<typeof interruptEventSchema>;
export type FeedbackEvent = z.infer<typeof feedbackEventSchema>;
export type StateEvent = z.infer<typeof stateEventSchema>;
export type ErrorEvent = z.infer<typeof errorEventSchema>;
export type ScorecardEvent = z.infer<typeof scorecardEventSchema>;
export type PanelDebriefEvent = z.infer<typeof panelDebriefEventSchema>;

/** On a job's stream: one document's ingestion moved on. */
export const documentEventSchema = z
  .object({
    type: z.literal('document'),
    documentId: z.string(),
    name: z.string(),
    stage: ingestionStageSchema,
    status: ingestionStatusSchema,
    chunks: z.number().int(),
    error: z.string().optional(),
  })
  .meta({ id: 'DocumentEvent' });
export type DocumentEvent = z.infer<typeof documentEventSchema>;

/** The `event: end` sent when a session ends (it has no `id:`), so an EventSource stops reconnecting. */
export const endEventSchema = z.object({ type: z.literal('end') });
