import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Feedback } from '$lib/api';
import FeedbackPanel from './FeedbackPanel.svelte';

const answer = 'I led the migration and costs fell.';
const feedback: Feedback = {
  turnId: 't1',
  scores: { star: 3, clarity: 4, impact: 2, conciseness: 4, relevance: 3 },
  reasons: { star: '', clarity: '', impact: 'No number for the result.', conciseness: '', relevance: '' },
  critique: 'The result has no number.',
  strengths: ['Clear ownership.'],
  gaps: ['No measured result.'],
  starParts: { situation: null, task: null, action: 'I led the migration', result: 'costs fell' },
  rewrite: 'I led the migration to AWS and costs fell 30%.',
  drill: 'Say the result with a number.',
  citations: [{ documentId: 'd1', chunkId: 'c1', kind: 'jd', text: 'Cut infrastructure costs.' }],
};

describe('FeedbackPanel', () => {
  it('shows the scores with reasons, the STAR parts found and missing, strengths, gaps and the drill', () => {
    render(FeedbackPanel, { feedback, answer, jobId: 'job-1' });
    expect(screen.getByLabelText('Impact: 2 of 5')).toBeTruthy();
    expect(screen.getByText('No number for the result.')).toBeTruthy();
    expect(screen.getByTestId('star-part-action').textContent).toContain('I led the migration');
    expect(screen.getByTestId('star-part-situation').textContent).toMatch(/missing/);
    expect(screen.getByText('Clear ownership.')).toBeTruthy();
    expect(screen.getByText('No measured result.')).toBeTruthy();
    expect(screen.getByText('Say the result with a number.')).toBeTruthy();
  });

  it('shows the rewrite as a diff against the answer: added words marked, the rest kept', () => {
    render(FeedbackPanel, { feedback, answer });
    const diff = screen.getByTestId('rewrite-diff');
    const added = [...diff.querySelectorAll('ins')].map((e) => e.textContent?.replace('added: ', ''));
    expect(added.join(' ')).toMatch(/to AWS/);
    expect(added.join(' ')).toMatch(/30%/);
    expect(diff.querySelectorAll('del').length).toBeGreaterThan(0);
    // The words both share are kept as they were.
    const kept = [...diff.querySelectorAll(':scope > span')].map((e) => e.textContent).join(' ');
    expect(kept).toContain('I led the');
  });

  it('without the answer, shows the rewrite as plain text', () => {
    render(FeedbackPanel, { feedback });
    expect(screen.queryByTestId('rewrite-diff')).toBeNull();
    expect(screen.getByText(feedback.rewrite)).toBeTruthy();
  });
  it('says which parts the offline coach wrote when the model’s reply could not be used, and nothing otherwise', () => {
    const { unmount } = render(FeedbackPanel, {
      feedback: { ...feedback, offlineParts: ['rewrite', 'drill'] },
      answer,
    });
    expect(screen.getByTestId('offline-parts').textContent).toMatch(
      /model's rewrite, drill could not be used/,
    );
    unmount();
    render(FeedbackPanel, { feedback, answer });
    expect(screen.queryByTestId('offline-parts')).toBeNull();
  });
});
