import { describe, expect, it } from 'vitest';
import { QUESTION_BANK, suitsFamily } from '../questions/bank.js';
import { interviewSec, parsePanelTemplate, type PanelTemplate } from './template.js';
import { PANEL_TEMPLATES, panelTemplate } from './templates.js';

/** A valid template to break one field at a time (a deep copy of a built-in one). */
const base = (): PanelTemplate => structuredClone(panelTemplate('software-engineer'));

const errorOf = (input: unknown): string => {
  try {
    parsePanelTemplate(input);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the template was accepted');
};

describe('built-in panel templates', () => {
  it.each([
    ['software-engineer', 'engineering'],
    ['sre-devops', 'sre'],
    ['product-manager', 'product'],
    ['registered-nurse', 'nursing'],
    ['account-executive', 'sales'],
  ])('%s is a valid panel for the %s family', (id, family) => {
    const t = panelTemplate(id);
    expect(t.family).toBe(family);
    expect(parsePanelTemplate(JSON.stringify(t))).toEqual(t);
    expect(t.panelists.length).toBeGreaterThanOrEqual(2);
    expect(t.panelists.length).toBeLessThanOrEqual(4);
    // Every competency a panelist probes can be asked with a bank question suited to the job's family.
    for (const p of t.panelists)
      for (const { competency } of p.competencies)
        expect(QUESTION_BANK.some((q) => q.competency === competency && suitsFamily(q, t.family))).toBe(true);
  });

  it('every panelist of a template sounds different and has a name of their own', () => {
    for (const t of PANEL_TEMPLATES) {
      expect(new Set(t.panelists.map((p) => p.voice)).size).toBe(t.panelists.length);
      expect(new Set(t.panelists.map((p) => p.name)).size).toBe(t.panelists.length);
    }
  });

  it('a veto panel has its bar raiser', () => {
    for (const t of PANEL_TEMPLATES.filter((x) => x.decisionRule === 'bar_raiser_veto'))
      expect(t.panelists.some((p) => p.role === 'bar_raiser')).toBe(true);
  });

  it('the interview lasts the sum of the panelists’ budgets', () => {
    const t = panelTemplate('software-engineer');
    expect(interviewSec(t)).toBe(600 + 900 + 600);
  });

  it('an unknown template id names the ones there are', () => {
    expect(() => panelTemplate('astronaut')).toThrow(/software-engineer/);
  });
});

describe('parsePanelTemplate', () => {
  it('rejects five panelists, saying how many there are', () => {
    const t = base();
    const extra = (id: string, voice: string) => ({ ...t.panelists[0]!, id, name: id, voice });
    t.panelists.push(extra('zoe', 'v:1'), extra('yan', 'v:2'));
    expect(errorOf(t)).toMatch(/panelists: a panel has 2 to 4 panelists, this one has 5/);
  });

  it('rejects a lone interviewer', () => {
    const t = base();
    t.panelists = t.panelists.slice(0, 1);
    t.decisionRule = 'consensus';
    expect(errorOf(t)).toMatch(/this one has 1/);
  });

  it('still counts the panelists when one of them is also invalid', () => {
    const t = base();
    t.panelists = t.panelists.slice(0, 1);
    t.panelists[0]!.name = '';
    const message = errorOf(t);
    expect(message).toMatch(/this one has 1/);
    expect(message).toMatch(/panelists\.0\.name: a panelist needs a name/);
  });

  it('rejects two panelists with the same id', () => {
    const t = base();
    t.panelists[1]!.id = t.panelists[0]!.id;
    expect(errorOf(t)).toMatch(/id "priya" is used by two panelists/);
  });

  it('rejects two panelists with the same voice', () => {
    const t = base();
    t.panelists[1]!.voice = t.panelists[0]!.voice;
    expect(errorOf(t)).toMatch(/voice "piper:joe" is used by two panelists/);
  });

  it('rejects a veto rule without a bar raiser', () => {
    const t = base();
    t.panelists[2]!.role = 'peer';
    expect(errorOf(t)).toMatch(
      /decisionRule: the bar_raiser_veto rule needs a panelist with the role bar_raiser/,
    );
  });

  it('accepts the same panel without a bar raiser under consensus', () => {
    const t = base();
    t.panelists[2]!.role = 'peer';
    t.decisionRule = 'consensus';
    expect(parsePanelTemplate(t).panelists[2]!.role).toBe('peer');
  });

  it('rejects two bar raisers', () => {
    const t = base();
    t.panelists[1]!.role = 'bar_raiser';
    expect(errorOf(t)).toMatch(/at most one bar raiser/);
  });

  it('rejects a competency the question bank does not know', () => {
    const t = base();
    t.panelists[0]!.competencies[0]!.competency = 'juggling';
    expect(errorOf(t)).toMatch(/panelists\.0\.competencies\.0\.competency: "juggling" is not a competency/);
  });

  it('rejects a competency the bank has no question on for the family', () => {
    const t = base();
    t.panelists[0]!.competencies[0]!.competency = 'clinical craft';
    expect(errorOf(t)).toMatch(/no "clinical craft" question for the engineering family/);
  });

  it('rejects an unknown persona, role and dimension, listing the allowed ones', () => {
    const raw = JSON.parse(JSON.stringify(base())) as { panelists: Record<string, unknown>[] };
    raw.panelists[0]!.persona = 'grumpy';
    raw.panelists[1]!.role = 'ceo';
    raw.panelists[2]!.dimensions = ['charisma'];
    const message = errorOf(raw);
    expect(message).toMatch(/panelists\.0\.persona: persona must be one of friendly, neutral, tough/);
    expect(message).toMatch(/panelists\.1\.role: role must be one of hiring_manager/);
    expect(message).toMatch(/panelists\.2\.dimensions\.0: a dimension is one of star, clarity/);
  });

  it('rejects weights off the 1–5 scale and a competency listed twice', () => {
    const t = base();
    t.panelists[0]!.competencies[0]!.weight = 7;
    t.panelists[1]!.competencies[1]!.competency = t.panelists[1]!.competencies[0]!.competency;
    const message = errorOf(t);
    expect(message).toMatch(/weight: a weight is a whole number from 1 to 5/);
    expect(message).toMatch(/competency "system design" is listed twice/);
  });

  it('names the template in the error', () => {
    const t = base();
    t.panelists[0]!.timeBudgetSec = 5;
    expect(errorOf(t)).toMatch(/^invalid panel template "software-engineer":\n.*at least 60 seconds/);
  });
});
