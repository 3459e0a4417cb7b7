import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { PanelTemplateBody, PanelTemplateEntry } from '$lib/api';
import { fakeApi } from '../../test-support/fake-api';
import PanelTemplateForm from './PanelTemplateForm.svelte';

const input = (testid: string, value: string) =>
  fireEvent.input(screen.getByTestId(testid), { target: { value } });
const choose = (testid: string, value: string) =>
  fireEvent.change(screen.getByTestId(testid), { target: { value } });

/** Fills a two-panelist panel: Ana (friendly hiring manager) and Cy (a tough bar raiser who may cut in). */
async function fillTwo() {
  await input('tpl-title', 'Our loop');
  await input('tpl-0-name', 'Ana');
  await input('tpl-0-comp-0', 'ownership');
  await choose('tpl-0-persona', 'friendly');
  await input('tpl-1-name', 'Cy');
  await choose('tpl-1-role', 'bar_raiser');
  await choose('tpl-1-persona', 'tough');
  await fireEvent.click(screen.getByTestId('tpl-1-dim-impact'));
  await input('tpl-1-comp-0', 'failure and learning');
  await input('tpl-1-weight-0', '5');
  await fireEvent.click(screen.getByTestId('tpl-1-add-comp'));
  await input('tpl-1-comp-1', 'conflict');
  await input('tpl-1-budget', '240');
  await fireEvent.click(screen.getByTestId('tpl-1-interrupt'));
  await choose('tpl-1-voice', 'espeak:en-gb+m3');
  await choose('tpl-rule', 'bar_raiser_veto');
}

/** The panel fillTwo fills in, as the API takes it (Ana keeps the form's first voice). */
const ourLoop = (): PanelTemplateBody => ({
  id: 'our-loop',
  title: 'Our loop',
  family: 'engineering',
  decisionRule: 'bar_raiser_veto',
  panelists: [
    {
      id: 'ana',
      name: 'Ana',
      role: 'hiring_manager',
      persona: 'friendly',
      dimensions: ['star'],
      competencies: [{ competency: 'ownership', weight: 3 }],
      timeBudgetSec: 300,
      mayInterrupt: false,
      voice: 'piper:joe',
    },
    {
      id: 'cy',
      name: 'Cy',
      role: 'bar_raiser',
      persona: 'tough',
      dimensions: ['star', 'impact'],
      competencies: [
        { competency: 'failure and learning', weight: 5 },
        { competency: 'conflict', weight: 3 },
      ],
      timeBudgetSec: 240,
      mayInterrupt: true,
      voice: 'espeak:en-gb+m3',
    },
  ],
});

