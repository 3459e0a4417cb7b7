import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { SpeechMetrics } from '$lib/api';
import { page } from '../../test-support/app-state.svelte';
import SpeechFeedback from './SpeechFeedback.svelte';

const transcript = 'Um so I led the migration and like latency fell by forty percent';
const speech: SpeechMetrics = {
  durationSec: 6.2,
  words: 13,
  wpm: 126,
  fillerCount: 3,
  fillersPerMin: 29,
  fillers: [
    { word: 'um', count: 1 },
    { word: 'so', count: 1 },
    { word: 'like', count: 1 },
  ],
  fillerWordIndexes: [0, 1, 7],
  longPauses: [{ afterWord: 5, seconds: 2.4 }],
};

describe('SpeechFeedback', () => {
  it('shows pace against the 130-160 band, fillers, pauses and duration', () => {
    render(SpeechFeedback, { speech, transcript, turnId: 't1' });
    const wpm = screen.getByTestId('speech-wpm');
    expect(wpm.textContent).toMatch(/126\s+words per minute/);
    expect(wpm.textContent).toMatch(/below the 130–160 target/);
    expect(wpm.dataset.pace).toBe('slow');
    expect(screen.getByTestId('speech-fillers').textContent).toMatch(/3\s+fillers, 29\.0 per minute/);
    expect(screen.getByTestId('speech-fillers').textContent).toContain('“like” ×1');
    expect(screen.getByTestId('speech-pauses').textContent).toMatch(/1.*longest\s+2\.4 s/s);
    expect(screen.getByTestId('speech-duration').textContent).toMatch(/0:06, 13 words/);
  });

  it('highlights exactly the filler words in the transcript and marks the long pause after its word', () => {
    render(SpeechFeedback, { speech, transcript, turnId: 't1' });
    const marked = screen.getAllByTestId('filler-word').map((m) => m.textContent?.replace(/^filler:\s/, ''));
    expect(marked).toEqual(['Um', 'so', 'like']);
    const text = screen.getByTestId('speech-transcript').textContent!;
    expect(text).toMatch(/migration\s*\(pause of\s⏸ 2\.4 s\)/);
  });

  it('offers the recording to play back and delete when the session is known', () => {
    page.params = { id: 's1' };
    render(SpeechFeedback, { speech, transcript, turnId: 't1' });
    const audio = document.querySelector('audio')!;
    expect(audio.getAttribute('src')).toBe('/api/sessions/s1/turns/t1/audio');
    expect(screen.getByTestId('delete-recording')).toBeTruthy();
    page.params = {};
  });
});
