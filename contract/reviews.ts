// Peer review (issue 13): a candidate asks people to review answers of a finished session. A request holds a
// frozen snapshot of the chosen answers and the coach's feedback at that moment; reviewers (named accounts,
// or anyone with a share link) claim a seat, score the answers blind to the coach and to each other, and see
// both once they have submitted.
import { z } from 'zod';
import { feedbackSchema, scoreSchema } from './coaching.js';
import { scoreDimensionSchema } from './vocabulary.js';

export const REVIEW_STATUSES = ['open', 'completed', 'expired', 'withdrawn'] as const;
export const reviewStatusSchema = z.enum(REVIEW_STATUSES).meta({ id: 'ReviewStatus' });
export type ReviewStatus = z.infer<typeof reviewStatusSchema>;

/** How sure a reviewer was of a score (shown beside a disagreement, never used to weight it). */
export const confidenceSchema = z.enum(['low', 'medium', 'high']).meta({ id: 'ReviewConfidence' });

export const dimensionScoreSchema = z
  .object({ score: scoreSchema, confidence: confidenceSchema.optional() })
  .meta({ id: 'ReviewDimensionScore' });

/** A reviewer may leave a dimension they could not judge unscored. */
export const reviewScoresSchema = z
  .object({
    star: dimensionScoreSchema.optional(),
    clarity: dimensionScoreSchema.optional(),
    impact: dimensionScoreSchema.optional(),
    conciseness: dimensionScoreSchema.optional(),
    relevance: dimensionScoreSchema.optional(),
  })
  .strict()
  .meta({ id: 'ReviewScores' });
export type ReviewScores = z.infer<typeof reviewScoresSchema>;

/** Where a comment points: a moment of the recording, a span of the transcript, or the whole answer. */
export const commentAnchorSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('time'),
      startMs: z.number().int().min(0),
      endMs: z.number().int().min(0),
    }),
    z.object({
      kind: z.literal('transcript'),
      start: z.number().int().min(0).meta({ description: 'character offset into the answer' }),
      end: z.number().int().min(0),
    }),
    z.object({ kind: z.literal('answer') }),
  ])
  .refine((a) => a.kind === 'answer' || (a.kind === 'time' ? a.endMs >= a.startMs : a.end >= a.start), {
    message: 'an anchor must not end before it starts',
  })
  .meta({ id: 'CommentAnchor' });

/** Text only: no markup is rendered, no links are followed, no files are attached. */
export const reviewCommentSchema = z
  .object({
    text: z.string().trim().min(1).max(2000),
    anchor: commentAnchorSchema,
    dimension: scoreDimensionSchema.optional(),
  })
  .meta({ id: 'ReviewComment' });
export type ReviewComment = z.infer<typeof reviewCommentSchema>;

/** The candidate's reply to a reviewer's comment (text only, like the comment). */
export const commentReplyInputSchema = z
  .object({ text: z.string().trim().min(1).max(2000) })
  .meta({ id: 'ReviewCommentReplyInput' });

export const commentReplySchema = z
  .object({
    id: z.string(),
    text: z.string(),
    createdAt: z.string(),
    by: z
      .enum(['candidate', 'reviewer'])
      .meta({ description: "the candidate, or the comment's reviewer answering the candidate's reply" }),
  })
  .meta({ id: 'ReviewCommentReply' });
export type CommentReply = z.infer<typeof commentReplySchema>;

/** PATCH a comment: the candidate marks it resolved and/or helpful (or takes a mark back). */
export const commentMarksInputSchema = z
  .object({ resolved: z.boolean().optional(), helpful: z.boolean().optional() })
  .strict()
  .refine((m) => m.resolved !== undefined || m.helpful !== undefined, {
    message: 'set resolved or helpful',
  })
  .meta({ id: 'ReviewCommentMarksInput' });
export type CommentMarksInput = z.infer<typeof commentMarksInputSchema>;

/** A submitted comment as it is shown: with its id, the candidate's marks and replies. */
export const reviewCommentViewSchema = reviewCommentSchema
  .extend({
    id: z.string().meta({ description: 'stable: names the comment in the reply and marks routes' }),
    resolved: z.boolean(),
    helpful: z.boolean(),
    replies: z.array(commentReplySchema),
  })
  .meta({ id: 'ReviewCommentView' });
