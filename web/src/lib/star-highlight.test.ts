import { describe, expect, it } from 'vitest';
import { starSegments } from './star-highlight';

describe('starSegments', () => {
  const answer = 'Sales fell. I had to fix it. I ran tests. Sales rose 12%.';

  it('returns the whole answer unmarked without parts', () => {
    expect(starSegments(answer, undefined)).toEqual([{ text: answer, part: null }]);
  });

  it('marks each quoted sentence in answer order', () => {
    const segs = starSegments(answer, {
      result: 'Sales rose 12%.',
      situation: 'Sales fell.',
      task: null,
      action: 'I ran tests.',
    });
    expect(segs).toEqual([
      { text: 'Sales fell.', part: 'situation' },
      { text: ' I had to fix it. ', part: null },
      { text: 'I ran tests.', part: 'action' },
      { text: ' ', part: null },
      { text: 'Sales rose 12%.', part: 'result' },
    ]);
    expect(segs.map((s) => s.text).join('')).toBe(answer);
  });

  it('finds a quote without its full stop and skips quotes not in the answer or overlapping', () => {
    const segs = starSegments(answer, { situation: 'Sales fell.', task: 'Sales fell', result: 'Not there.' });
    expect(segs.filter((s) => s.part).map((s) => s.part)).toEqual(['situation']);
    expect(starSegments('I had to fix it', { task: 'I had to fix it.' })).toEqual([
      { text: 'I had to fix it', part: 'task' },
    ]);
  });
});
