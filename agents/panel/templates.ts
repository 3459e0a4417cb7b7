// The built-in panels, one per common interview kind. Each is checked by parsePanelTemplate when this module
// loads, so a typo (an unknown competency, a missing bar raiser) fails at start-up, not mid-interview.
// Voice ids name the engine and the voice ("<engine>:<voice>"): Piper variants, which every machine set up by
// `npm start` speaks and which sound apart there (voice/tts/voices.ts); the TTS wiring maps them to stand-ins
// where the engine is not Piper.
import { parsePanelTemplate, type PanelTemplate } from './template.js';

const softwareEngineer = {
  id: 'software-engineer',
  title: 'Software engineer loop',
  family: 'engineering',
  decisionRule: 'bar_raiser_veto',
  panelists: [
    {
      id: 'priya',
      name: 'Priya',
      role: 'hiring_manager',
      persona: 'friendly',
      dimensions: ['star', 'impact', 'relevance'],
      competencies: [
        { competency: 'ownership', weight: 4 },
        { competency: 'delivery under pressure', weight: 3 },
        { competency: 'collaboration', weight: 2 },
      ],
      timeBudgetSec: 600,
      mayInterrupt: false,
      voice: 'piper:joe',
    },
    {
      id: 'sam',
      name: 'Sam',
      role: 'peer',
      persona: 'neutral',
      dimensions: ['star', 'clarity', 'relevance'],
      competencies: [
        { competency: 'system design', weight: 5 },
        { competency: 'debugging', weight: 4 },
        { competency: 'trade-offs', weight: 3 },
        { competency: 'quality and testing', weight: 2 },
      ],
      timeBudgetSec: 900,
      mayInterrupt: false,
      voice: 'piper:joe+low',
    },
    {
      id: 'alex',
      name: 'Alex',
      role: 'bar_raiser',
      persona: 'tough',
      dimensions: ['impact', 'clarity', 'conciseness'],
      competencies: [
        { competency: 'failure and learning', weight: 4 },
        { competency: 'technical judgement', weight: 4 },
        { competency: 'conflict', weight: 2 },
      ],
      timeBudgetSec: 600,
      mayInterrupt: true,
      voice: 'piper:joe+high',
    },
  ],
};

const sreDevops = {
  id: 'sre-devops',
  title: 'SRE / DevOps loop',
  family: 'sre',
  decisionRule: 'bar_raiser_veto',
  panelists: [
    {
      id: 'dana',
      name: 'Dana',
      role: 'hiring_manager',
      persona: 'neutral',
      dimensions: ['star', 'impact', 'relevance'],
      competencies: [
        { competency: 'ownership', weight: 4 },
        { competency: 'delivery under pressure', weight: 4 },
        { competency: 'prioritisation', weight: 2 },
      ],
      timeBudgetSec: 540,
      mayInterrupt: false,
      voice: 'piper:joe',
    },
    {
      id: 'sam',
      name: 'Sam',
      role: 'peer',
      persona: 'tough',
      dimensions: ['star', 'clarity', 'impact'],
      competencies: [
        { competency: 'cloud and infrastructure', weight: 5 },
        { competency: 'debugging', weight: 5 },
        { competency: 'scalability', weight: 3 },
        { competency: 'security', weight: 2 },
      ],
      timeBudgetSec: 840,
      mayInterrupt: true,
      voice: 'piper:joe+low',
    },
    {
      id: 'lee',
      name: 'Lee',
      role: 'cross_functional',
      persona: 'friendly',
      dimensions: ['clarity', 'conciseness', 'relevance'],
      competencies: [
        { competency: 'communication', weight: 4 },
        { competency: 'collaboration', weight: 3 },
      ],
      timeBudgetSec: 420,
      mayInterrupt: false,
      voice: 'piper:joe+high',
    },
    {
      id: 'jordan',
      name: 'Jordan',
      role: 'bar_raiser',
      persona: 'neutral',
      dimensions: ['star', 'impact', 'conciseness'],
      competencies: [
        { competency: 'failure and learning', weight: 4 },
        { competency: 'risk and compliance', weight: 3 },
      ],
      timeBudgetSec: 480,
      mayInterrupt: false,
      voice: 'piper:joe+higher',
    },
  ],
};

