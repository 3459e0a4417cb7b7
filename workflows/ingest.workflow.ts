// Ingests a job's documents: one activity per document (chunk, embed, upsert), then the job is ready.
import { ApplicationFailure, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createIngestActivities } from './activities/ingest.js';
import { ingestProgress, type IngestInput, type IngestProgress } from './messages.js';

const { listDocuments, ingestDocument, markIngestion } = proxyActivities<
  ReturnType<typeof createIngestActivities>
>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 5 },
});

export async function ingestJob({ jobId }: IngestInput): Promise<IngestProgress> {
  const progress: IngestProgress = { total: 0, done: 0, failed: 0, chunks: 0 };
  setHandler(ingestProgress, () => progress);

  await markIngestion({ jobId, status: 'running' });
  const documentIds = await listDocuments({ jobId });
  progress.total = documentIds.length;
  const errors: string[] = [];
  await Promise.all(
    documentIds.map(async (documentId) => {
      try {
        const { chunks } = await ingestDocument({ jobId, documentId });
        progress.chunks += chunks;
        progress.done += 1;
      } catch (err) {
        progress.failed += 1;
        errors.push(err instanceof Error ? err.message : String(err));
      }
    }),
  );
  if (progress.failed > 0 && progress.done === 0) {
    await markIngestion({ jobId, status: 'failed', error: errors.join('; ') });
    throw ApplicationFailure.nonRetryable(`ingestion failed: ${errors.join('; ')}`);
  }
  await markIngestion({ jobId, status: 'ready', error: errors.length ? errors.join('; ') : undefined });
  return progress;
}
