import { describe, expect, it } from 'vitest';
import { speakableSentences } from './index.js';

describe('splitting text into speakable sentences', () => {
  it('keeps abbreviations, initials and decimals inside their sentence', () => {
    expect(
      speakableSentences(
        'Dr. Smith cut latency by 3.5 times, e.g. with caching. J. Doe agreed! Why? It worked...',
      ),
    ).toEqual([
      'Dr. Smith cut latency by 3.5 times, e.g. with caching.',
      'J. Doe agreed!',
      'Why?',
      'It worked...',
    ]);
  });

  it('reads a Markdown list as one sentence per item, without the bullets and emphasis', () => {
    expect(
      speakableSentences('Strengths:\n- **Clear** result\n* used _metrics_\n2) Named your `role`'),
    ).toEqual(['Strengths:', 'Clear result', 'used metrics', 'Named your role']);
  });

  it('keeps closing quotes with their sentence and does not split inside words like snake_case', () => {
    expect(speakableSentences('He said "ship it." Then the user_id field broke.')).toEqual([
      'He said "ship it."',
      'Then the user_id field broke.',
    ]);
  });

  it('cuts an overlong sentence at a clause break, so it cannot delay the first audio', () => {
    const long = `${'We measured the queue, '.repeat(12)}and then we shipped.`;
    const parts = speakableSentences(long, 100);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.every((p) => p.length <= 100)).toBe(true);
    expect(parts.join(' ')).toBe(long);
  });

  it('drops text with nothing to say', () => {
    expect(speakableSentences('  \n- \n...\n')).toEqual([]);
  });
});
