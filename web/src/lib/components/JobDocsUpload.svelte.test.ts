import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { fakeApi } from '../../test-support/fake-api';
import JobDocsUpload from './JobDocsUpload.svelte';

describe('JobDocsUpload', () => {
  it('lists the documents with their stage; an indexed one opens, a failed one says why', async () => {
    fakeApi({
      'GET /api/jobs/j1/documents': () => [
        {
          id: 'd1',
          name: 'Job description',
          kind: 'jd',
          source: 'pasted',
          status: 'ready',
          stage: 'indexed',
          chunks: 4,
        },
        {
          id: 'd2',
          name: 'cv.pdf',
          kind: 'resume',
          source: 'upload',
          status: 'failed',
          stage: 'failed',
          chunks: 0,
          error: 'the PDF has no text layer',
        },
      ],
    });
    render(JobDocsUpload, { jobId: 'j1' });
    await waitFor(() => expect(screen.getAllByTestId('doc-row')).toHaveLength(2));
    const [jd, cv] = screen.getAllByTestId('doc-row');
    expect(jd!.dataset.stage).toBe('indexed');
    expect(jd!.querySelector('a')?.getAttribute('href')).toBe('/jobs/j1/documents/d1');
    expect(cv!.dataset.status).toBe('failed');
    expect(cv!.textContent).toContain('the PDF has no text layer');
  });

  it('refuses a file type the server would refuse, before sending it, and names the reason', async () => {
    const calls = fakeApi({ 'GET /api/jobs/j1/documents': () => [] });
    render(JobDocsUpload, { jobId: 'j1' });
    const input = screen.getByTestId('docs-file-input') as HTMLInputElement;
    const file = new File(['MZ'], 'setup.exe', { type: 'application/octet-stream' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await fireEvent.change(input);
    await waitFor(() => expect(screen.getByText(/setup\.exe: upload one of \.pdf/)).toBeTruthy());
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });
});
