// Progress through the real stack: a session's debrief, analytics across sessions, and the weakest
// competency driving the next session's first question.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ANSWER, apiClient, createReadyJob } from '../support/client.js';
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

type Turn = {
  id: string;
  competency?: string;
  probeOf?: string;
  feedback?: { scores: Record<string, number> };
};
type Session = {
  status: string;
  turns: Turn[];
  debrief?: { answered: number; scores: Record<string, number>; drills: string[] };
};

/** One round answered with `text` (and the follow-up probe, if asked, with the same text), then next. */
async function oneRound(text: string): Promise<Session> {
  const id = await client.answeredSession(jobId, { text });
  await client.call('POST', `/api/sessions/${id}/next`);
  return client.waitStatus<Session>(id, 'completed');
}

it('debriefs each session and tracks progress across them', async () => {
  const weak = await oneRound('We sort of fixed it eventually, I think.');
  expect(weak.debrief).toMatchObject({ answered: 1 });
  expect(weak.debrief!.scores.star).toBeLessThanOrEqual(2);
  expect(weak.debrief!.drills.length).toBeGreaterThan(0);
  const weakCompetency = weak.turns.find((t) => !t.probeOf)!.competency!;
  expect(weakCompetency).toBeTruthy();

  // The next session starts on the competency the candidate was weakest in.
  const strong = await oneRound(ANSWER);
  expect(strong.turns[0]!.competency).toBe(weakCompetency);

  const { json } = await client.call<{
    sessions: {
      completed: boolean;
      scores: Record<string, number> | null;
      competencies: { competency: string }[];
    }[];
    dimensions: Record<string, number | null>;
    competencies: { competency: string; answers: number; average: number }[];
    weakest: { dimensions: string[]; competencies: string[] };
    streak: { days: number; thisWeek: number };
    nextDrill: string | null;
  }>('GET', `/api/analytics?jobId=${jobId}`);
  expect(json.sessions.map((s) => s.completed)).toEqual([true, true]);
  expect(json.sessions[1]!.scores!.star).toBeGreaterThan(json.sessions[0]!.scores!.star!);
  expect(json.competencies.find((c) => c.competency === weakCompetency)?.answers).toBe(2);
  // Per competency over time: each session carries its own competency averages.
  expect(json.sessions.map((s) => s.competencies.map((c) => c.competency))).toEqual([
    [weakCompetency],
    [weakCompetency],
  ]);
  expect(json.streak).toEqual({ days: 1, thisWeek: 2 });
  expect(typeof json.nextDrill).toBe('string');
  expect(json.weakest.dimensions).toHaveLength(2);
  expect((await client.call('GET', '/api/analytics?module=poetry')).status).toBe(400);
});
