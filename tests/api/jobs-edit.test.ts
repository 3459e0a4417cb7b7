// Editing and deleting a job over real HTTP, against the real stack (Temporal, Chroma, PGlite, the blob
// folder): a changed pasted text is re-indexed, a delete is accepted (202, the job shown as `deleting`) and
// its workflow takes the job's index, files, sessions and events with it, and another owner's job is a 404
// that changes nothing.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents, ingestionRuns, jobs, sessionEvents, sessions, users } from '../../core/db/schema.js';
import { jobStream } from '../../core/types.js';
import { indexKey } from '../../ingestion/store.js';
import { apiClient, createReadyJob, JOB } from '../support/client.js';
import { startStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
let client: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startStack();
  client = apiClient(stack.baseUrl);
});
afterAll(() => stack?.close());

interface Job {
  id: string;
  title: string;
  company: string;
  seniority: string | null;
  ingestion: { status: string; chunks: number };
}
interface Doc {
  id: string;
  name: string;
  kind: string;
  source: string;
  status: string;
}

async function waitReady(jobId: string): Promise<Job> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const j = await client.call<Job>('GET', `/api/jobs/${jobId}`);
    if (j.json.ingestion.status === 'ready' || j.json.ingestion.status === 'failed') return j.json;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('ingestion did not settle in 60 s');
}

const search = async (jobId: string, q: string) =>
  (
    await client.call<{ results: { text: string; kind: string }[] }>(
      'GET',
      `/api/jobs/${jobId}/search?q=${encodeURIComponent(q)}&k=10`,
    )
  ).json.results;

async function upload(jobId: string, name: string, text: string) {
  const form = new FormData();
  form.append('kind', 'company');
  form.append('file', new Blob([text], { type: 'text/plain' }), name);
  const res = await fetch(`${stack.baseUrl}/api/jobs/${jobId}/documents`, { method: 'POST', body: form });
  expect(res.status).toBe(202);
  return ((await res.json()) as { documentId: string }).documentId;
}

/** A job of another user, written straight into the database. */
async function foreignJob(): Promise<string> {
  const owner = `other-${randomUUID()}`;
  const id = randomUUID();
  const { db } = stack.services.database;
  await db.insert(users).values({ id: owner, email: `${owner}@example.test` });
  await db.insert(jobs).values({ id, ownerId: owner, title: 'Not yours', company: 'Elsewhere' });
  return id;
}

