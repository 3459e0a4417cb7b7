import { describe, expect, it } from 'vitest';
import { wordDiff, words } from './word-diff';

describe('wordDiff', () => {
  it('splits on any whitespace', () => {
    expect(words('  a b\n\tc ')).toEqual(['a', 'b', 'c']);
  });

  it('returns one equal part for identical texts', () => {
    expect(wordDiff('the same words', 'the  same\nwords')).toEqual([{ op: 'equal', text: 'the same words' }]);
  });

  it('marks added and removed words, merging runs', () => {
    expect(wordDiff('I fixed the bug quickly', 'I found and fixed the bug')).toEqual([
      { op: 'equal', text: 'I' },
      { op: 'insert', text: 'found and' },
      { op: 'equal', text: 'fixed the bug' },
      { op: 'delete', text: 'quickly' },
    ]);
  });

  it('puts a deletion before an insertion at a replaced word', () => {
    expect(wordDiff('sales rose 5%', 'sales rose 12%')).toEqual([
      { op: 'equal', text: 'sales rose' },
      { op: 'delete', text: '5%' },
      { op: 'insert', text: '12%' },
    ]);
  });

  it('handles empty sides', () => {
    expect(wordDiff('', 'new text')).toEqual([{ op: 'insert', text: 'new text' }]);
    expect(wordDiff('old text', '')).toEqual([{ op: 'delete', text: 'old text' }]);
    expect(wordDiff('', '')).toEqual([]);
  });

  it('keeps every word of both texts in order', () => {
    const before = 'a b c d e f';
    const after = 'b x d e y f z';
    const parts = wordDiff(before, after);
    const kept = (op: string) =>
      parts
        .filter((p) => p.op === 'equal' || p.op === op)
        .map((p) => p.text)
        .join(' ');
    expect(kept('delete')).toBe(before);
    expect(kept('insert')).toBe(after);
  });
});
