import { describe, expect, it } from 'vitest';
import type { TtsEngine } from '../types.js';
import { espeakInstalled, voiceChooser } from './voices.js';

const engine = (name: string): TtsEngine => ({
  name,
  async *synthesize() {},
  async close() {},
});

describe('a panelist’s voice', () => {
  it('is their espeak-ng variant where espeak-ng is installed, one engine per variant', () => {
    const choose = voiceChooser(
      engine('piper'),
      (v) => engine(`espeak ${v}`),
      () => true,
    );
    expect(choose('espeak:en-gb+m3').name).toBe('espeak en-gb+m3');
    expect(choose('espeak:en-gb+m3')).toBe(choose('espeak:en-gb+m3'));
    expect(choose('espeak:en-us+f3').name).toBe('espeak en-us+f3');
    expect(choose('piper:joe').name).toBe('piper');
    expect(choose(undefined).name).toBe('piper');
  });

  it('falls back to the configured engine where espeak-ng is not installed (a machine set up by npm start alone)', () => {
    let asked = 0;
    const choose = voiceChooser(
      engine('piper'),
      (v) => engine(`espeak ${v}`),
      () => (asked++, false),
    );
    expect(choose('espeak:en-gb+m3').name).toBe('piper');
    expect(choose('espeak:en-us+f3').name).toBe('piper');
    expect(asked).toBe(1);
  });

  it('tells whether a program is installed by running it', () => {
    expect(espeakInstalled('no-such-espeak-binary')).toBe(false);
    expect(espeakInstalled('node')).toBe(true);
  });
});
