import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { WorkflowNotFoundError } from '@temporalio/client';
import { documents, ingestionRuns, jobs, sessionEvents, sessions, turns } from '../../core/db/schema.js';
import { uploadFieldsSchema, type CreateJob, type UpdateJob } from '../../contract/index.js';
import { jobStream, type DocumentKind } from '../../core/types.js';
import { checkFileName, DocumentRejected, SUPPORTED_EXTENSIONS } from '../../ingestion/loaders/index.js';
import { indexKey } from '../../ingestion/store.js';
import { deleteRecordings } from '../../core/recordings.js';
import { ingestWorkflowId, sessionWorkflowId } from '../../workflows/messages.js';
import path from 'node:path';
import { Unprocessable, Unsupported } from '../../core/errors.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { createIngestionService, type JobIngestion } from './ingestion.js';
import type { ApiDeps } from '../context.js';

/** The pasted documents a job can have, by the field that carries their text. */
const PASTED = [
  { field: 'description', name: 'Job description', kind: 'jd' },
  { field: 'resume', name: 'Resume', kind: 'resume' },
  { field: 'notes', name: 'Notes', kind: 'notes' },
] as const satisfies readonly { field: keyof UpdateJob; name: string; kind: DocumentKind }[];

/** How long a delete waits for a cancelled ingestion to stop writing before it drops the index anyway. */
const CANCEL_WAIT_MS = 30_000;

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

  /**
   * Cancels (ingestion: its activities stop at their next heartbeat) or terminates (a session waiting for
   * answers) a workflow, and waits until it has stopped. One that already finished is fine.
   */
  async function stopWorkflow(workflowId: string, how: 'cancel' | 'terminate'): Promise<void> {
    const handle = deps.temporal.workflow.getHandle(workflowId);
    try {
      if (how === 'cancel') await handle.cancel();
      else await handle.terminate('its job was deleted');
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return;
      throw err;
    }
    const stopped = handle.result().then(
      () => undefined,
      () => undefined,
    );
    await Promise.race([stopped, new Promise((r) => setTimeout(r, CANCEL_WAIT_MS).unref())]);
  }

  async function view(job: JobRow) {
    return jobView(job, (await ingestion.ofJobs([job.id])).get(job.id)!);
  }

  return {
    get,
    view,

    /** `id` comes from an Idempotency-Key: a repeated create returns the job the first one made. */
    async create(
      ownerId: string,
      input: CreateJob,
      id: string = randomUUID(),
    ): Promise<Awaited<ReturnType<typeof view>>> {
      const [existing] = await db
        .select()
        .from(jobs)
        .where(and(eq(jobs.id, id), eq(jobs.ownerId, ownerId)));
      if (existing) {
        if (existing.title !== input.title || existing.company !== input.company)
          throw new Unprocessable('this Idempotency-Key was used for another request');
        return view(existing);
      }
      const pasted = PASTED.map((p) => ({ name: p.name, kind: p.kind, text: input[p.field] }));
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
          .onConflictDoNothing()
          .returning();
        // A concurrent request with the same Idempotency-Key made it a moment ago.
        if (!row) return undefined;
        await tx.insert(documents).values(docs);
        return row;
      });
      if (!job) return this.create(ownerId, input, id);
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
        /** Pasted text (edited with PATCH /api/jobs/:id) or an uploaded file. */
        source: d.blobKey ? ('upload' as const) : ('pasted' as const),
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

    /** Changes the job's fields; re-ingests pasted texts that changed. */
    async update(ownerId: string, id: string, input: UpdateJob) {
      const job = await get(ownerId, id);
      const current = await db
        .select()
        .from(documents)
        .where(and(eq(documents.jobId, id), isNull(documents.blobKey)));
      const changes = PASTED.flatMap((p) => {
        const value = input[p.field];
        if (value === undefined) return [];
        const doc = current.find((d) => d.kind === p.kind && d.name === p.name);
        if (doc ? doc.text === value : value === '') return [];
        return [{ ...p, text: value, doc }];
      });
      if (changes.length > 0) {
        const busy = await ingestion.runningReindex(id);
        if (busy)
          throw conflict(`the job is being re-indexed (run ${busy}); edit its texts when it has finished`);
        // Two runs writing the same document's chunks could leave the older text indexed.
        const inFlight = changes.find(
          (c) => c.doc && (c.doc.status === 'pending' || c.doc.status === 'running'),
        );
        if (inFlight)
          throw conflict(`"${inFlight.name}" is still being indexed; edit it again when it is ready`);
      }
      const toIngest: string[] = [];
      const removed: { id: string; kind: DocumentKind }[] = [];
      const updated = await db.transaction(async (tx) => {
        const [row] = await tx
          .update(jobs)
          .set({
            ...(input.title !== undefined && { title: input.title }),
            ...(input.company !== undefined && { company: input.company }),
            ...(input.seniority !== undefined && { seniority: input.seniority }),
            updatedAt: new Date(),
          })
          .where(and(eq(jobs.id, id), eq(jobs.ownerId, ownerId)))
          .returning();
        for (const c of changes) {
          if (c.doc && c.text === '') {
            await tx.delete(documents).where(eq(documents.id, c.doc.id));
            removed.push({ id: c.doc.id, kind: c.kind });
          } else if (c.doc) {
            await tx
              .update(documents)
              .set({
                text: c.text,
                sizeBytes: Buffer.byteLength(c.text),
                status: 'pending',
                stage: 'queued',
                chunks: 0,
                error: null,
              })
              .where(eq(documents.id, c.doc.id));
            toIngest.push(c.doc.id);
          } else {
            const docId = randomUUID();
            await tx.insert(documents).values({
              id: docId,
              jobId: id,
              ownerId,
              name: c.name,
              kind: c.kind,
              text: c.text,
              sizeBytes: Buffer.byteLength(c.text),
            });
            toIngest.push(docId);
          }
        }
        return row!;
      });
      // A removed text's passages leave the index the coach reads (an upsert of no chunks drops them).
      for (const r of removed) {
        await deps.store.upsertDocument({
          jobId: indexKey(id, job.indexVersion),
          documentId: r.id,
          kind: r.kind,
          chunks: [],
        });
      }
      if (toIngest.length > 0) {
        await ingestion.start({
          ownerId,
          requestedBy: ownerId,
          jobId: id,
          kind: 'edit',
          documentIds: toIngest,
          indexVersion: job.indexVersion,
        });
      }
      return view(updated);
    },

    /**
     * Deletes the job with everything made from it: running ingestion is cancelled first, then the Chroma
     * index (every version), the uploaded files and voice recordings, and last the rows (documents,
     * sessions with their turns and events, runs). Files go before rows so a failed delete can be retried.
     */
    async remove(ownerId: string, id: string): Promise<void> {
      const job = await get(ownerId, id);
      const running = await db
        .select({ id: ingestionRuns.id })
        .from(ingestionRuns)
        .where(and(eq(ingestionRuns.jobId, id), eq(ingestionRuns.status, 'running')));
      await Promise.all(running.map((r) => stopWorkflow(ingestWorkflowId(r.id), 'cancel')));
      const jobSessions = await db
        .select({ id: sessions.id, status: sessions.status })
        .from(sessions)
        .where(and(eq(sessions.jobId, id), eq(sessions.ownerId, ownerId)));
      await Promise.all(
        jobSessions
          .filter((s) => s.status !== 'completed')
          .map((s) => stopWorkflow(sessionWorkflowId(s.id), 'terminate')),
      );
      // A reindex builds version indexVersion + 1 beside the active one; a cancelled one may leave it behind.
      for (let v = 1; v <= job.indexVersion + 1; v++) await deps.store.dropIndex(indexKey(id, v));
      const files = await db
        .select({ key: documents.blobKey })
        .from(documents)
        .where(and(eq(documents.jobId, id), isNotNull(documents.blobKey)));
      const sessionIds = jobSessions.map((s) => s.id);
      for (const { key } of files) if (key) await blobs.delete(key);
      // Voice answers' recordings (and their stored transcripts).
      if (sessionIds.length > 0) await deleteRecordings(db, blobs, inArray(turns.sessionId, sessionIds));
      await db.transaction(async (tx) => {
        // The event logs of its sessions and of its ingestion (the job's own stream).
        await tx
          .delete(sessionEvents)
          .where(inArray(sessionEvents.sessionId, [...sessionIds, jobStream(id)]));
        // Documents, sessions (with their turns) and ingestion runs go with the job (ON DELETE CASCADE).
        await tx.delete(jobs).where(and(eq(jobs.id, id), eq(jobs.ownerId, ownerId)));
      });
    },

    /** Stores an uploaded file by reference and starts its ingestion; parsing happens in the worker. */
    async upload(ownerId: string, jobId: string, file: { name: string; bytes: Buffer; kind: unknown }) {
      const job = await get(ownerId, jobId);
      const { kind } = uploadFieldsSchema.parse({ kind: file.kind });
      const name = checkUploadName(file.name);
      if (file.bytes.length === 0) throw badRequest(`${name} is empty`);
      const extension = path.extname(name).toLowerCase();
      if (!SUPPORTED_EXTENSIONS.includes(extension)) {
        throw new Unsupported(`${name}: upload one of ${SUPPORTED_EXTENSIONS.join(', ')}`);
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
