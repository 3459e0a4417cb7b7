import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { CoachRegistry, CoachVersion } from '$lib/api';
import { fakeApi } from '../../test-support/fake-api';
import CoachVersionCard from './CoachVersionCard.svelte';

const running = (n: string, name: string): CoachVersion => ({
  version: name,
  source: 'mlflow',
  registryVersion: n,
  mode: 'offline',
  model: null,
  temperature: null,
  loadedAt: '2026-01-01T00:00:00.000Z',
  warning: null,
  judgement: {
    source: 'mlflow',
    registryVersion: '3',
    trainedAt: '2026-12-06T06:40:18.108Z',
    embedder: 'minilm-l6-v2-q8',
    active: true,
    loadedAt: '2026-01-01T00:00:00.000Z',
    warning: null,
  },
});
const entry = (n: string, name: string, aliases: string[] = []) => ({
  registryVersion: n,
  version: name,
  model: null,
  temperature: null,
  aliases,
  created: null,
  error: null,
});

/** A registry of two versions with v1 in production, moved by promote and rollback like the real one. */
function registry() {
  let production = '1';
  let previous: string | null = null;
  const names: Record<string, string> = { '1': 'coach-prompts@1', '2': 'coach-prompts@2' };
  const move = (to: string) => {
    const from = production;
    previous = from;
    production = to;
    return { from, to, running: running(to, names[to]!) };
  };
  return fakeApi({
    'GET /api/admin/coach': () => running(production, names[production]!),
    'GET /api/admin/coach/versions': (): CoachRegistry => ({
      configured: true,
      previous,
      ui: 'http://127.0.0.1:5000',
      versions: ['2', '1'].map((n) => entry(n, names[n]!, n === production ? ['production'] : [])),
    }),
    'POST /api/admin/coach/promote': (c) => move(String((c.body as { version: string }).version)),
    'POST /api/admin/coach/rollback': () =>
      previous ? move(previous) : { status: 409, problem: 'nothing to roll back to' },
    'GET /api/admin/judgement/versions': () => ({ configured: false, versions: [], previous: null }),
  });
}

describe('CoachVersionCard', () => {
  it('lists the registry versions with production marked; only the others can be promoted', async () => {
    registry();
    render(CoachVersionCard);
    await waitFor(() => expect(screen.getAllByTestId('coach-registry-version')).toHaveLength(2));
    expect(screen.getByTestId('coach-running').textContent).toBe('coach-prompts@1');
    const buttons = screen.getAllByRole('button', { name: /Promote/ });
    expect(buttons.map((b) => b.getAttribute('aria-label'))).toEqual(['Promote v2 to production']);
    expect(screen.queryByTestId('coach-rollback')).toBeNull();
  });

  it('promote moves production and shows what now runs; roll back returns to the version it left', async () => {
    const calls = registry();
    render(CoachVersionCard);
    await fireEvent.click(await screen.findByRole('button', { name: 'Promote v2 to production' }));
    await waitFor(() => expect(screen.getByTestId('coach-running').textContent).toBe('coach-prompts@2'));
    expect(screen.getByTestId('coach-message').textContent).toMatch(
      /Promoted v1 → v2\. The coach now runs coach-prompts@2/,
    );
    expect(calls.find((c) => c.path === '/api/admin/coach/promote')?.body).toEqual({ version: '2' });

    const rollback = await screen.findByRole('button', { name: 'Roll back to v1' });
    await fireEvent.click(rollback);
    await waitFor(() => expect(screen.getByTestId('coach-running').textContent).toBe('coach-prompts@1'));
    expect(screen.getByTestId('coach-message').textContent).toMatch(/Rolled back v2 → v1/);
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Promote v2 to production' })).toBeTruthy(),
    );
  });

  it('shows the refusal of a failed move, and says when no registry is configured', async () => {
    fakeApi({
      'GET /api/admin/coach': () => ({
        ...running('1', 'coach-prompts@1'),
        source: 'repo',
        registryVersion: null,
      }),
      'GET /api/admin/coach/versions': () => ({ configured: false, versions: [], previous: null, ui: null }),
    });
    render(CoachVersionCard);
    expect((await screen.findByTestId('coach-no-registry')).textContent).toMatch(/MLFLOW_TRACKING_URI/);
    expect(screen.queryAllByRole('button', { name: /Promote|Roll back/ })).toEqual([]);
    expect(screen.queryByTestId('mlflow-ui')).toBeNull();
  });

  it('shows which judgement weights score answers and where they came from, and links to the MLflow UI', async () => {
    registry();
    render(CoachVersionCard);
    expect((await screen.findByTestId('judgement-running')).textContent).toBe('coach-judgement v3 (MLflow)');
    const link = await screen.findByTestId('mlflow-ui');
    expect(link.getAttribute('href')).toBe('http://127.0.0.1:5000');
  });

  it("names the repo's weights and the registry's warning when the registry could not serve them", async () => {
    const warning =
      'cannot load the coach-judgement@production version from MLflow at http://x: fetch failed';
    fakeApi({
      'GET /api/admin/coach': () => ({
        ...running('1', 'coach-prompts@1'),
        judgement: { ...running('1', 'x').judgement, source: 'repo', registryVersion: null, warning },
      }),
      'GET /api/admin/coach/versions': () => ({ configured: true, versions: [], previous: null, ui: null }),
    });
    render(CoachVersionCard);
    expect((await screen.findByTestId('judgement-running')).textContent).toBe(
      'agents/judgement/weights.json (repo)',
    );
    expect(screen.getByText(warning)).toBeTruthy();
  });
});