describe('PATCH /api/jobs/:id', () => {
  it('renames the job and re-indexes a changed pasted text: the new passage is found, the old one is gone', async () => {
    const jobId = await createReadyJob(client);
    expect((await search(jobId, 'HIPAA healthcare privacy')).some((r) => r.text.includes('HIPAA'))).toBe(
      true,
    );

    const res = await client.call<Job>('PATCH', `/api/jobs/${jobId}`, {
      title: 'Senior PM, Scheduling',
      seniority: 'senior',
      description: `${JOB.description.replace('Healthcare privacy (HIPAA) experience.', 'Experience with telehealth video visits.')}`,
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: jobId,
      title: 'Senior PM, Scheduling',
      company: JOB.company,
      seniority: 'senior',
    });
    expect(['pending', 'running']).toContain(res.json.ingestion.status);

    const settled = await waitReady(jobId);
    expect(settled.ingestion.status).toBe('ready');
    const hits = await search(jobId, 'telehealth video visits');
    expect(hits.some((r) => r.text.includes('telehealth'))).toBe(true);
    expect((await search(jobId, 'HIPAA healthcare privacy')).some((r) => r.text.includes('HIPAA'))).toBe(
      false,
    );

    const runs = await client.call<{ kind: string; jobId: string; status: string }[]>(
      'GET',
      `/api/admin/ingestion-runs?jobId=${jobId}`,
    );
    expect(runs.json.map((r) => r.kind).sort()).toEqual(['edit', 'initial']);
  });

  it('adds notes, then an empty résumé removes the résumé and its passages', async () => {
    const jobId = await createReadyJob(client);
    const added = await client.call<Job>('PATCH', `/api/jobs/${jobId}`, {
      notes: 'Panel interview with the head of clinics about waitlist automation.',
    });
    expect(added.status).toBe(200);
    await waitReady(jobId);
    expect((await search(jobId, 'waitlist automation')).some((r) => r.text.includes('waitlist'))).toBe(true);

    const cleared = await client.call<Job>('PATCH', `/api/jobs/${jobId}`, { resume: '' });
    expect(cleared.status).toBe(200);
    const docs = await client.call<Doc[]>('GET', `/api/jobs/${jobId}/documents`);
    expect(docs.json.map((d) => `${d.name}:${d.source}`).sort()).toEqual([
      'Job description:pasted',
      'Notes:pasted',
    ]);
    expect((await search(jobId, 'CityRide booking flow riders')).some((r) => r.kind === 'resume')).toBe(
      false,
    );
  });

  it('refuses bad input with a 400 naming the field, and keeps the job as it was', async () => {
    const jobId = await createReadyJob(client);
    const empty = await client.call<{ detail: string }>('PATCH', `/api/jobs/${jobId}`, {});
    expect(empty.status).toBe(400);
    expect(empty.json.detail).toMatch(/at least one field/);
    const short = await client.call<{ detail: string }>('PATCH', `/api/jobs/${jobId}`, {
      title: '  ',
      description: 'too short',
    });
    expect(short.status).toBe(400);
    expect(short.json.detail).toMatch(/title is required/);
    expect(short.json.detail).toMatch(/description/);
    const unknown = await client.call<{ detail: string }>('PATCH', `/api/jobs/${jobId}`, { owner: 'me' });
    expect(unknown.status).toBe(400);
    const job = await client.call<Job>('GET', `/api/jobs/${jobId}`);
    expect(job.json).toMatchObject({ title: JOB.title, ingestion: { status: 'ready' } });
  });

  it("another owner's job is a 404 and stays unchanged", async () => {
    const id = await foreignJob();
    const res = await client.call('PATCH', `/api/jobs/${id}`, { title: 'Mine now' });
    expect(res.status).toBe(404);
    expect(res.type).toContain('application/problem+json');
    const [row] = await stack.services.database.db.select().from(jobs).where(eq(jobs.id, id));
    expect(row!.title).toBe('Not yours');
  });
});

/** Waits until the job's delete workflow has removed it: GET answers 404. */
async function gone(jobId: string) {
  await expect
    .poll(async () => (await client.call('GET', `/api/jobs/${jobId}`)).status, {
      timeout: 60_000,
      interval: 200,
    })
    .toBe(404);
}

