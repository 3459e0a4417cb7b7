// Lists that grow with use stay usable: the recent few first, then more on request.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Analytics, AnalyticsSession, IngestionRun } from '$lib/api';
import { fakeApi } from '../../test-support/fake-api';
import AdminPage from '../../routes/admin/+page.svelte';
import ProgressPage from '../../routes/+page.svelte';
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

/** Session `n` of a week of practice, left unfinished (analytics lists sessions oldest first). */
const session = (n: number): AnalyticsSession => ({
  id: `s${n}`,
  jobId: 'j1',
  jobTitle: `Job for session ${n}`,
  module: 'behavioral',
  createdAt: new Date(Date.UTC(2026, 0, 1, n)).toISOString(),
  completed: false,
  scores: null,
  competencies: [],
});

describe('the Progress page after a week of practice', () => {
  it('offers to resume the 10 most recent of 50 unfinished sessions, then more on request', async () => {
    const analytics: Analytics = {
      sessions: Array.from({ length: 50 }, (_, i) => session(i + 1)),
      dimensions: { star: null, clarity: null, impact: null, conciseness: null, relevance: null },
      competencies: [],
      modules: [],
      weakest: { dimensions: [], competencies: [] },
      streak: { days: 1, thisWeek: 50 },
      nextDrill: null,
    };
    fakeApi({ 'GET /api/analytics': () => analytics, 'GET /api/jobs': () => [] });
    render(ProgressPage);
    await waitFor(() => expect(screen.getAllByTestId('resume-link')).toHaveLength(10));
    const hrefs = () => screen.getAllByTestId('resume-link').map((a) => a.getAttribute('href'));
    // Most recent first.
    expect(hrefs()[0]).toBe('/sessions/s50');
    expect(screen.getByText('Showing 10 of 50 unfinished sessions')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('show-more'));
    expect(hrefs()).toHaveLength(20);
    expect(hrefs().at(-1)).toBe('/sessions/s31');
  });
});
