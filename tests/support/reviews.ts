// Peer review tests' shared setup: a candidate's finished session with a coached answer to ask a review of.
import { expect } from 'vitest';
import type { AccountClient } from './accounts.js';
import { ANSWER, JOB } from './client.js';

/** A finished session of `client`'s with one coached answer. */
export async function finishedSession(client: AccountClient): Promise<{ jobId: string; sessionId: string }> {
  const job = await client.call<{ id: string }>('POST', '/api/jobs', JOB);
  expect(job.status).toBe(201);
  for (const deadline = Date.now() + 60_000; ;) {
    const j = await client.call<{ ingestion: { status: string } }>('GET', `/api/jobs/${job.json.id}`);
    if (j.json.ingestion.status === 'ready') break;
    if (Date.now() > deadline || j.json.ingestion.status === 'failed')
      throw new Error(JSON.stringify(j.json));
    await new Promise((r) => setTimeout(r, 200));
  }
  const session = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId: job.json.id,
    module: 'behavioral',
    mode: 'text',
    rounds: 1,
  });
  expect(session.status).toBe(201);
  const id = session.json.id;
  for (const deadline = Date.now() + 60_000; ;) {
    const s = await client.call<{ status: string; turns: { id: string; answer?: string }[] }>(
      'GET',
      `/api/sessions/${id}`,
    );
    if (s.json.status === 'reviewing') break;
    if (s.json.status === 'awaiting_answer') {
      const open = s.json.turns.find((t) => !t.answer);
      if (open) await client.call('POST', `/api/sessions/${id}/answers`, { text: ANSWER, turnId: open.id });
    }
    if (Date.now() > deadline) throw new Error(`session stayed ${s.json.status}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  expect((await client.call('POST', `/api/sessions/${id}/end`)).status).toBe(202);
  for (const deadline = Date.now() + 30_000; ;) {
    const s = await client.call<{ status: string }>('GET', `/api/sessions/${id}`);
    if (s.json.status === 'completed') break;
    if (Date.now() > deadline) throw new Error(`session stayed ${s.json.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { jobId: job.json.id, sessionId: id };
}