const productManager = {
  id: 'product-manager',
  title: 'Product manager loop',
  family: 'product',
  decisionRule: 'bar_raiser_veto',
  panelists: [
    {
      id: 'rachel',
      name: 'Rachel',
      role: 'hiring_manager',
      persona: 'neutral',
      dimensions: ['star', 'impact', 'relevance'],
      competencies: [
        { competency: 'product craft', weight: 5 },
        { competency: 'prioritisation', weight: 4 },
        { competency: 'data-driven decisions', weight: 3 },
      ],
      timeBudgetSec: 720,
      mayInterrupt: false,
      voice: 'piper:joe',
    },
    {
      id: 'omar',
      name: 'Omar',
      role: 'cross_functional',
      persona: 'friendly',
      dimensions: ['clarity', 'conciseness', 'relevance'],
      competencies: [
        { competency: 'trade-offs', weight: 4 },
        { competency: 'influence', weight: 3 },
        { competency: 'collaboration', weight: 3 },
      ],
      timeBudgetSec: 600,
      mayInterrupt: false,
      voice: 'piper:joe+low',
    },
    {
      id: 'kim',
      name: 'Kim',
      role: 'bar_raiser',
      persona: 'tough',
      dimensions: ['star', 'impact', 'clarity'],
      competencies: [
        { competency: 'ambiguity', weight: 4 },
        { competency: 'strategy', weight: 3 },
        { competency: 'customer focus', weight: 3 },
      ],
      timeBudgetSec: 600,
      mayInterrupt: true,
      voice: 'piper:joe+high',
    },
  ],
};

const nurse = {
  id: 'registered-nurse',
  title: 'Registered nurse panel',
  family: 'nursing',
  decisionRule: 'consensus',
  panelists: [
    {
      id: 'maria',
      name: 'Maria',
      role: 'hiring_manager',
      persona: 'friendly',
      dimensions: ['star', 'impact', 'relevance'],
      competencies: [
        { competency: 'clinical craft', weight: 5 },
        { competency: 'delivery under pressure', weight: 4 },
      ],
      timeBudgetSec: 600,
      mayInterrupt: false,
      voice: 'piper:joe',
    },
    {
      id: 'tom',
      name: 'Tom',
      role: 'peer',
      persona: 'neutral',
      dimensions: ['star', 'clarity', 'conciseness'],
      competencies: [
        { competency: 'teamwork', weight: 4 },
        { competency: 'communication', weight: 4 },
        { competency: 'risk and compliance', weight: 3 },
      ],
      timeBudgetSec: 600,
      mayInterrupt: false,
      voice: 'piper:joe+low',
    },
    {
      id: 'aisha',
      name: 'Aisha',
      role: 'hr_partner',
      persona: 'friendly',
      dimensions: ['clarity', 'relevance'],
      competencies: [
        { competency: 'customer empathy', weight: 3 },
        { competency: 'ethics', weight: 3 },
        { competency: 'motivation', weight: 2 },
      ],
      timeBudgetSec: 480,
      mayInterrupt: false,
      voice: 'piper:joe+high',
    },
  ],
};

const accountExecutive = {
  id: 'account-executive',
  title: 'Account executive panel',
  family: 'sales',
  decisionRule: 'consensus',
  panelists: [
    {
      id: 'chris',
      name: 'Chris',
      role: 'hiring_manager',
      persona: 'tough',
      dimensions: ['star', 'impact', 'conciseness'],
      competencies: [
        { competency: 'sales craft', weight: 5 },
        { competency: 'customer focus', weight: 4 },
        { competency: 'delivery under pressure', weight: 3 },
      ],
      timeBudgetSec: 720,
      mayInterrupt: true,
      voice: 'piper:joe',
    },
    {
      id: 'nina',
      name: 'Nina',
      role: 'peer',
      persona: 'friendly',
      dimensions: ['clarity', 'relevance'],
      competencies: [
        { competency: 'influence', weight: 4 },
        { competency: 'customer empathy', weight: 3 },
        { competency: 'teamwork', weight: 2 },
      ],
      timeBudgetSec: 540,
      mayInterrupt: false,
      voice: 'piper:joe+low',
    },
  ],
};

export const PANEL_TEMPLATES: readonly PanelTemplate[] = Object.freeze(
  [softwareEngineer, sreDevops, productManager, nurse, accountExecutive].map((t) => parsePanelTemplate(t)),
);

export function panelTemplate(id: string): PanelTemplate {
  const t = PANEL_TEMPLATES.find((x) => x.id === id);
  if (!t) throw new Error(`no panel template "${id}" (have: ${PANEL_TEMPLATES.map((x) => x.id).join(', ')})`);
  return t;
}

/** How metrics label a panel: a built-in one by its id, users' own all as "custom" (ids are theirs to choose). */
export const panelMetricLabel = (id: string): string =>
  PANEL_TEMPLATES.some((t) => t.id === id) ? id : 'custom';
