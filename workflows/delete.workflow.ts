// Deleting a job or a document, as workflows: the request only starts them (and shows the job as
// `deleting`), so a restarted API or a failing store cannot leave half a deletion behind. Each step can be
// repeated; files and index entries go before the rows that name them, so a retry still finds them.
import { proxyActivities } from '@temporalio/workflow';
import type { createDeleteActivities } from './activities/delete.js';
import type { DeleteDocumentInput, DeleteJobInput } from './messages.js';

const steps = proxyActivities<ReturnType<typeof createDeleteActivities>>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '20 seconds' },
});

/**
 * Cancels the job's ingestion runs and stops its unfinished sessions, then drops its Chroma index (every
 * version), its uploaded files and voice recordings, and last its rows.
 */
export async function deleteJob(input: DeleteJobInput): Promise<void> {
  const job = await steps.markJobDeleting(input);
  if (!job) return; // gone already: an earlier run of this delete finished
  await steps.stopJobWorkflows(input);
  await steps.dropJobIndexes({ jobId: input.jobId, indexVersion: job.indexVersion });
  await steps.deleteJobFiles(input);
  await steps.deleteJobRows(input);
}

/** A removed pasted text: its passages leave the index the coach reads, then its row goes. */
export async function deleteDocument(input: DeleteDocumentInput): Promise<void> {
  await steps.dropDocumentChunks(input);
  await steps.deleteDocumentRow(input);
}