export type ReviewCommentView = z.infer<typeof reviewCommentViewSchema>;

export const answerReviewSchema = z
  .object({
    answerId: z.string(),
    scores: reviewScoresSchema,
    comments: z.array(reviewCommentSchema).max(50).default([]),
  })
  .meta({ id: 'AnswerReview' });

/** POST .../submission: one review of some or all answers of the snapshot, each answer at most once. */
export const reviewSubmissionSchema = z
  .object({ answers: z.array(answerReviewSchema).min(1).max(50) })
  .refine((s) => new Set(s.answers.map((a) => a.answerId)).size === s.answers.length, {
    message: 'each answer is reviewed at most once',
  })
  .meta({ id: 'ReviewSubmission' });
export type ReviewSubmission = z.infer<typeof reviewSubmissionSchema>;

/** POST /api/sessions/:id/reviews. */
export const createReviewRequestSchema = z
  .object({
    turnIds: z
      .array(z.string())
      .min(1)
      .max(50)
      .optional()
      .meta({ description: 'the answers to review; unset: every answered turn' }),
    focus: z
      .string()
      .trim()
      .max(2000)
      .default('')
      .meta({ description: 'what the candidate wants looked at' }),
    dueAt: z.iso.datetime({ offset: true }),
    wanted: z.number().int().min(1).max(10).default(1).meta({ description: 'how many reviews are wanted' }),
    reviewers: z
      .array(z.email())
      .max(20)
      .default([])
      .meta({ description: 'accounts of this instance invited by email' }),
    share: z
      .object({
        expiresAt: z.iso.datetime({ offset: true }),
        passcode: z.string().min(4).max(100).optional(),
      })
      .optional()
      .meta({ description: 'an anyone-with-the-link share' }),
    cohortId: z.string().min(1).max(100).optional().meta({
      description: "a cohort of mine: every other member may claim it from their Reviews (the cohort's pool)",
    }),
    anonymous: z.boolean().optional().meta({
      description: "hide the candidate's and reviewers' names; default: on for a share link or a cohort pool",
    }),
  })
  .refine((r) => r.reviewers.length > 0 || r.share !== undefined || r.cohortId !== undefined, {
    message: 'invite a reviewer, ask for a share link or choose a cohort',
  })
  .meta({ id: 'ReviewRequestInput' });
export type CreateReviewRequest = z.infer<typeof createReviewRequestSchema>;

export const reviewRequestCreatedSchema = z
  .object({
    id: z.string(),
    share: z
      .object({
        token: z.string().meta({ description: 'shown once: only its hash is kept' }),
        expiresAt: z.string(),
      })
      .optional(),
  })
  .meta({ id: 'ReviewRequestCreated' });

/** One answer of the snapshot as every reviewer sees it. */
export const reviewAnswerSchema = z
  .object({
    answerId: z.string(),
    round: z.number().int(),
    question: z.string(),
    answer: z.string(),
    hasRecording: z.boolean(),
  })
  .meta({ id: 'ReviewAnswer' });

export const coachFeedbackSchema = z
  .object({ answerId: z.string(), feedback: feedbackSchema })
  .meta({ id: 'ReviewCoachFeedback' });

export const submittedReviewSchema = z
  .object({
    reviewer: z.string().meta({ description: 'an email, or a label when the request is anonymous' }),
    mine: z
      .boolean()
      .optional()
      .meta({ description: "true on the reviewer's own review, in the reviewer's view" }),
    submittedAt: z.string(),
    answers: z.array(
      z.object({
        answerId: z.string(),
        scores: reviewScoresSchema,
        comments: z.array(reviewCommentViewSchema),
      }),
    ),
  })
  .meta({ id: 'SubmittedReview' });
export type SubmittedReviewView = z.infer<typeof submittedReviewSchema>;

