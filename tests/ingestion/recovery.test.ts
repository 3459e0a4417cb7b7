// An API killed between saving a document (and its run) and starting the ingestion workflow leaves a run
// no workflow will finish and a document nothing will index. recoverInterrupted() finds both once they are
// older than the grace period: the run is marked interrupted, the document is indexed by a new run.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createIngestionService } from '../../api/services/ingestion.js';
import { apiDeps } from '../../server/services.js';
import { createLogger } from '../../core/logger.js';
import { documents, ingestionRuns } from '../../core/db/schema.js';
import { apiClient, createReadyJob } from '../support/client.js';
import { startStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

it('resumes a document and fails a run that a killed API left between saving and starting', async () => {
  const client = apiClient(stack.baseUrl);
  const jobId = await createReadyJob(client);
  const { db } = stack.services.database;
  const minuteAgo = new Date(Date.now() - 60_000);
  const runId = randomUUID();
  const documentId = randomUUID();
  // What the killed request had saved: the document and its run, but no workflow.
  await db.insert(documents).values({
    id: documentId,
    jobId,
    ownerId: 'local',
    name: 'interrupted-notes.md',
    kind: 'notes',
    text: 'Interrupted upload: the candidate led the Kubernetes migration and cut deploy time by 70 percent.',
    sizeBytes: 90,
    createdAt: minuteAgo,
  });
  await db.insert(ingestionRuns).values({
    id: runId,
    jobId,
    ownerId: 'local',
    requestedBy: 'local',
    kind: 'upload',
    documents: 1,
    embedder: 'any',
    chunkSize: 800,
    chunkOverlap: 120,
    indexVersion: 1,
    startedAt: minuteAgo,
  });

  const ingestion = createIngestionService(
    apiDeps(stack.config, createLogger('silent'), stack.services, stack.temporal),
  );
  // Young work is left alone: its workflow may be starting right now.
  expect(await ingestion.recoverInterrupted(5 * 60_000)).toEqual({ runs: 0, documents: 0 });
  expect(await ingestion.recoverInterrupted()).toEqual({ runs: 1, documents: 1 });

  const [run] = await db.select().from(ingestionRuns).where(eq(ingestionRuns.id, runId));
  expect(run!.status).toBe('failed');
  expect(run!.errors).toEqual(['interrupted before indexing started']);
  await expect
    .poll(async () => (await db.select().from(documents).where(eq(documents.id, documentId)))[0]!.status, {
      timeout: 60_000,
      interval: 250,
    })
    .toBe('ready');
  const found = await client.call<{ results: { documentId: string }[] }>(
    'GET',
    `/api/jobs/${jobId}/search?q=${encodeURIComponent('Kubernetes migration deploy time')}&k=5`,
  );
  expect(found.json.results.map((r) => r.documentId)).toContain(documentId);
  // Nothing is left to recover: a second sweep does nothing.
  expect(await ingestion.recoverInterrupted()).toEqual({ runs: 0, documents: 0 });
}, 120_000);
