import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Scores } from '$lib/api';
import ScoreBars from './ScoreBars.svelte';

const scores: Scores = { star: 4, clarity: 3, impact: 2, conciseness: 5, relevance: 3 };

describe('ScoreBars', () => {
  it('shows every dimension with its score out of 5 and the reason', () => {
    render(ScoreBars, {
      scores,
      reasons: { star: 'All four parts.', clarity: '', impact: 'No number.', conciseness: '', relevance: '' },
    });
    expect(screen.getByLabelText('STAR structure: 4 of 5').textContent).toBe('4');
    expect(screen.getByLabelText('Impact: 2 of 5').textContent).toBe('2');
    expect(screen.getByText('All four parts.')).toBeTruthy();
    expect(screen.getByText('No number.')).toBeTruthy();
    expect(screen.getAllByRole('term').map((t) => t.textContent)).toEqual([
      'STAR structure',
      'Clarity',
      'Impact',
      'Conciseness',
      'Relevance',
    ]);
  });

  it('after a retry, shows each change since the last attempt', () => {
    render(ScoreBars, { scores, previous: { ...scores, impact: 1, clarity: 4 } });
    expect(screen.getByTestId('score-delta-impact').getAttribute('aria-label')).toBe('up 1');
    expect(screen.getByTestId('score-delta-clarity').getAttribute('aria-label')).toBe('down 1');
    expect(screen.getByTestId('score-delta-star').getAttribute('aria-label')).toBe('no change 0');
  });
});
