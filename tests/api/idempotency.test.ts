// A client whose reply was lost sends its create again with the same Idempotency-Key: it gets the job or
// session the first attempt made, never a second one — sequentially and when the attempts race.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents, ingestionRuns, jobs, sessions } from '../../core/db/schema.js';
import { accountClient } from '../support/accounts.js';
import { derivedId } from '../../api/idempotency.js';
import { ingestWorkflowId, type IngestInput } from '../../workflows/messages.js';
import { apiClient, createReadyJob, JOB } from '../support/client.js';
import { startStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
let client: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startStack();
  client = apiClient(stack.baseUrl);
});
afterAll(() => stack?.close());

const keyed = (key: string) => ({ 'idempotency-key': key });

describe('Idempotency-Key on creates', () => {
  it('a repeated job create returns the first job and makes no second one or second ingestion', async () => {
    const body = { ...JOB, title: 'Idempotent job' };
    const first = await client.call<{ id: string }>('POST', '/api/jobs', body, keyed('job-1'));
    const again = await client.call<{ id: string }>('POST', '/api/jobs', body, keyed('job-1'));
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json.id).toBe(first.json.id);
    const rows = await stack.services.database.db.select().from(jobs).where(eq(jobs.title, 'Idempotent job'));
    expect(rows).toHaveLength(1);

    const racing = await Promise.all(
      [1, 2, 3].map(() =>
        client.call<{ id: string }>('POST', '/api/jobs', { ...body, title: 'Raced job' }, keyed('job-2')),
      ),
    );
    expect(racing.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(racing.map((r) => r.json.id)).size).toBe(1);
    expect(
      await stack.services.database.db.select().from(jobs).where(eq(jobs.title, 'Raced job')),
    ).toHaveLength(1);
    // One ingestion workflow for the racing requests: one run, each pasted text once.
    const { db } = stack.services.database;
    const raced = racing[0]!.json.id;
    expect(await db.select().from(ingestionRuns).where(eq(ingestionRuns.jobId, raced))).toHaveLength(1);
    const docs = await db.select().from(documents).where(eq(documents.jobId, raced));
    expect(docs.map((d) => d.kind).sort()).toEqual(['jd', 'resume']);
  });

  it('a create retried after its first request died right after starting the workflow finishes the same job', async () => {
    // What the first request did before it died: start the job's workflow, exactly as jobs.create does
    // (the ids derive from the key). The retry finds that workflow running and answers with the job it
    // writes; nothing is made twice.
    const body = { ...JOB, title: 'Retried after a crash' };
    const jobId = derivedId('job', 'local', 'job-crash');
    const text = (kind: 'jd' | 'resume') => (kind === 'jd' ? body.description : body.resume);
    const docs = (['jd', 'resume'] as const).map((kind) => ({
      id: derivedId('document', jobId, kind),
      ownerId: 'local',
      name: kind === 'jd' ? 'Job description' : 'Resume',
      kind,
      text: text(kind),
      sizeBytes: Buffer.byteLength(text(kind)),
    }));
    const runId = derivedId('initial-run', jobId);
    await stack.temporal.workflow.start('ingestJob', {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId: ingestWorkflowId(runId),
      args: [
        {
          jobId,
          runId,
          documentIds: docs.map((d) => d.id),
          mode: 'incremental',
          indexVersion: 1,
          prepare: {
            run: {
              ownerId: 'local',
              requestedBy: 'local',
              kind: 'initial',
              embedder: stack.services.store.embedderId,
              chunkSize: stack.config.CHUNK_SIZE,
              chunkOverlap: stack.config.CHUNK_OVERLAP,
            },
            job: { ownerId: 'local', title: body.title, company: body.company, seniority: 'mid' },
            documents: docs,
          },
        } satisfies IngestInput,
      ],
    });
    const retried = await client.call<{ id: string; title: string }>(
      'POST',
      '/api/jobs',
      body,
      keyed('job-crash'),
    );
    expect(retried.status).toBe(201);
    expect(retried.json).toMatchObject({ id: jobId, title: body.title });
    const { db } = stack.services.database;
    await expect
      .poll(
        async () =>
          (await client.call<{ ingestion: { status: string } }>('GET', `/api/jobs/${jobId}`)).json.ingestion
            .status,
        {
          timeout: 60_000,
          interval: 250,
        },
      )
      .toBe('ready');
    expect(await db.select().from(ingestionRuns).where(eq(ingestionRuns.jobId, jobId))).toHaveLength(1);
    expect(await db.select().from(documents).where(eq(documents.jobId, jobId))).toHaveLength(2);
  });

  it('refuses a key reused for another request, and a malformed key', async () => {
    await client.call('POST', '/api/jobs', JOB, keyed('job-3'));
    const other = await client.call<{ detail: string }>(
      'POST',
      '/api/jobs',
      { ...JOB, title: 'Else' },
      keyed('job-3'),
    );
    expect(other.status).toBe(422);
    expect(other.json.detail).toMatch(/Idempotency-Key was used for another request/);
    const bad = await client.call<{ detail: string }>('POST', '/api/jobs', JOB, keyed('has space'));
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toMatch(/Idempotency-Key/);
  });

  it('a repeated session create returns the first session with one workflow and one first question', async () => {
    const jobId = await createReadyJob(client);
    const body = { jobId, module: 'behavioral', mode: 'text', rounds: 1 };
    const racing = await Promise.all(
      [1, 2, 3].map(() => client.call<{ id: string }>('POST', '/api/sessions', body, keyed('session-1'))),
    );
    expect(racing.map((r) => r.status)).toEqual([201, 201, 201]);
    const id = racing[0]!.json.id;
    expect(racing.every((r) => r.json.id === id)).toBe(true);
    const asked = await client.events(id, { until: (e) => e.data.type === 'question' });
    const late = await client.call<{ id: string }>('POST', '/api/sessions', body, keyed('session-1'));
    expect(late.json.id).toBe(id);
    expect(
      await stack.services.database.db.select().from(sessions).where(eq(sessions.jobId, jobId)),
    ).toHaveLength(1);
    const all = await client.events(id, {
      until: (e) => e.data.type === 'state' && e.data.status === 'awaiting_answer',
      lastEventId: 0,
    });
    expect(all.filter((e) => e.data.type === 'question')).toHaveLength(1);
    expect(asked.at(-1)!.data.turnId).toBe(all.find((e) => e.data.type === 'question')!.data.turnId);
  });

  it('the same key from another account makes that account its own job', async () => {
    const mine = await client.call<{ id: string }>('POST', '/api/jobs', JOB, keyed('shared-key'));
    const other = accountClient(stack.baseUrl);
    expect((await other.signUp('idem@example.com')).status).toBe(201);
    const theirs = await other.call<{ id: string }>('POST', '/api/jobs', JOB, keyed('shared-key'));
    expect(theirs.status).toBe(201);
    expect(theirs.json.id).not.toBe(mine.json.id);
  });
});
