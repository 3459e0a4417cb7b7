// The admin API: ingestion runs (list, rerun, cancel), the coach's prompt/model version and its judgement weights.
import { z } from 'zod';
import { MAX_RUNS_LISTED } from './limits.js';
import { ingestionRunKindSchema, ingestionRunStatusSchema, scoreDimensionSchema } from './vocabulary.js';

export const runsQuerySchema = z.object({
  jobId: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(MAX_RUNS_LISTED).default(100),
});

export const ingestionRunSchema = z
  .object({
    id: z.string(),
    jobId: z.string(),
    jobTitle: z.string(),
    requestedBy: z.string(),
    kind: ingestionRunKindSchema,
    status: ingestionRunStatusSchema,
    documents: z.number().int(),
    documentsDone: z.number().int(),
    documentsFailed: z.number().int(),
    chunks: z.number().int(),
    embedder: z.string(),
    chunkSize: z.number().int(),
    chunkOverlap: z.number().int(),
    indexVersion: z.number().int(),
    errors: z.array(z.string()),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    durationMs: z.number(),
  })
  .meta({ id: 'IngestionRun' });
export type IngestionRun = z.infer<typeof ingestionRunSchema>;

export const reindexStartedSchema = z.object({ runId: z.string() }).meta({ id: 'ReindexStarted' });
export type ReindexStarted = z.infer<typeof reindexStartedSchema>;

export const reindexAllSchema = z
  .object({
    runs: z.array(
      z.object({ jobId: z.string(), runId: z.string().optional(), error: z.string().optional() }),
    ),
  })
  .meta({ id: 'ReindexAll' });
export type ReindexAllResult = z.infer<typeof reindexAllSchema>;

export const runCancellingSchema = z
  .object({ runId: z.string(), status: z.literal('cancelling') })
  .meta({ id: 'RunCancelling' });

/** The trained judgement's weights this process scores answers with (agents/judgement). */
export const judgementVersionSchema = z
  .object({
    source: z.enum(['mlflow', 'repo']).meta({
      description:
        'mlflow: the weights.json of the `coach-judgement` version behind `production`; repo: agents/judgement/weights.json',
    }),
    registryVersion: z.string().nullable().meta({ description: 'the MLflow version behind `production`' }),
    trainedAt: z.string(),
    embedder: z.string().meta({ description: 'the sentence embeddings the weights were trained on' }),
    active: z.boolean().meta({
      description: 'false when the embedding model is not set up: the keyword rubric scores instead',
    }),
    loadedAt: z.string(),
    warning: z.string().nullable().meta({ description: 'why the registry was not used although it is set' }),
  })
  .meta({ id: 'JudgementVersion' });
export type JudgementVersion = z.infer<typeof judgementVersionSchema>;

/** The coach's prompt/model version this process runs. */
export const coachVersionSchema = z
  .object({
    version: z.string().meta({ description: "the prompt version's name, e.g. coach-prompts@1" }),
    source: z.enum(['mlflow', 'repo']),
    registryVersion: z.string().nullable().meta({ description: 'the MLflow version behind `production`' }),
    mode: z.enum(['offline', 'model']),
    model: z.string().nullable(),
    temperature: z.number().nullable(),
    loadedAt: z.string(),
    warning: z.string().nullable().meta({ description: 'why the registry was not used although it is set' }),
    judgement: judgementVersionSchema,
  })
  .meta({ id: 'CoachVersion' });
export type CoachVersion = z.infer<typeof coachVersionSchema>;

/** One version of the registered model "coach" in MLflow. */
export const coachRegistryVersionSchema = z
  .object({
    registryVersion: z.string(),
    version: z
      .string()
      .nullable()
      .meta({ description: "the prompt set's name; null when its tag is invalid" }),
    model: z.string().nullable(),
    temperature: z.number().nullable(),
    aliases: z.array(z.string()),
    created: z.string().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'CoachRegistryVersion' });
export type CoachRegistryVersion = z.infer<typeof coachRegistryVersionSchema>;

export const coachRegistrySchema = z
  .object({
    configured: z.boolean().meta({ description: 'false without MLFLOW_TRACKING_URI: nothing can move' }),
    versions: z.array(coachRegistryVersionSchema),
    previous: z.string().nullable().meta({ description: 'the version a rollback returns to' }),
    ui: z.string().nullable().meta({
      description: "the MLflow UI's address (MLFLOW_UI_URL; `npm start` sets it when it runs MLflow)",
    }),
  })
  .meta({ id: 'CoachRegistry' });
export type CoachRegistry = z.infer<typeof coachRegistrySchema>;

export const promoteSchema = z
  .object({
    version: z
      .union([z.string(), z.number()], { error: 'version (the registry version number) is required' })
      .transform(String)
      .pipe(z.string().regex(/^[1-9]\d*$/, 'version must be a registry version number such as "2"')),
  })
  .meta({ id: 'Promote' });

/** One version of the registered model "coach-judgement" (trained judgement weights) in MLflow. */
export const judgementRegistryVersionSchema = z
  .object({
    registryVersion: z.string(),
    aliases: z.array(z.string()),
    created: z.string().nullable(),
    description: z.string().nullable(),
    testQwk: z.partialRecord(scoreDimensionSchema, z.number()).meta({
      description: "the test split's quadratic weighted kappa per dimension, as its training run logged it",
    }),
  })
  .meta({ id: 'JudgementRegistryVersion' });

export const judgementRegistrySchema = z
  .object({
    configured: z.boolean().meta({ description: 'false without MLFLOW_TRACKING_URI: nothing can move' }),
    versions: z.array(judgementRegistryVersionSchema),
    previous: z.string().nullable().meta({ description: 'the version a rollback returns to' }),
  })
  .meta({ id: 'JudgementRegistry' });
export type JudgementRegistry = z.infer<typeof judgementRegistrySchema>;

export const judgementPromoteSchema = promoteSchema
  .extend({
    force: z.boolean().default(false).meta({
      description: "promote even when the version's test figures are worse than production's",
    }),
  })
  .meta({ id: 'JudgementPromote' });

/** A promote or rollback of the judgement weights; `overridden`: the worse figures a forced promote went past. */
export const judgementMoveSchema = z
  .object({
    from: z.string().nullable(),
    to: z.string(),
    overridden: z.array(z.string()),
    running: coachVersionSchema,
  })
  .meta({ id: 'JudgementMove' });
export type JudgementMove = z.infer<typeof judgementMoveSchema>;

/** A promote or rollback: the alias moved; `running` is what the app runs after reloading. */
export const coachMoveSchema = z
  .object({ from: z.string().nullable(), to: z.string(), running: coachVersionSchema })
  .meta({ id: 'CoachMove' });
export type CoachMove = z.infer<typeof coachMoveSchema>;
