// The interviewer persona end to end over HTTP: chosen on POST /api/sessions, stored on the session, carried
// through the workflow into the coach graph (the question's wording) and the follow-up probe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createReadyJob } from '../support/client.js';
import { startStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
let client: ReturnType<typeof apiClient>;
let jobId: string;

beforeAll(async () => {
  stack = await startStack();
  client = apiClient(stack.baseUrl);
  jobId = await createReadyJob(client);
});
afterAll(() => stack?.close());

const start = (body: Record<string, unknown>) =>
  client.call<{ id: string; detail: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'text',
    rounds: 1,
    allowRepeats: true,
    ...body,
  });

async function questions(sessionId: string, count: number): Promise<string[]> {
  const events = await client.events(sessionId, {
    until: (_e, all) => all.filter((x) => x.data.type === 'question').length >= count,
  });
  return events.filter((e) => e.data.type === 'question').map((e) => String(e.data.text));
}

// A result but no number, 24 words: the neutral interviewer asks for detail, the friendly one moves on.
const UNMEASURED =
  'Our clinic waitlist was long. I called every patient on it and rebooked them. As a result the waitlist shrank and patients were happier.';

describe('interviewer persona', () => {
  it('defaults to neutral, and refuses an unknown persona with a 400 naming the choices', async () => {
    const plain = await start({});
    expect(plain.status).toBe(201);
    expect(
      (await client.call<{ persona: string }>('GET', `/api/sessions/${plain.json.id}`)).json.persona,
    ).toBe('neutral');
    const bad = await start({ persona: 'grumpy' });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toMatch(/persona must be one of friendly, neutral, tough/);
  });

  it('the friendly interviewer greets, and lets an unmeasured answer through to feedback', async () => {
    const s = await start({ persona: 'friendly' });
    expect(s.status).toBe(201);
    const [first] = await questions(s.json.id, 1);
    expect(first).toMatch(/^Hi, thanks for making the time\./);
    expect(
      (await client.call('POST', `/api/sessions/${s.json.id}/answers`, { text: UNMEASURED })).status,
    ).toBe(202);
    const events = await client.events(s.json.id, { until: (e) => e.data.type === 'feedback' });
    expect(events.filter((e) => e.data.type === 'question')).toHaveLength(1);
  });

  it('the tough interviewer opens curtly and follows the same answer up, asking for numbers', async () => {
    const s = await start({ persona: 'tough' });
    const [first] = await questions(s.json.id, 1);
    expect(first).toMatch(/^Let's get straight to it\./);
    expect(
      (await client.call('POST', `/api/sessions/${s.json.id}/answers`, { text: UNMEASURED })).status,
    ).toBe(202);
    const [, probe] = await questions(s.json.id, 2);
    // It quotes what the candidate said and asks for the numbers, curtly.
    const quoted = /"([^"]+)"/.exec(probe!)?.[1];
    expect(UNMEASURED).toContain(quoted);
    expect(probe).toMatch(/Give me the numbers\.$/);
  });
});
