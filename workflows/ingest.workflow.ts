// Ingests documents of a job: one activity per document (parse, chunk, embed, upsert), progress by query.
// A reindex builds the next index version from every document and swaps it in only when complete, so
// sessions keep retrieving from the old index meanwhile, and a failed or cancelled rerun changes nothing.
import {
  CancellationScope,
  isCancellation,
  proxyActivities,
  setHandler,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { createIngestActivities } from './activities/ingest.js';
import { ingestProgress, type IngestInput, type IngestProgress } from './messages.js';

const retried: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '20 seconds',
    maximumAttempts: 5,
    // A document we refuse (encrypted, zip bomb, no text...) fails the same way every time.
    nonRetryableErrorTypes: ['DocumentRejected'],
  },
};
const { ingestDocument } = proxyActivities<ReturnType<typeof createIngestActivities>>(retried);
const { finishRun, prepareRun } = proxyActivities<ReturnType<typeof createIngestActivities>>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '10 seconds' },
});

export async function ingestJob(input: IngestInput): Promise<IngestProgress> {
  const progress: IngestProgress = { total: input.documentIds.length, done: 0, failed: 0, chunks: 0 };
  setHandler(ingestProgress, () => progress);
  const errors: string[] = [];
  // The API starts this workflow before it writes anything, so the run's rows are the workflow's to write:
  // a request that died after the start still ends with its job or document saved and indexed.
  try {
    if (input.prepare) await prepareRun(input);
    await Promise.all(
      input.documentIds.map(async (documentId) => {
        try {
          const { chunks } = await ingestDocument({ ...input, documentId });
          progress.chunks += chunks;
          progress.done += 1;
        } catch (err) {
          if (isCancellation(err)) throw err;
          progress.failed += 1;
          errors.push(messageOf(err));
        }
      }),
    );
  } catch (err) {
    if (!isCancellation(err)) throw err;
    await CancellationScope.nonCancellable(() =>
      finishRun({ ...input, ...progress, outcome: 'cancelled', errors }),
    );
    throw err;
  }

  // A reindex swaps only when every document made it; a new job is usable once any document is.
  const failed = input.mode === 'reindex' ? progress.failed > 0 : progress.done === 0 && progress.total > 0;
  await finishRun({ ...input, ...progress, outcome: failed ? 'failed' : 'succeeded', errors });
  return progress;
}

function messageOf(err: unknown): string {
  let e: unknown = err;
  // ActivityFailure wraps the activity's own error as its cause.
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}
