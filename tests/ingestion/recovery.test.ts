// A request that dies half way leaves nothing half made: the API starts a job's (or an upload's) ingestion
// workflow, or a session's workflow, before it writes anything, and the workflow's first activity writes the rows itself. Here the
// "killed API" is the workflow started exactly as the API starts it, with none of the API's own writes
// after it: the job, its documents and its run still appear, and the job becomes searchable. No repair
// sweep is involved (there is none any more), so nothing here depends on timing.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { documents, ingestionRuns, jobs } from '../../core/db/schema.js';
import {
  ingestWorkflowId,
  sessionWorkflowId,
  type IngestInput,
  type SessionInput,
} from '../../workflows/messages.js';
import { apiClient, createReadyJob } from '../support/client.js';
import { startStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const runOf = (stack: TestStack) => ({
  ownerId: 'local',
  requestedBy: 'local',
  embedder: stack.services.store.embedderId,
  chunkSize: stack.config.CHUNK_SIZE,
  chunkOverlap: stack.config.CHUNK_OVERLAP,
});

/** What the API starts before it writes anything; the request then "dies". */
async function startOnly(input: IngestInput) {
  await stack.temporal.workflow.start('ingestJob', {
    taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
    workflowId: ingestWorkflowId(input.runId),
    args: [input],
  });
}

it('a job whose creating request died right after starting its workflow is saved whole and indexed', async () => {
  const client = apiClient(stack.baseUrl);
  const jobId = randomUUID();
  const runId = randomUUID();
  const documentId = randomUUID();
  const text =
    'Interrupted job: the candidate led the Kubernetes migration and cut deploy time by 70 percent across teams.';
  const { db } = stack.services.database;
  expect(await db.select().from(jobs).where(eq(jobs.id, jobId))).toEqual([]);
  await startOnly({
    jobId,
    runId,
    documentIds: [documentId],
    mode: 'incremental',
    indexVersion: 1,
    prepare: {
      run: { ...runOf(stack), kind: 'initial' },
      job: { ownerId: 'local', title: 'Interrupted job', company: 'Halfway Inc' },
      documents: [
        {
          id: documentId,
          ownerId: 'local',
          name: 'Job description',
          kind: 'jd',
          text,
          sizeBytes: Buffer.byteLength(text),
        },
      ],
    },
  });

  await expect
    .poll(
      async () => {
        const res = await client.call<{ ingestion: { status: string } }>('GET', `/api/jobs/${jobId}`);
        return res.status === 200 ? res.json.ingestion.status : res.status;
      },
      { timeout: 90_000, interval: 250 },
    )
    .toBe('ready');
  const job = await client.call<{ title: string; company: string; status: string }>(
    'GET',
    `/api/jobs/${jobId}`,
  );
  expect(job.json).toMatchObject({ title: 'Interrupted job', company: 'Halfway Inc', status: 'active' });
  const [run] = await db.select().from(ingestionRuns).where(eq(ingestionRuns.id, runId));
  expect(run).toMatchObject({ jobId, kind: 'initial', status: 'succeeded', documents: 1 });
  const found = await client.call<{ results: { documentId: string }[] }>(
    'GET',
    `/api/jobs/${jobId}/search?q=${encodeURIComponent('Kubernetes migration deploy time')}&k=5`,
  );
  expect(found.json.results.map((r) => r.documentId)).toContain(documentId);
}, 120_000);

it('an upload whose request died right after starting its workflow is saved and indexed', async () => {
  const client = apiClient(stack.baseUrl);
  const jobId = await createReadyJob(client);
  const documentId = randomUUID();
  const runId = randomUUID();
  const blobKey = `local/${jobId}/${documentId}`;
  await stack.services.blobs.put(
    blobKey,
    Buffer.from('Interrupted upload: the candidate rebuilt the waitlist triage for eleven clinics.'),
  );
  await startOnly({
    jobId,
    runId,
    documentIds: [documentId],
    mode: 'incremental',
    indexVersion: 1,
    prepare: {
      run: { ...runOf(stack), kind: 'upload' },
      documents: [
        {
          id: documentId,
          ownerId: 'local',
          name: 'interrupted.txt',
          kind: 'notes',
          text: '',
          blobKey,
          sizeBytes: 80,
        },
      ],
    },
  });
  await expect
    .poll(async () => (await db().select().from(documents).where(eq(documents.id, documentId)))[0]?.status, {
      timeout: 90_000,
      interval: 250,
    })
    .toBe('ready');
  const found = await client.call<{ results: { documentId: string }[] }>(
    'GET',
    `/api/jobs/${jobId}/search?q=${encodeURIComponent('waitlist triage clinics')}&k=5`,
  );
  expect(found.json.results.map((r) => r.documentId)).toContain(documentId);
}, 120_000);

it('a session whose request died right after starting its workflow is saved and asks its question', async () => {
  const client = apiClient(stack.baseUrl);
  const jobId = await createReadyJob(client);
  const sessionId = randomUUID();
  expect((await client.call('GET', `/api/sessions/${sessionId}`)).status).toBe(404);
  await stack.temporal.workflow.start('interviewSession', {
    taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
    workflowId: sessionWorkflowId(sessionId),
    args: [
      {
        sessionId,
        ownerId: 'local',
        jobId,
        module: 'behavioral',
        mode: 'text',
        rounds: 1,
        autoAdvance: false,
      } satisfies SessionInput,
    ],
  });
  await expect
    .poll(
      async () => {
        const res = await client.call<{ status: string; turns: unknown[] }>(
          'GET',
          `/api/sessions/${sessionId}`,
        );
        return res.status === 200 ? `${res.json.status}:${res.json.turns.length}` : res.status;
      },
      { timeout: 60_000, interval: 250 },
    )
    .toBe('awaiting_answer:1');
  const listed = await client.call<{ id: string; mode: string }[]>('GET', '/api/sessions');
  expect(listed.json.find((s) => s.id === sessionId)).toMatchObject({ mode: 'text' });
}, 120_000);

const db = () => stack.services.database.db;