/** What a reviewer sees: the coach and the other reviews stay null until they have submitted. */
export const reviewerViewSchema = z
  .object({
    id: z.string(),
    status: reviewStatusSchema,
    focus: z.string(),
    dueAt: z.string(),
    candidate: z.string().nullable().meta({ description: 'null when the request is anonymous' }),
    jobTitle: z.string(),
    answers: z.array(reviewAnswerSchema),
    claim: z.object({ expiresAt: z.string() }).nullable(),
    submitted: z.boolean(),
    coach: z.array(coachFeedbackSchema).nullable(),
    reviews: z.array(submittedReviewSchema).nullable(),
  })
  .meta({ id: 'ReviewerView' });
export type ReviewerView = z.infer<typeof reviewerViewSchema>;

/** What the candidate who asked sees. */
export const reviewRequestSchema = z
  .object({
    id: z.string(),
    sessionId: z.string(),
    status: reviewStatusSchema,
    focus: z.string(),
    dueAt: z.string(),
    createdAt: z.string(),
    wanted: z.number().int(),
    anonymous: z.boolean(),
    reviewers: z.array(z.string()),
    share: z.object({ expiresAt: z.string(), passcode: z.boolean(), revoked: z.boolean() }).nullable(),
    claims: z.array(z.object({ expiresAt: z.string() })),
    answers: z.array(reviewAnswerSchema),
    coach: z.array(coachFeedbackSchema),
    reviews: z.array(submittedReviewSchema),
  })
  .meta({ id: 'ReviewRequest' });
export type ReviewRequestView = z.infer<typeof reviewRequestSchema>;

export const reviewRequestSummarySchema = z
  .object({
    id: z.string(),
    sessionId: z.string().optional(),
    status: reviewStatusSchema,
    focus: z.string(),
    dueAt: z.string(),
    createdAt: z.string(),
    reviews: z.number().int(),
    wanted: z.number().int(),
  })
  .meta({ id: 'ReviewRequestSummary' });

export const reviewListSchema = z
  .object({
    requested: z.array(reviewRequestSummarySchema).meta({ description: 'the reviews I asked for' }),
    invited: z.array(reviewRequestSummarySchema).meta({ description: 'the reviews I am invited to give' }),
    pool: z.array(reviewRequestSummarySchema).meta({
      description: "my cohorts' pool: other members' requests I may claim (open), or have reviewed",
    }),
  })
  .meta({ id: 'ReviewList' });

export const reviewClaimSchema = z.object({ expiresAt: z.string() }).meta({ id: 'ReviewClaim' });

/** POST /api/shared-reviews/:token/open. */
export const openShareSchema = z
  .object({ passcode: z.string().max(100).optional() })
  .meta({ id: 'OpenShare' });

export const shareOpenedSchema = z
  .object({
    reviewerKey: z.string().meta({
      description:
        'who this link reviewer is from now on: send it as `x-reviewer-key` (and any passcode as ' +
        '`x-share-passcode`) on the other shared-review routes',
    }),
    review: reviewerViewSchema,
  })
  .meta({ id: 'ShareOpened' });

export const REVIEW_STEPS = [
  'invited',
  'claimed',
  'reminded',
  'claim_released',
  'submitted',
  'completed',
  'expired',
  'withdrawn',
  'replied',
] as const;

/** On a review request's stream (GET /api/reviews/:id/events): the request moved on. */
export const reviewEventSchema = z
  .object({
    type: z.literal('review'),
    step: z.enum(REVIEW_STEPS),
    at: z.string(),
    reviewer: z
      .string()
      .nullable()
      .meta({ description: 'the reviewer, when the request names them; null when anonymous' }),
    expiresAt: z.string().optional().meta({ description: 'a claim: when it lapses' }),
    by: z.enum(['candidate', 'reviewer']).optional().meta({
      description:
        "`replied`: who added to a comment's thread. The event carries no text: each reader fetches what it may see",
    }),
  })
  .meta({ id: 'ReviewEvent' });
export type ReviewEvent = z.infer<typeof reviewEventSchema>;
/**
 * The steps after which a request's stream ends (`event: end`): only a withdrawal. A completed or expired
 * request still carries its comment threads (the candidate and the reviewers who submitted keep replying).
 */
export const REVIEW_END_STEPS: readonly ReviewEvent['step'][] = ['withdrawn'];

