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
