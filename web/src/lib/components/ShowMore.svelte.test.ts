// Lists that grow with use stay usable: the recent few first, then more on request.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { IngestionRun } from '$lib/api';
import { fakeApi } from '../../test-support/fake-api';
import AdminPage from '../../routes/admin/+page.svelte';
import ShowMore from './ShowMore.svelte';

describe('ShowMore', () => {
  it('offers the next step while items are hidden, and says how many are shown', async () => {
    render(ShowMore, { total: 25, limit: 10, noun: 'jobs' });
    expect(screen.getByText('Showing 10 of 25 jobs')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Show 10 more' }));
    expect(screen.getByText('Showing 20 of 25 jobs')).toBeTruthy();
    // The last step shows only what is left, then the button goes.
    await fireEvent.click(screen.getByRole('button', { name: 'Show 5 more' }));
    expect(screen.queryByTestId('show-more')).toBeNull();
  });

  it('is not there for a short list', () => {
    render(ShowMore, { total: 10, limit: 10 });
    expect(screen.queryByTestId('show-more')).toBeNull();
  });
});

/** A finished ingestion run of job `n` (runs arrive newest first). */
const run = (n: number): IngestionRun => ({
  id: `r${n}`,
  jobId: `j${n}`,
  jobTitle: `Job ${n}`,
  requestedBy: 'local',
  kind: 'initial',
  status: 'succeeded',
  documents: 1,
  documentsDone: 1,
  documentsFailed: 0,
  chunks: 3,
  embedder: 'hashing',
  chunkSize: 800,
  chunkOverlap: 100,
  indexVersion: 1,
  errors: [],
  startedAt: new Date(Date.UTC(2026, 0, 50 - n)).toISOString(),
  finishedAt: new Date(Date.UTC(2026, 0, 50 - n, 0, 1)).toISOString(),
  durationMs: 60_000,
});

describe('the Admin page after weeks of use', () => {
  it('lists the 10 most recent of 50 jobs, then more on request', async () => {
    fakeApi({ 'GET /api/admin/ingestion-runs': () => Array.from({ length: 50 }, (_, i) => run(i + 1)) });
    render(AdminPage);
    await waitFor(() => expect(screen.getAllByTestId('reindex-job')).toHaveLength(10));
    const ids = () => screen.getAllByTestId('reindex-job').map((b) => b.dataset.jobId);
    expect(ids()).toEqual(Array.from({ length: 10 }, (_, i) => `j${i + 1}`));
    expect(screen.getByText('Showing 10 of 50 jobs')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('show-more'));
    expect(ids()).toHaveLength(20);
    expect(ids().at(-1)).toBe('j20');
  });
});