describe('DELETE /api/jobs/:id', () => {
  it('removes the job, its documents, sessions, events, Chroma index and uploaded files', async () => {
    const jobId = await createReadyJob(client);
    const docId = await upload(
      jobId,
      'values.txt',
      'Contoso values: patients first, clinicians always heard.',
    );
    await waitReady(jobId);
    const blobFile = path.join(stack.config.BLOBS_DIR, 'local', jobId, docId);
    expect(existsSync(blobFile)).toBe(true);
    expect(await stack.services.store.count(indexKey(jobId, 1))).toBeGreaterThan(0);
    const session = await client.call<{ id: string }>('POST', '/api/sessions', {
      jobId,
      module: 'behavioral',
      mode: 'text',
      rounds: 1,
    });
    expect(session.status).toBe(201);
    await client.events(session.json.id, { until: (e) => e.data.type === 'question' });

    const res = await client.call<Job & { status: string }>('DELETE', `/api/jobs/${jobId}`);
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ id: jobId, status: 'deleting' });
    await gone(jobId);

    expect((await client.call('GET', `/api/sessions/${session.json.id}`)).status).toBe(404);
    const list = await client.call<{ id: string }[]>('GET', '/api/jobs');
    expect(list.json.some((j) => j.id === jobId)).toBe(false);
    const { db } = stack.services.database;
    expect(await db.select().from(documents).where(eq(documents.jobId, jobId))).toEqual([]);
    expect(await db.select().from(sessions).where(eq(sessions.jobId, jobId))).toEqual([]);
    expect(await db.select().from(sessionEvents).where(eq(sessionEvents.sessionId, session.json.id))).toEqual(
      [],
    );
    expect(
      await db
        .select()
        .from(sessionEvents)
        .where(eq(sessionEvents.sessionId, jobStream(jobId))),
    ).toEqual([]);
    expect(existsSync(blobFile)).toBe(false);
    // The collection is gone: counting recreates an empty one, so nothing of the job is left to retrieve.
    expect(await stack.services.store.count(indexKey(jobId, 1))).toBe(0);
    await stack.services.store.dropIndex(indexKey(jobId, 1));
    // The session's workflow was stopped, not left waiting for an answer.
    const described = await stack.temporal.workflow.getHandle(session.json.id).describe();
    expect(described.status.name).toBe('TERMINATED');
    // Deleting again: it is gone.
    expect((await client.call('DELETE', `/api/jobs/${jobId}`)).status).toBe(404);
  });

  it('cancels a running ingestion first; meanwhile the job shows as deleting and takes no edits', async () => {
    // With the worker stopped the run cannot finish before the delete arrives, and the delete workflow
    // waits for a worker too: the job stays `deleting` until one is back.
    await stack.stopWorker();
    let runId: string;
    let jobId: string;
    try {
      const job = await client.call<{ id: string }>('POST', '/api/jobs', JOB);
      expect(job.status).toBe(201);
      jobId = job.json.id;
      // From the database: the admin list would query the run's workflow, which needs a worker.
      const [run] = await stack.services.database.db
        .select()
        .from(ingestionRuns)
        .where(eq(ingestionRuns.jobId, jobId));
      expect(run!.status).toBe('running');
      runId = run!.id;
      const deleted = await client.call<{ status: string }>('DELETE', `/api/jobs/${jobId}`);
      expect(deleted.status).toBe(202);
      expect(deleted.json.status).toBe('deleting');
      expect((await client.call<{ status: string }>('GET', `/api/jobs/${jobId}`)).json.status).toBe(
        'deleting',
      );
      const list = await client.call<{ id: string; status: string }[]>('GET', '/api/jobs');
      expect(list.json.find((j) => j.id === jobId)?.status).toBe('deleting');
      // A deleting job takes no more edits, uploads or sessions.
      expect((await client.call('PATCH', `/api/jobs/${jobId}`, { title: 'Too late' })).status).toBe(409);
      expect(
        (await client.call('POST', '/api/sessions', { jobId, module: 'behavioral', mode: 'text', rounds: 1 }))
          .status,
      ).toBe(409);
      // Asking again is accepted again (the same workflow).
      expect((await client.call('DELETE', `/api/jobs/${jobId}`)).status).toBe(202);
    } finally {
      await stack.startWorker();
    }
    await gone(jobId!);
    const described = await stack.temporal.workflow.getHandle(`ingest-${runId!}`).describe();
    expect(described.status.name).toBe('CANCELLED');
    expect(
      await stack.services.database.db.select().from(ingestionRuns).where(eq(ingestionRuns.jobId, jobId!)),
    ).toEqual([]);
    expect(await stack.services.store.count(indexKey(jobId!, 1))).toBe(0);
    await stack.services.store.dropIndex(indexKey(jobId!, 1));
  });

  it("another owner's job is a 404 and is not deleted", async () => {
    const id = await foreignJob();
    const res = await client.call('DELETE', `/api/jobs/${id}`);
    expect(res.status).toBe(404);
    const rows = await stack.services.database.db.select().from(jobs).where(eq(jobs.id, id));
    expect(rows).toHaveLength(1);
  });
});
