import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import * as documents from '../../core/stores/documents.js';
import * as jobs from '../../core/stores/jobs.js';
import { uploadFieldsSchema, type CreateJob, type UpdateJob } from '../../contract/index.js';
import type { DocumentKind } from '../../core/types.js';
import { checkFileName, DocumentRejected, SUPPORTED_EXTENSIONS } from '../../ingestion/loaders/index.js';
import {
  deleteDocumentWorkflowId,
  deleteJobWorkflowId,
  type DeleteDocumentInput,
  type DeleteJobInput,
} from '../../workflows/messages.js';
import type { PreparedDocument } from '../../core/stores/runs.js';
import { derivedId } from '../idempotency.js';
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

/** How long an edit waits for a removed text's deletion workflow before it answers anyway. */
const DOCUMENT_DELETE_WAIT_MS = 20_000;

export type JobRow = jobs.JobRow;

export function jobView(j: JobRow, ingestion: JobIngestion) {
  return {
    id: j.id,
    title: j.title,
    company: j.company,
    seniority: j.seniority,
    createdAt: j.createdAt.toISOString(),
    status: j.status,
    ingestion,
  };
}

export function createJobService(deps: ApiDeps) {
  const { db, blobs } = deps;
  const ingestion = createIngestionService(deps);

  async function get(ownerId: string, id: string): Promise<JobRow> {
    const job = await jobs.ofOwner(db, ownerId, id);
    if (!job) throw notFound(`job ${id}`);
    return job;
  }

  /** A job that is being deleted takes no more edits, uploads or sessions. */
  async function active(ownerId: string, id: string): Promise<JobRow> {
    const job = await get(ownerId, id);
    if (job.status === 'deleting') throw conflict(`job ${id} is being deleted`);
    return job;
  }

  /** Starts a delete workflow; one already started for the same object is fine. */
  async function startDelete(
    workflow: 'deleteJob' | 'deleteDocument',
    workflowId: string,
    input: DeleteJobInput | DeleteDocumentInput,
  ) {
    await deps.temporal.workflow
      .start(workflow, { taskQueue: deps.config.TEMPORAL_TASK_QUEUE, workflowId, args: [input] })
      .catch((err: unknown) => {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      });
    return deps.temporal.workflow.getHandle(workflowId);
  }

  async function view(job: JobRow) {
    return jobView(job, (await ingestion.ofJobs([job.id])).get(job.id)!);
  }

  return {
    get,
    active,
    view,

    /** `id` comes from an Idempotency-Key: a repeated create returns the job the first one made. */
    async create(
      ownerId: string,
      input: CreateJob,
      id: string = randomUUID(),
    ): Promise<Awaited<ReturnType<typeof view>>> {
      const existing = await jobs.ofOwner(db, ownerId, id);
      if (existing) {
        if (existing.title !== input.title || existing.company !== input.company)
          throw new Unprocessable('this Idempotency-Key was used for another request');
        return view(existing);
      }
      const pasted = PASTED.map((p) => ({ name: p.name, kind: p.kind, text: input[p.field] }));
      // Ids from the job's: a repeated request names the same documents, run and workflow.
      const docs: PreparedDocument[] = pasted
        .filter((d) => d.text && d.text.trim().length > 0)
        .map((d) => ({
          id: derivedId('document', id, d.kind),
          ownerId,
          name: d.name,
          kind: d.kind,
          text: d.text!,
          sizeBytes: Buffer.byteLength(d.text!),
        }));
      // The workflow starts first and writes the job with its documents (so does this request, at once).
      await ingestion.start({
        ownerId,
        requestedBy: ownerId,
        jobId: id,
        kind: 'initial',
        runId: derivedId('initial-run', id),
        documentIds: docs.map((d) => d.id),
        indexVersion: 1,
        job: { ownerId, title: input.title, company: input.company, seniority: input.seniority },
        documents: docs,
      });
      const job = await get(ownerId, id);
      // A concurrent request with the same Idempotency-Key but another body made it a moment ago.
      if (job.title !== input.title || job.company !== input.company)
        throw new Unprocessable('this Idempotency-Key was used for another request');
      return view(job);
    },

    async list(ownerId: string) {
      const rows = await jobs.listOf(db, ownerId);
      const byJob = await ingestion.ofJobs(rows.map((j) => j.id));
      return rows.map((j) => jobView(j, byJob.get(j.id)!));
    },

    async documents(ownerId: string, jobId: string) {
      await get(ownerId, jobId);
      const rows = await documents.ofJobOwner(db, ownerId, jobId);
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
      const d = await documents.ofJobAndOwner(db, ownerId, jobId, documentId);
      if (!d) throw notFound(`document ${documentId}`);
      return { id: d.id, jobId: d.jobId, name: d.name, kind: d.kind, status: d.status, text: d.text };
    },

    /** Changes the job's fields; re-ingests pasted texts that changed. */
    async update(ownerId: string, id: string, input: UpdateJob) {
      const job = await active(ownerId, id);
      const current = await documents.pastedOf(db, id);
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
      // A removed text goes by its own workflow (its passages leave the index the coach reads, then its
      // row); the edit waits for it a moment so the answer shows the job without it.
      const removals = changes.flatMap((c) => (c.doc && c.text === '' ? [{ ...c, doc: c.doc }] : []));
      const removing = await Promise.all(
        removals.map((c) =>
          startDelete('deleteDocument', deleteDocumentWorkflowId(c.doc.id), {
            jobId: id,
            documentId: c.doc.id,
            kind: c.kind,
            indexVersion: job.indexVersion,
          }),
        ),
      );
      // Edited and new texts are written by their ingestion run (its workflow first, then this request).
      const edited: PreparedDocument[] = changes.flatMap((c) =>
        c.text === ''
          ? []
          : [
              {
                id: c.doc?.id ?? randomUUID(),
                ownerId,
                name: c.name,
                kind: c.kind,
                text: c.text,
                sizeBytes: Buffer.byteLength(c.text),
              },
            ],
      );
      if (edited.length > 0) {
        await ingestion.start({
          ownerId,
          requestedBy: ownerId,
          jobId: id,
          kind: 'edit',
          documentIds: edited.map((d) => d.id),
          indexVersion: job.indexVersion,
          documents: edited,
        });
      }
      const updated = await jobs.setFields(db, ownerId, id, input);
      await Promise.race([
        Promise.all(
          removing.map((h) =>
            h.result().catch((err: unknown) => {
              if (!(err instanceof WorkflowFailedError)) throw err;
            }),
          ),
        ),
        new Promise((r) => setTimeout(r, DOCUMENT_DELETE_WAIT_MS).unref()),
      ]);
      return view(updated!);
    },

    /**
     * Accepts the job's deletion: its workflow (workflows/delete.workflow.ts) cancels running ingestion,
     * stops unfinished sessions, drops the Chroma index (every version), the uploaded files and voice
     * recordings, and last the rows. Until then the job is shown as `deleting`; then it is gone (404).
     */
    async remove(ownerId: string, id: string) {
      await get(ownerId, id);
      // The workflow marks the job too: a request that dies after the start still deletes it.
      await startDelete('deleteJob', deleteJobWorkflowId(id), { jobId: id, ownerId });
      const job = await jobs.setDeleting(db, ownerId, id);
      // An earlier delete of it finished in between.
      if (!job) throw notFound(`job ${id}`);
      return view(job);
    },

    /** Stores an uploaded file by reference and starts its ingestion; parsing happens in the worker. */
    async upload(ownerId: string, jobId: string, file: { name: string; bytes: Buffer; kind: unknown }) {
      const job = await active(ownerId, jobId);
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
      // The document's row is written by its ingestion run (its workflow first, then this request).
      await ingestion.start({
        ownerId,
        requestedBy: ownerId,
        jobId,
        kind: 'upload',
        documentIds: [id],
        indexVersion: job.indexVersion,
        documents: [{ id, ownerId, name, kind, text: '', blobKey, sizeBytes: file.bytes.length }],
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