const kappaSchema = z.union([
  z.object({ value: z.number() }),
  z.object({ value: z.null(), reason: z.enum(['fewer_than_two', 'no_variance']) }),
]);
const leniencySchema = z.object({ mean: z.number().nullable(), n: z.number().int() });

/** GET /api/admin/reviews/calibration: human reviewers against the coach, and against each other. */
export const reviewCalibrationSchema = z
  .object({
    dimensions: z.array(
      z.object({
        dimension: scoreDimensionSchema,
        n: z.number().int(),
        kappa: kappaSchema.meta({ description: 'quadratic weighted kappa, human vs coach' }),
        meanDifference: z.number().nullable().meta({ description: 'mean of human − coach' }),
        largestDisagreements: z.array(
          z.object({
            answerId: z.string(),
            reviewerId: z.string(),
            human: scoreSchema,
            coach: scoreSchema,
            difference: z.number(),
            confidence: confidenceSchema.optional(),
          }),
        ),
      }),
    ),
    reviewers: z.array(
      z.object({
        reviewerId: z.string(),
        n: z.number().int(),
        leniencyVsCoach: leniencySchema,
        leniencyVsOthers: leniencySchema,
        agreementWithOthers: z.object({ withinOne: z.number().nullable(), n: z.number().int() }),
      }),
    ),
    withoutCoachScore: z.number().int(),
  })
  .meta({ id: 'ReviewCalibration' });

/**
 * GET /api/admin/reviews/export: the human scores as a labelled set in the coach's eval format
 * (`answers.jsonl` lines: eval/corpus/schema.ts), and the answers left out and why.
 */
export const reviewLabelledSetSchema = z
  .object({
    answers: z.array(
      z.object({
        id: z.string(),
        family: z.string(),
        role: z.string(),
        job: z.object({ title: z.string(), requirements: z.array(z.string()) }),
        question: z.string(),
        answer: z.string(),
        variant: z.literal('base'),
        labels: z.record(scoreDimensionSchema, scoreSchema),
        split: z.literal('test'),
      }),
    ),
    skipped: z.array(
      z.object({
        answerId: z.string(),
        reason: z.enum(['no_review', 'unscored_dimensions', 'no_job_profile']),
        dimensions: z.array(z.string()).optional(),
      }),
    ),
  })
  .meta({ id: 'ReviewLabelledSet' });

export type ReviewRequestInput = z.input<typeof createReviewRequestSchema>;
export type ReviewRequestCreated = z.infer<typeof reviewRequestCreatedSchema>;
export type ReviewRequestSummary = z.infer<typeof reviewRequestSummarySchema>;
export type ReviewList = z.infer<typeof reviewListSchema>;
export type ReviewClaim = z.infer<typeof reviewClaimSchema>;
export type ShareOpened = z.infer<typeof shareOpenedSchema>;
export type ReviewCalibration = z.infer<typeof reviewCalibrationSchema>;
export type ReviewSubmissionInput = z.input<typeof reviewSubmissionSchema>;

/** A cohort: a named group of accounts whose members review each other's requests (the cohort's pool). */
export const cohortSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    inviteCode: z.string().meta({ description: 'whoever has it may join; every member sees it to pass on' }),
    members: z.number().int(),
  })
  .meta({ id: 'Cohort' });
export type Cohort = z.infer<typeof cohortSchema>;

export const createCohortSchema = z
  .object({ name: z.string().trim().min(1).max(100) })
  .meta({ id: 'CohortInput' });

export const joinCohortSchema = z
  .object({ inviteCode: z.string().trim().min(1).max(100) })
  .meta({ id: 'CohortJoin' });

/** GET /api/notices: review notices since I last opened my Reviews (the count on the nav's Reviews link). */
export const reviewNoticesSchema = z
  .object({
    unread: z.number().int().meta({ description: 'arrived + invitations' }),
    arrived: z.number().int().meta({ description: 'reviews that arrived on my requests' }),
    invitations: z
      .number()
      .int()
      .meta({ description: "open requests I may review: named, or my cohorts' pool" }),
  })
  .meta({ id: 'ReviewNotices' });
export type ReviewNotices = z.infer<typeof reviewNoticesSchema>;
