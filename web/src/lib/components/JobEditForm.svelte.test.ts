import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Job } from '$lib/api';
import { fakeApi } from '../../test-support/fake-api';
import JobEditForm from './JobEditForm.svelte';

const job: Job = {
  id: 'j1',
  title: 'Product Manager',
  company: 'Contoso',
  seniority: 'mid',
  createdAt: '2026-01-05T10:00:00Z',
  status: 'active',
  ingestion: { status: 'ready', chunks: 5 },
};
const DESCRIPTION = 'Contoso runs scheduling for 300 clinics; 3+ years of product management.';

function api() {
  return fakeApi({
    'GET /api/jobs/j1/documents': () => [
      { id: 'd1', name: 'Job description', kind: 'jd', source: 'pasted', status: 'ready', chunks: 2 },
      { id: 'd2', name: 'Resume', kind: 'resume', source: 'pasted', status: 'ready', chunks: 1 },
      { id: 'd3', name: 'cv.pdf', kind: 'resume', source: 'upload', status: 'ready', chunks: 3 },
    ],
    'GET /api/jobs/j1/documents/d1': () => ({ id: 'd1', text: DESCRIPTION }),
    'GET /api/jobs/j1/documents/d2': () => ({ id: 'd2', text: 'Sam, PM at CityRide.' }),
    'PATCH /api/jobs/j1': (c) => ({
      ...job,
      ...(c.body as object),
      ingestion: { status: 'pending', chunks: 0 },
    }),
  });
}

describe('JobEditForm', () => {
  it('starts from the job and its pasted texts (not the uploaded file), with Save off until something changes', async () => {
    api();
    render(JobEditForm, { job, onsaved: vi.fn(), oncancel: vi.fn() });
    const description = (await screen.findByLabelText('Job description')) as HTMLTextAreaElement;
    expect(description.value).toBe(DESCRIPTION);
    expect((screen.getByLabelText(/Your résumé/) as HTMLTextAreaElement).value).toBe('Sam, PM at CityRide.');
    expect((screen.getByLabelText('Job title') as HTMLInputElement).value).toBe('Product Manager');
    expect((screen.getByTestId('edit-save') as HTMLButtonElement).disabled).toBe(true);
  });

  it('sends only what changed and says a changed text is re-indexed', async () => {
    const calls = api();
    const onsaved = vi.fn();
    render(JobEditForm, { job, onsaved, oncancel: vi.fn() });
    const title = (await screen.findByLabelText('Job title')) as HTMLInputElement;
    await fireEvent.input(title, { target: { value: 'Senior PM ' } });
    expect(screen.queryByTestId('edit-reindex-note')).toBeNull();
    await fireEvent.input(screen.getByLabelText(/Your résumé/), { target: { value: '' } });
    expect(screen.getByTestId('edit-reindex-note')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('edit-save'));
    await waitFor(() => expect(onsaved).toHaveBeenCalled());
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ title: 'Senior PM', resume: '' });
    expect(onsaved.mock.calls[0]![0]).toMatchObject({ title: 'Senior PM' });
  });

  it('keeps Save off while the description is too short, and shows a refusal from the server', async () => {
    fakeApi({
      'GET /api/jobs/j1/documents': () => [],
      'PATCH /api/jobs/j1': () => ({ status: 409, problem: '"Job description" is still being indexed' }),
    });
    render(JobEditForm, { job, onsaved: vi.fn(), oncancel: vi.fn() });
    const description = await screen.findByLabelText('Job description');
    await fireEvent.input(description, { target: { value: 'too short' } });
    expect((screen.getByTestId('edit-save') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.input(description, { target: { value: DESCRIPTION } });
    await fireEvent.click(screen.getByTestId('edit-save'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/still being indexed/);
  });
});
