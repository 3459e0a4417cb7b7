// Target jobs, their documents and the retrieval over them.
import { z } from 'zod';
import { citationSchema } from './coaching.js';
import {
  JOB_DESCRIPTION_MIN_CHARS,
  JOB_FIELD_MAX_CHARS,
  JOB_TEXT_MAX_CHARS,
  MAX_SEARCH_RESULTS,
} from './limits.js';
import {
  documentKindSchema,
  ingestionStageSchema,
  ingestionStatusSchema,
  jobStatusSchema,
  senioritySchema,
} from './vocabulary.js';

const text = (name: string, max: number) =>
  z
    .string({ error: `${name} must be a string` })
    .trim()
    .max(max, `${name} is longer than ${max} characters`);

export const createJobSchema = z
  .object({
    title: text('title', JOB_FIELD_MAX_CHARS).min(1, 'title is required'),
    company: text('company', JOB_FIELD_MAX_CHARS).min(1, 'company is required'),
    seniority: senioritySchema.optional(),
    description: text('description', JOB_TEXT_MAX_CHARS).min(
      JOB_DESCRIPTION_MIN_CHARS,
      `description (the job description) needs at least ${JOB_DESCRIPTION_MIN_CHARS} characters`,
    ),
    resume: text('resume', JOB_TEXT_MAX_CHARS).optional(),
    notes: text('notes', JOB_TEXT_MAX_CHARS).optional(),
  })
  .meta({ id: 'JobInput' });
export type JobInput = z.input<typeof createJobSchema>;
export type CreateJob = z.infer<typeof createJobSchema>;

/**
 * PATCH /api/jobs/:id: any of the job's fields and pasted texts. A changed text is re-ingested; an empty
 * résumé or notes removes that pasted document (the job description cannot be emptied).
 */
export const updateJobSchema = z
  .object({
    title: createJobSchema.shape.title.optional(),
    company: createJobSchema.shape.company.optional(),
    seniority: senioritySchema.nullable().optional(),
    description: createJobSchema.shape.description.optional(),
    resume: text('resume', JOB_TEXT_MAX_CHARS).optional(),
    notes: text('notes', JOB_TEXT_MAX_CHARS).optional(),
  })
  .strict()
  .refine((o) => Object.keys(o).length > 0, 'send at least one field to change')
  .meta({ id: 'JobUpdate' });
export type JobUpdate = z.input<typeof updateJobSchema>;
export type UpdateJob = z.infer<typeof updateJobSchema>;

/** A job's ingestion as the user sees it, derived from its documents. */
export const ingestionSchema = z
  .object({ status: ingestionStatusSchema, chunks: z.number().int(), error: z.string().optional() })
  .meta({ id: 'Ingestion' });
export type Ingestion = z.infer<typeof ingestionSchema>;

export const jobSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    company: z.string(),
    seniority: senioritySchema.nullable(),
    createdAt: z.string(),
    status: jobStatusSchema.meta({
      description: '`deleting` once DELETE /api/jobs/:id was accepted; the job is gone (404) when it is done',
    }),
    ingestion: ingestionSchema,
  })
  .meta({ id: 'Job' });
export type Job = z.infer<typeof jobSchema>;

export const jobDocumentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: documentKindSchema,
    source: z
      .enum(['pasted', 'upload'])
      .meta({ description: 'pasted text (edited on the job) or an uploaded file' }),
    status: ingestionStatusSchema,
    stage: ingestionStageSchema,
    chunks: z.number().int(),
    sizeBytes: z.number().int().nullable(),
    format: z.string().optional(),
    error: z.string().optional(),
    createdAt: z.string(),
  })
  .meta({ id: 'JobDocument' });
export type JobDocument = z.infer<typeof jobDocumentSchema>;

/** One document with its extracted text: what a citation opens. */
export const documentDetailSchema = z
  .object({
    id: z.string(),
    jobId: z.string(),
    name: z.string(),
    kind: documentKindSchema,
    status: ingestionStatusSchema,
    text: z.string().nullable(),
  })
  .meta({ id: 'DocumentDetail' });
export type DocumentDetail = z.infer<typeof documentDetailSchema>;

/** The multipart fields beside `file` of POST /api/jobs/:id/documents. */
export const uploadFieldsSchema = z.object({ kind: documentKindSchema.default('notes') });

export const uploadAcceptedSchema = z
  .object({ documentId: z.string(), status: z.literal('pending') })
  .meta({ id: 'UploadAccepted' });
export type UploadAccepted = z.infer<typeof uploadAcceptedSchema>;

export const searchQuerySchema = z.object({
  q: z.string().trim().min(1, 'q (the search text) is required').max(2000),
  k: z.coerce.number().int().min(1).max(MAX_SEARCH_RESULTS).default(5),
  kind: documentKindSchema.optional(),
});

export const searchResultSchema = citationSchema.extend({ score: z.number() }).meta({ id: 'SearchResult' });
export type SearchResult = z.infer<typeof searchResultSchema>;
export const searchResultsSchema = z.object({ results: z.array(searchResultSchema) });
