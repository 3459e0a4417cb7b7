import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { documents, jobs } from '../../core/db/schema.js';
import { SENIORITIES, type DocumentKind } from '../../core/types.js';
import { ingestWorkflowId, type IngestInput } from '../../workflows/messages.js';
import { notFound } from '../errors.js';
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

export function jobView(j: JobRow) {
  return {
    id: j.id,
    title: j.title,
    company: j.company,
    seniority: j.seniority,
    createdAt: j.createdAt.toISOString(),
    ingestion: {
      status: j.ingestionStatus,
      chunks: j.ingestionChunks,
      ...(j.ingestionError && { error: j.ingestionError }),
    },
  };
}

export function createJobService({ db, temporal, config }: ApiDeps) {
  async function get(ownerId: string, id: string): Promise<JobRow> {
    const [job] = await db
      .select()
      .from(jobs)
      .where(and(eq(jobs.id, id), eq(jobs.ownerId, ownerId)));
    if (!job) throw notFound(`job ${id}`);
    return job;
  }

  return {
    get,

    async create(ownerId: string, input: CreateJob): Promise<JobRow> {
      const id = randomUUID();
      const docs: { name: string; kind: DocumentKind; text: string | undefined }[] = [
        { name: 'Job description', kind: 'jd', text: input.description },
        { name: 'Resume', kind: 'resume', text: input.resume },
        { name: 'Notes', kind: 'notes', text: input.notes },
      ];
      const job = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(jobs)
          .values({ id, ownerId, title: input.title, company: input.company, seniority: input.seniority })
          .returning();
        const present = docs.filter((d) => d.text && d.text.trim().length > 0);
        await tx.insert(documents).values(
          present.map((d) => ({
            id: randomUUID(),
            jobId: id,
            ownerId,
            name: d.name,
            kind: d.kind,
            text: d.text!,
          })),
        );
        return row!;
      });
      await temporal.workflow.start('ingestJob', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: ingestWorkflowId(id),
        args: [{ jobId: id } satisfies IngestInput],
      });
      return job;
    },

    list(ownerId: string): Promise<JobRow[]> {
      return db.select().from(jobs).where(eq(jobs.ownerId, ownerId)).orderBy(desc(jobs.createdAt));
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
        chunks: d.chunks,
        ...(d.error && { error: d.error }),
      }));
    },
  };
}
