import { expect } from 'vitest';
import type { apiClient } from './client.js';

// A small custom panel for tests: three panelists with one competency each, so a whole interview is three to
// six questions. Ids and titles are the caller's (per-user ids, markers for the isolation walk).
export function smallPanel(id = 'three-of-us', title = 'Three of us') {
  const panelist = (
    pid: string,
    name: string,
    role: string,
    persona: string,
    dimensions: string[],
    competency: string,
    voice: string,
  ) => ({
    id: pid,
    name,
    role,
    persona,
    dimensions,
    competencies: [{ competency, weight: 3 }],
    timeBudgetSec: 180,
    mayInterrupt: role === 'bar_raiser',
    voice,
  });
  return {
    id,
    title,
    family: 'engineering',
    decisionRule: 'bar_raiser_veto',
    panelists: [
      panelist(
        'ana',
        'Ana',
        'hiring_manager',
        'friendly',
        ['star', 'impact'],
        'ownership',
        'espeak:en-us+f3',
      ),
      panelist(
        'ben',
        'Ben',
        'peer',
        'neutral',
        ['clarity', 'relevance'],
        'debugging',
        'piper:en_US-joe-medium',
      ),
      panelist(
        'cy',
        'Cy',
        'bar_raiser',
        'tough',
        ['impact', 'conciseness'],
        'failure and learning',
        'espeak:en-gb+m3',
      ),
    ],
  };
}

/**
 * Pieces of an answer that goes round in circles: about 28 words each, and never a result. A tough panelist
 * who may interrupt cuts into it (agents/panel/interrupt.ts: 120 words with no result).
 */
export const RAMBLE = [
  'So the context was that our team had a lot going on at the time, and there were many meetings about the plan and about what everyone thought of it.',
  'Everyone had an opinion about the plan, and we talked about it in the meetings every single week, sometimes twice a week, with the whole group.',
  'Then there were more meetings about the meetings, and the plan kept changing as new people joined the team and brought their own ideas with them.',
  'And the other team also had a plan of their own, so we talked with them about their plan and about our plan, and then about both plans together.',
  'So we kept talking about the plans, and the meetings went on and on, and everyone shared what they thought about the plans and about the other team.',
  'And then we had another long meeting where people talked again about what everyone thought of the plans, and about the meetings we had before that.',
  'After that there was a workshop about the plans as well, with sticky notes on the wall, and people talked about the notes for most of the afternoon.',
];

/** A typed rambling answer: just past the limit. */
export const RAMBLING = RAMBLE.slice(0, 5).join(' ');

/**
 * A text session on the small three-panelist panel, which is made unless it exists (an earlier test of the
 * same account made it): its id.
 */
export async function startSmallPanel(client: ReturnType<typeof apiClient>, jobId: string): Promise<string> {
  const made = await client.call('POST', '/api/panel-templates', smallPanel());
  expect([201, 409]).toContain(made.status);
  const created = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'text',
    rounds: 10,
    panel: 'three-of-us',
  });
  expect(created.status).toBe(201);
  return created.json.id;
}
