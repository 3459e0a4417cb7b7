import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { CoachVersion, JudgementRegistry } from '$lib/api';
import { fakeApi } from '../../test-support/fake-api';
import JudgementVersions from './JudgementVersions.svelte';

const running = (judgementVersion: string): CoachVersion => ({
  version: 'coach-prompts@1',
  source: 'repo',
  registryVersion: null,
  mode: 'offline',
  model: null,
  temperature: null,
  loadedAt: '2026-01-01T00:00:00.000Z',
  warning: null,
  judgement: {
    source: 'mlflow',
    registryVersion: judgementVersion,
    trainedAt: '2026-12-06T06:40:18.108Z',
    embedder: 'minilm-l6-v2-q8',
    active: true,
    loadedAt: '2026-01-01T00:00:00.000Z',
    warning: null,
  },
});

const REFUSAL =
  'coach-judgement version 2 is worse than production (version 1) on the test split: relevance kappa 0.41 < 0.74';

/**
 * A fake of the judgement admin API (no server runs in jsdom): v1 in production, v2 worse on the test split,
 * so a plain promote of v2 is refused with 409 and a forced one goes through, as the real gate does.
 */
function registry() {
  let production = '1';
  let previous: string | null = null;
  const move = (to: string, overridden: string[] = []) => {
    const from = production;
    [previous, production] = [from, to];
    return { from, to, overridden, running: running(to) };
  };
  return fakeApi({
    'GET /api/admin/judgement/versions': (): JudgementRegistry => ({
      configured: true,
      previous,
      versions: ['2', '1'].map((n) => ({
        registryVersion: n,
        aliases: n === production ? ['production'] : [],
        created: null,
        description: null,
        testQwk: n === '1' ? { star: 0.85, relevance: 0.74 } : { star: 0.85, relevance: 0.41 },
      })),
    }),
    'POST /api/admin/judgement/promote': (c) => {
      const { version, force } = c.body as { version: string; force: boolean };
      if (version === '2' && !force) return { status: 409, problem: REFUSAL };
      return move(version, force ? ['relevance kappa 0.41 < 0.74'] : []);
    },
    'POST /api/admin/judgement/rollback': () =>
      previous ? move(previous) : { status: 409, problem: 'nothing to roll back to' },
  });
}

describe('JudgementVersions', () => {
  it('lists the versions with their test kappas; a worse one is refused with the reason, then can be forced', async () => {
    const calls = registry();
    const onmoved = vi.fn();
    render(JudgementVersions, { onmoved });
    await waitFor(() => expect(screen.getAllByTestId('judgement-registry-version')).toHaveLength(2));
    expect(screen.getAllByTestId('judgement-registry-version')[1]!.textContent).toMatch(
      /v1\s*production\s*star 0\.85 · relevance 0\.74/,
    );

    await fireEvent.click(screen.getByRole('button', { name: 'Promote judgement v2 to production' }));
    expect((await screen.findByTestId('judgement-refused')).textContent).toContain(REFUSAL);
    expect(onmoved).not.toHaveBeenCalled();
    expect(screen.getAllByTestId('judgement-registry-version')[1]!.dataset.production).toBe('true');

    await fireEvent.click(screen.getByRole('button', { name: 'Promote v2 anyway' }));
    await waitFor(() =>
      expect(screen.getByTestId('judgement-message').textContent).toMatch(/Forced v1 → v2/),
    );
    expect(screen.getByTestId('judgement-message').textContent).toContain('relevance kappa 0.41 < 0.74');
    expect(onmoved).toHaveBeenCalledWith(running('2'));
    expect(screen.queryByTestId('judgement-refused')).toBeNull();
    expect(calls.filter((c) => c.path === '/api/admin/judgement/promote').map((c) => c.body)).toEqual([
      { version: '2', force: false },
      { version: '2', force: true },
    ]);
  });

  it('rolls back to the version production left', async () => {
    registry();
    const onmoved = vi.fn();
    render(JudgementVersions, { onmoved });
    await fireEvent.click(await screen.findByRole('button', { name: 'Promote judgement v2 to production' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Promote v2 anyway' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Roll back judgement to v1' }));
    await waitFor(() =>
      expect(screen.getByTestId('judgement-message').textContent).toMatch(/Rolled back v2 → v1\./),
    );
    expect(onmoved).toHaveBeenLastCalledWith(running('1'));
  });

  it('says how to get a registry when none is configured', async () => {
    fakeApi({
      'GET /api/admin/judgement/versions': () => ({ configured: false, versions: [], previous: null }),
    });
    render(JudgementVersions, { onmoved: vi.fn() });
    expect((await screen.findByTestId('judgement-no-registry')).textContent).toMatch(/MLFLOW_TRACKING_URI/);
    expect(screen.queryByRole('button')).toBeNull();
  });
});
