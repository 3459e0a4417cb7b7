import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { ReviewerView, ReviewSubmissionInput } from '$lib/api';
import ReviewerDesk from './ReviewerDesk.svelte';

const ANSWER = 'I rewrote the deploy script and rollbacks fell by 40%.';
const view = (over: Partial<ReviewerView> = {}): ReviewerView => ({
  id: 'r1',
  status: 'open',
  focus: 'Is the result clear?',
  dueAt: '2026-12-20T10:00:00.000Z',
  candidate: null,
  jobTitle: 'SRE',
  answers: [
    { answerId: 'a1', round: 1, question: 'Tell me about reliability.', answer: ANSWER, hasRecording: false },
  ],
  claim: { expiresAt: '2026-12-08T10:00:00.000Z' },
  submitted: false,
  coach: null,
  reviews: null,
  ...over,
});
const noRecording = () => Promise.reject(new Error('no recording'));

describe('the reviewer’s page', () => {
  it('asks to start before showing the form, and says nothing of the coach', async () => {
    const onclaim = vi.fn(() => Promise.resolve());
    render(ReviewerDesk, { view: view({ claim: null }), onclaim, onsubmit: vi.fn(), recording: noRecording });
    expect(screen.queryByTestId('submit-review')).toBeNull();
    await fireEvent.click(screen.getByTestId('claim-review'));
    expect(onclaim).toHaveBeenCalledOnce();
    expect(document.body.textContent).not.toMatch(/coach's scores of these answers/);
  });

  it('sends the scores, their confidence and a comment on the selected words', async () => {
    const onsubmit = vi.fn((_: ReviewSubmissionInput) => Promise.resolve());
    render(ReviewerDesk, { view: view(), onclaim: vi.fn(), onsubmit, recording: noRecording });
    // Each level is labelled with the labelling guide's anchor.
    expect(screen.getByTestId('score-impact').textContent).toContain(
      'A measured or checkable outcome with a before and after',
    );
    const transcript = screen.getByTestId('transcript') as HTMLTextAreaElement;
    transcript.setSelectionRange(ANSWER.indexOf('rollbacks'), ANSWER.indexOf(' by 40%'));
    await fireEvent.click(screen.getByLabelText('The selected words'));
    await fireEvent.input(screen.getByTestId('comment-text'), {
      target: { value: 'Say from what to what.' },
    });
    await fireEvent.click(screen.getByTestId('add-comment'));
    expect(screen.getByTestId('draft-comments').textContent).toContain('“rollbacks fell”');
    await fireEvent.click(screen.getByTestId('score-impact').querySelector('input[value="3"]')!);
    await fireEvent.change(screen.getByTestId('score-impact').querySelector('select')!, {
      target: { value: 'high' },
    });
    await fireEvent.click(screen.getByTestId('submit-review'));
    expect(onsubmit).toHaveBeenCalledWith({
      answers: [
        {
          answerId: 'a1',
          scores: { impact: { score: 3, confidence: 'high' } },
          comments: [
            {
              text: 'Say from what to what.',
              anchor: {
                kind: 'transcript',
                start: ANSWER.indexOf('rollbacks'),
                end: ANSWER.indexOf(' by 40%'),
              },
            },
          ],
        },
      ],
    });
  });

  it('refuses to send an empty review, and says why', async () => {
    const onsubmit = vi.fn(() => Promise.resolve());
    render(ReviewerDesk, { view: view(), onclaim: vi.fn(), onsubmit, recording: noRecording });
    await fireEvent.click(screen.getByTestId('submit-review'));
    expect(onsubmit).not.toHaveBeenCalled();
    expect(screen.getByTestId('review-error').textContent).toMatch(/Score at least one dimension/);
  });

  it('once submitted, shows where the reviewer differs from the coach', () => {
    const scores = { star: 4, clarity: 3, impact: 5, conciseness: 3, relevance: 4 } as const;
    render(ReviewerDesk, {
      view: view({
        submitted: true,
        status: 'completed',
        coach: [
          {
            answerId: 'a1',
            feedback: {
              turnId: 'a1',
              scores,
              reasons: { star: '', clarity: '', impact: '', conciseness: '', relevance: '' },
              strengths: [],
              gaps: [],
              critique: '',
              rewrite: '',
              drill: '',
              citations: [],
            },
          },
        ],
        reviews: [
          {
            reviewer: 'Reviewer 1',
            submittedAt: '2026-12-07T10:00:00.000Z',
            answers: [{ answerId: 'a1', scores: { impact: { score: 2 } }, comments: [] }],
          },
        ],
      }),
      onclaim: vi.fn(),
      onsubmit: vi.fn(),
      recording: noRecording,
    });
    const row = screen.getByTestId('differ-list').querySelector('li[data-dimension="impact"]')!;
    expect(row.textContent).toMatch(/you 2, the coach 5: you are 3 lower/);
    expect(row.classList.contains('wide')).toBe(true);
  });
});
