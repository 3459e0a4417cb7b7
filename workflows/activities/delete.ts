// The delete workflows' steps (workflows/delete.workflow.ts). Each is idempotent.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import type { BlobStore } from '../../core/blobs.js';
import type { Db } from '../../core/db/client.js';
import * as documents from '../../core/stores/documents.js';
import { deleteJobFiles, deleteJobRows, jobWorkflows, markJobDeleting } from '../../core/stores/jobs.js';
import { indexKey, type ChunkStore } from '../../ingestion/store.js';
import {
  ingestWorkflowId,
  reviewWorkflowId,
  sessionWorkflowId,
  type DeleteDocumentInput,
  type DeleteJobInput,
} from '../messages.js';

export interface DeleteActivityDeps {
  db: Db;
  store: ChunkStore;
  blobs: BlobStore;
}

/** How long a delete waits for a cancelled ingestion to stop writing before it drops the index anyway. */
const STOP_WAIT_MS = 30_000;

/**
 * Cancels (ingestion: its activities stop at their next heartbeat) or terminates (a session waiting for
 * answers) a workflow, and waits until it has stopped. One that already finished is fine.
 */
async function stop(ctx: Context, handle: WorkflowHandle, how: 'cancel' | 'terminate'): Promise<void> {
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
  let timer: NodeJS.Timeout | undefined;
  const beat = setInterval(() => ctx.heartbeat('waiting for a workflow to stop'), 5_000);
  try {
    await Promise.race([stopped, new Promise((r) => (timer = setTimeout(r, STOP_WAIT_MS)))]);
  } finally {
    clearTimeout(timer);
    clearInterval(beat);
  }
}

export function createDeleteActivities({ db, store, blobs }: DeleteActivityDeps) {
  return {
    markJobDeleting: (input: DeleteJobInput) => markJobDeleting(db, input.jobId, input.ownerId),

    async stopJobWorkflows(input: DeleteJobInput): Promise<void> {
      const ctx = Context.current();
      const { client } = ctx;
      const running = await jobWorkflows(db, input.jobId);
      await Promise.all([
        ...running.runs.map((id) => stop(ctx, client.workflow.getHandle(ingestWorkflowId(id)), 'cancel')),
        ...running.sessions.map((id) =>
          stop(ctx, client.workflow.getHandle(sessionWorkflowId(id)), 'terminate'),
        ),
        ...running.reviews.map((id) =>
          stop(ctx, client.workflow.getHandle(reviewWorkflowId(id)), 'terminate'),
        ),
      ]);
    },

    /** Every version: a reindex builds indexVersion + 1 beside the active one; a cancelled one may leave it. */
    async dropJobIndexes(input: { jobId: string; indexVersion: number }): Promise<void> {
      for (let v = 1; v <= input.indexVersion + 1; v++) await store.dropIndex(indexKey(input.jobId, v));
    },

    deleteJobFiles: (input: DeleteJobInput) => deleteJobFiles(db, blobs, input.jobId),

    deleteJobRows: (input: DeleteJobInput) => deleteJobRows(db, input.jobId, input.ownerId),

    /** An upsert of no chunks drops the document's passages from the index. */
    async dropDocumentChunks(input: DeleteDocumentInput): Promise<void> {
      await store.upsertDocument({
        jobId: indexKey(input.jobId, input.indexVersion),
        documentId: input.documentId,
        kind: input.kind,
        chunks: [],
      });
    },

    deleteDocumentRow: (input: DeleteDocumentInput) => documents.remove(db, input.jobId, input.documentId),
  };
}