describe('PanelTemplateForm', () => {
  it('sends the panel as the API takes it: ids from the names, weights, budget, interrupt and voice', async () => {
    const saved = { id: 'our-loop', builtIn: false } as PanelTemplateEntry;
    const calls = fakeApi({ 'POST /api/panel-templates': () => saved });
    const onsaved = vi.fn();
    render(PanelTemplateForm, { onsaved });
    await fillTwo();
    await fireEvent.click(screen.getByTestId('tpl-save'));
    await waitFor(() => expect(onsaved).toHaveBeenCalledWith(saved));
    expect(calls[0]!.body).toEqual(ourLoop());
  });

  it('shows each of the API’s problems next to its field: 422 on a competency and the panel, 400 on a budget, 409 on the id', async () => {
    let answer: { status: number; problem: string } = {
      status: 422,
      problem:
        'invalid panel template "our-loop":\n  panelists.1.competencies.0.competency: "juggling" is not a competency of the question bank\n  panelists: voice "espeak:en-us+f3" is used by two panelists',
    };
    fakeApi({ 'POST /api/panel-templates': () => answer });
    const onsaved = vi.fn();
    render(PanelTemplateForm, { onsaved });
    await fillTwo();
    await fireEvent.click(screen.getByTestId('tpl-save'));
    expect((await screen.findByTestId('problem-panelists.1.competencies.0')).textContent).toMatch(
      /"juggling" is not a competency/,
    );
    expect(screen.getByTestId('problem-panelists').textContent).toMatch(/used by two panelists/);
    expect(screen.queryByTestId('problem-general')).toBeNull();

    answer = { status: 400, problem: 'panelists.0.timeBudgetSec: a time budget is at least 60 seconds' };
    await fireEvent.click(screen.getByTestId('tpl-save'));
    expect((await screen.findByTestId('problem-panelists.0.timeBudgetSec')).textContent).toMatch(
      /at least 60 seconds/,
    );
    // The earlier problems are gone: they were about the panel as it was then.
    expect(screen.queryByTestId('problem-panelists')).toBeNull();

    answer = { status: 409, problem: 'you already have a panel template with the id our-loop' };
    await fireEvent.click(screen.getByTestId('tpl-save'));
    expect((await screen.findByTestId('problem-id')).textContent).toMatch(/already have a panel template/);
    expect(onsaved).not.toHaveBeenCalled();
  });

  it('keeps two to four panelists', async () => {
    render(PanelTemplateForm, { onsaved: vi.fn() });
    const add = screen.getByTestId('tpl-add-panelist') as HTMLButtonElement;
    expect((screen.getByTestId('tpl-remove-0') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(add);
    await fireEvent.click(add);
    expect(screen.getByTestId('tpl-panelist-3')).toBeTruthy();
    expect(add.disabled).toBe(true);
    // Each new panelist gets a voice of their own.
    const voices = [0, 1, 2, 3].map((i) => (screen.getByTestId(`tpl-${i}-voice`) as HTMLSelectElement).value);
    expect(new Set(voices).size).toBe(4);
    await fireEvent.click(screen.getByTestId('tpl-remove-3'));
    expect(screen.queryByTestId('tpl-panelist-3')).toBeNull();
    expect(add.disabled).toBe(false);
  });

  it('offers the competencies of the panels there are, those of the chosen family first', () => {
    const t = (family: string, competency: string) =>
      ({ family, panelists: [{ competencies: [{ competency, weight: 3 }] }] }) as PanelTemplateEntry;
    render(PanelTemplateForm, {
      onsaved: vi.fn(),
      templates: [t('nursing', 'clinical craft'), t('engineering', 'debugging')],
    });
    const options = [...document.querySelectorAll('#tpl-competencies option')].map((o) =>
      o.getAttribute('value'),
    );
    expect(options).toEqual(['debugging', 'clinical craft']);
  });

  describe('editing one of the user’s panels', () => {
    /**
     * One of the user's panels as the API lists it: the one fillTwo makes, but with a voice for Ana that the
     * form's list does not offer (the API takes any voice of that shape); the PUT below sends it back as it was.
     */
    const mine = (): PanelTemplateBody => {
      const panel = ourLoop();
      panel.panelists[0]!.voice = 'piper:en_US-joe-medium';
      return panel;
    };
    const value = (testid: string) => (screen.getByTestId(testid) as HTMLInputElement).value;

    it('opens filled in with the panel, its id fixed', () => {
      fakeApi({});
      render(PanelTemplateForm, { onsaved: vi.fn(), template: mine() });
      expect(value('tpl-title')).toBe('Our loop');
      expect(value('tpl-id')).toBe('our-loop');
      expect((screen.getByTestId('tpl-id') as HTMLInputElement).readOnly).toBe(true);
      expect(value('tpl-rule')).toBe('bar_raiser_veto');
      expect(value('tpl-0-name')).toBe('Ana');
      expect(value('tpl-0-persona')).toBe('friendly');
      expect(value('tpl-1-role')).toBe('bar_raiser');
      expect(value('tpl-1-comp-1')).toBe('conflict');
      expect(value('tpl-1-weight-0')).toBe('5');
      expect(value('tpl-1-budget')).toBe('240');
      expect(value('tpl-1-voice')).toBe('espeak:en-gb+m3');
      expect((screen.getByTestId('tpl-1-interrupt') as HTMLInputElement).checked).toBe(true);
      expect((screen.getByTestId('tpl-1-dim-impact') as HTMLInputElement).checked).toBe(true);
      expect(screen.queryByTestId('tpl-panelist-2')).toBeNull();
      expect(screen.getByTestId('tpl-save').textContent).toMatch(/Save changes/);
    });

    it('saves the changes in place: a PUT to its id with the whole panel, never a new one', async () => {
      const saved = { ...mine(), title: 'Our tougher loop', builtIn: false } as PanelTemplateEntry;
      const calls = fakeApi({ 'PUT /api/panel-templates/our-loop': () => saved });
      const onsaved = vi.fn();
      const template = mine();
      render(PanelTemplateForm, { onsaved, template });
      await input('tpl-title', 'Our tougher loop');
      await input('tpl-1-budget', '420');
      await fireEvent.click(screen.getByTestId('tpl-save'));
      await waitFor(() => expect(onsaved).toHaveBeenCalledWith(saved));
      expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['PUT /api/panel-templates/our-loop']);
      const expected = mine();
      expected.title = 'Our tougher loop';
      expected.panelists[1]!.timeBudgetSec = 420;
      expect(calls[0]!.body).toEqual(expected);
      // The form edited its own copy: the template it was given is as it was.
      expect(template).toEqual(mine());
    });

    it('shows a refusal of the whole panel above the form (a panel deleted meanwhile: 404)', async () => {
      fakeApi({
        'PUT /api/panel-templates/our-loop': () => ({
          status: 404,
          problem: 'panel template our-loop not found',
        }),
      });
      const onsaved = vi.fn();
      render(PanelTemplateForm, { onsaved, template: mine() });
      await fireEvent.click(screen.getByTestId('tpl-save'));
      expect((await screen.findByTestId('problem-general')).textContent).toMatch(/our-loop not found/);
      expect(onsaved).not.toHaveBeenCalled();
    });
  });
});
