import type { CoachStateType, CoachStateUpdate } from '../state.js';
import { nextSpeaker } from '../panel/director.js';
import { panelistById } from '../panel/template.js';

/**
 * A mock panel's director: who asks next and about what (agents/panel/director.ts), and in whose persona
 * the question is worded. Silent in the stream: the question event names the panelist.
 */
export function direct(state: CoachStateType): CoachStateUpdate {
  if (!state.panel) return { direction: null };
  const direction = nextSpeaker(state.panel);
  if (direction.kind === 'end') return { direction };
  const panelist = panelistById(state.panel.template, direction.panelistId);
  return { direction, persona: panelist.persona };
}
