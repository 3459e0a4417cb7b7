import { describe, expect, it } from 'vitest';
import { fillerText, formatDuration, pace, paceScale, paceText, transcriptPieces } from './speech-format';

describe('speech metric formatting', () => {
  it('places the pace against the 130-160 band', () => {
    expect(pace(129.9)).toBe('slow');
    expect(pace(130)).toBe('good');
    expect(pace(160)).toBe('good');
    expect(pace(161)).toBe('fast');
    expect(paceText(145)).toMatch(/within the 130–160/);
    expect(paceText(100)).toMatch(/below.*speed up/);
    expect(paceText(190)).toMatch(/above.*slow down/);
    expect(paceScale(0)).toBe(0);
    expect(paceScale(999)).toBe(1);
  });

  it('formats durations and filler rates', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(42.4)).toBe('0:42');
    expect(formatDuration(65)).toBe('1:05');
    expect(fillerText(2)).toMatch(/2\.0 per minute — fine/);
    expect(fillerText(6.25)).toMatch(/6\.3 per minute — try pausing/);
  });

  it('marks fillers by the server word indexes and puts pauses after their word', () => {
    const text = '  Um, I led the   migration, like, you know ';
    const pieces = transcriptPieces(text, {
      fillerWordIndexes: [0, 5],
      longPauses: [{ afterWord: 4, seconds: 2.5 }],
    });
    const words = pieces.filter((p) => p.kind === 'word');
    expect(words.map((w) => w.text)).toEqual(text.trim().split(/\s+/));
    expect(words.filter((w) => w.filler).map((w) => w.text)).toEqual(['Um,', 'like,']);
    const pauseAt = pieces.findIndex((p) => p.kind === 'pause');
    expect(pieces[pauseAt - 1]).toMatchObject({ kind: 'word', text: 'migration,' });
    expect(pieces[pauseAt]).toEqual({ kind: 'pause', seconds: 2.5 });
    // Nothing of the text is lost: words and spaces rebuild it.
    expect(pieces.map((p) => (p.kind === 'pause' ? '' : p.text)).join('')).toBe(text.trim());
  });
});
