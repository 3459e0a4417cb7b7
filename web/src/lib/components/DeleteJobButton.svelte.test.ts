import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Job } from '$lib/api';
import { fakeApi } from '../../test-support/fake-api';
import DeleteJobButton from './DeleteJobButton.svelte';

const job: Job = {
  id: 'j1',
  title: 'Product Manager',
  company: 'Contoso',
  seniority: null,
  createdAt: '2026-01-05T10:00:00Z',
  status: 'active',
  ingestion: { status: 'ready', chunks: 5 },
};

function api() {
  let deleted = false;
  let looks = 0;
  return fakeApi({
    'GET /api/jobs/j1/documents': () => [
      { id: 'd1', name: 'Job description', kind: 'jd', source: 'pasted', status: 'ready', chunks: 2 },
      { id: 'd2', name: 'cv.pdf', kind: 'resume', source: 'upload', status: 'ready', chunks: 3 },
    ],
    'GET /api/sessions': () => [
      { id: 's1', jobId: 'j1', module: 'behavioral', mode: 'text', status: 'completed' },
      { id: 's2', jobId: 'j1', module: 'technical', mode: 'text', status: 'active' },
      { id: 's3', jobId: 'other', module: 'technical', mode: 'text', status: 'active' },
    ],
    'DELETE /api/jobs/j1': () => {
      deleted = true;
      return { ...job, status: 'deleting' };
    },
    // Being deleted for one more look, then gone.
    'GET /api/jobs/j1': () =>
      deleted && ++looks > 1 ? { status: 404, problem: 'job j1' } : { ...job, status: 'deleting' },
  });
}

describe('DeleteJobButton', () => {
  it('asks first, naming the documents, files, sessions and index that go with the job', async () => {
    const calls = api();
    render(DeleteJobButton, { job, ondeleted: vi.fn() });
    await fireEvent.click(screen.getByTestId('delete-job'));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete “Product Manager”?' });
    await waitFor(() => expect(screen.getByTestId('delete-job-contents')).toBeTruthy());
    const text = dialog.textContent!;
    expect(text).toMatch(/2 documents: Job description, cv\.pdf/);
    expect(text).toMatch(/1 uploaded file/);
    expect(text).toMatch(/2 practice sessions/);
    expect(text).toMatch(/search index/);
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
  });

  it('Cancel closes it without deleting; Delete job deletes and reports back', async () => {
    const calls = api();
    const ondeleted = vi.fn();
    render(DeleteJobButton, { job, ondeleted });
    await fireEvent.click(screen.getByTestId('delete-job'));
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);

    await fireEvent.click(screen.getByTestId('delete-job'));
    await waitFor(() =>
      expect((screen.getByTestId('delete-job-confirm') as HTMLButtonElement).disabled).toBe(false),
    );
    await fireEvent.click(screen.getByTestId('delete-job-confirm'));
    // Accepted: the dialog says it is deleting, and reports back once the job is gone.
    await waitFor(() => expect(screen.getByTestId('delete-job-progress')).toBeTruthy());
    expect(screen.getByTestId('delete-job-confirm').textContent).toMatch(/Deleting…/);
    await waitFor(() => expect(ondeleted).toHaveBeenCalledTimes(1), { timeout: 5000 });
    expect(calls.filter((c) => c.method === 'GET' && c.path === '/api/jobs/j1').length).toBeGreaterThan(1);
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual(['/api/jobs/j1']);
  });
});
