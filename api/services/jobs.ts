import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { documents, jobs } from '../../core/db/schema.js';
import { DOCUMENT_KINDS, SENIORITIES, type DocumentKind } from '../../core/types.js';
import { checkFileName, DocumentRejected, SUPPORTED_EXTENSIONS } from '../../ingestion/loaders/index.js';
import path from 'node:path';
import { badRequest, conflict, HttpError, notFound } from '../errors.js';
import { createIngestionService, type JobIngestion } from './ingestion.js';
import type { ApiDeps } from '../context.js';

const text = (name: string, max: number) =>
  z
    .string({ error: `${name} must be a string` })
    .trim()
    .max(max, `${name} is longer than ${max} characters`);

export const createJobSchema = z.object({
  title: text('title', 200).min(1, 'title is required'),
  company: text('company', 200).min(1, 'company is required'),
  seniority: z.enum(SENIORITIES).optional(),
  description: text('description', 100_000).min(
    20,
    'description (the job description) needs at least 20 characters',
  ),
  resume: text('resume', 100_000).optional(),
  notes: text('notes', 100_000).optional(),
});
export type CreateJob = z.infer<typeof createJobSchema>;

export type JobRow = typeof jobs.$inferSelect;

export function jobView(j: JobRow, ingestion: JobIngestion) {
  return {
    id: j.id,
    title: j.title,
    company: j.company,
    seniority: j.seniority,
    createdAt: j.createdAt.toISOString(),
    ingestion,
  };
}

const uploadKindSchema = z.enum(DOCUMENT_KINDS, {
  error: `kind must be one of ${DOCUMENT_KINDS.join(', ')}`,
});

export function createJobService(deps: ApiDeps) {
  const { db, blobs } = deps;
  const ingestion = createIngestionService(deps);

  async function get(ownerId: string, id: string): Promise<JobRow> {
    const [job] = await db
      .select()
      .from(jobs)
      .where(and(eq(jobs.id, id), eq(jobs.ownerId, ownerId)));
    if (!job) throw notFound(`job ${id}`);
    return job;
  }

  async function view(job: JobRow) {
    return jobView(job, (await ingestion.ofJobs([job.id])).get(job.id)!);
  }

  return {
    get,
    view,

    async create(ownerId: string, input: CreateJob) {
      const id = randomUUID();
      const pasted: { name: string; kind: DocumentKind; text: string | undefined }[] = [
        { name: 'Job description', kind: 'jd', text: input.description },
        { name: 'Resume', kind: 'resume', text: input.resume },
        { name: 'Notes', kind: 'notes', text: input.notes },
      ];
      const docs = pasted
        .filter((d) => d.text && d.text.trim().length > 0)
        .map((d) => ({
          id: randomUUID(),
          jobId: id,
          ownerId,
          name: d.name,
          kind: d.kind,
          text: d.text!,
          sizeBytes: Buffer.byteLength(d.text!),
        }));
      const job = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(jobs)
          .values({ id, ownerId, title: input.title, company: input.company, seniority: input.seniority })
          .returning();
        await tx.insert(documents).values(docs);
        return row!;
      });
      await ingestion.start({
        ownerId,
        requestedBy: ownerId,
        jobId: id,
        kind: 'initial',
        documentIds: docs.map((d) => d.id),
        indexVersion: 1,
      });
      return view(job);
    },

    async list(ownerId: string) {
      const rows = await db
        .select()
        .from(jobs)
        .where(eq(jobs.ownerId, ownerId))
        .orderBy(desc(jobs.createdAt));
      const byJob = await ingestion.ofJobs(rows.map((j) => j.id));
      return rows.map((j) => jobView(j, byJob.get(j.id)!));
    },

    async documents(ownerId: string, jobId: string) {
      await get(ownerId, jobId);
      const rows = await db
        .select()
        .from(documents)
        .where(and(eq(documents.jobId, jobId), eq(documents.ownerId, ownerId)))
        .orderBy(documents.createdAt);
      return rows.map((d) => ({
        id: d.id,
        name: d.name,
        kind: d.kind,
        status: d.status,
        stage: d.stage,
        chunks: d.chunks,
        sizeBytes: d.sizeBytes,
        ...(d.format && { format: d.format }),
        ...(d.error && { error: d.error }),
        createdAt: d.createdAt.toISOString(),
      }));
    },

    /** One document with its text: what a citation opens. */
    async document(ownerId: string, jobId: string, documentId: string) {
      const [d] = await db
        .select()
        .from(documents)
        .where(and(eq(documents.id, documentId), eq(documents.jobId, jobId), eq(documents.ownerId, ownerId)));
      if (!d) throw notFound(`document ${documentId}`);
      return { id: d.id, jobId: d.jobId, name: d.name, kind: d.kind, status: d.status, text: d.text };
    },

    /** Stores an uploaded file by reference and starts its ingestion; parsing happens in the worker. */
    async upload(ownerId: string, jobId: string, file: { name: string; bytes: Buffer; kind: unknown }) {
      const job = await get(ownerId, jobId);
      const kind = uploadKindSchema.parse(file.kind ?? 'notes');
      const name = checkUploadName(file.name);
      if (file.bytes.length === 0) throw badRequest(`${name} is empty`);
      const extension = path.extname(name).toLowerCase();
      if (!SUPPORTED_EXTENSIONS.includes(extension)) {
        throw new HttpError(
          415,
          'Unsupported Media Type',
          `${name}: upload one of ${SUPPORTED_EXTENSIONS.join(', ')}`,
        );
      }
      const busy = await ingestion.runningReindex(jobId);
      if (busy)
        throw conflict(`the job is being re-indexed (run ${busy}); upload again when it has finished`);
      const id = randomUUID();
      const blobKey = `${ownerId}/${jobId}/${id}`;
      await blobs.put(blobKey, file.bytes);
      await db
        .insert(documents)
        .values({ id, jobId, ownerId, name, kind, blobKey, sizeBytes: file.bytes.length });
      await ingestion.start({
        ownerId,
        requestedBy: ownerId,
        jobId,
        kind: 'upload',
        documentIds: [id],
        indexVersion: job.indexVersion,
      });
      return { documentId: id, status: 'pending' as const };
    },
  };
}

/** The loaders' name check, as a 400 that names what is wrong. */
function checkUploadName(name: string): string {
  try {
    return checkFileName(name);
  } catch (err) {
    if (err instanceof DocumentRejected) throw badRequest(err.reason);
    throw err;
  }
}
