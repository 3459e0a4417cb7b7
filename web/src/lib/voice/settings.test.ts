import { describe, expect, it } from 'vitest';
import { loadSilenceMs, parseSilenceMs, saveSilenceMs, SILENCE_DEFAULT_MS, SILENCE_KEY } from './settings';

function memory(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
  } as Storage;
}

describe('silence setting', () => {
  it('is remembered, clamped to its range, and falls back to the default on junk', () => {
    const store = memory();
    expect(loadSilenceMs(store)).toBe(SILENCE_DEFAULT_MS);
    expect(saveSilenceMs(3200, store)).toBe(3200);
    expect(loadSilenceMs(store)).toBe(3200);
    expect(store.getItem(SILENCE_KEY)).toBe('3200');
    expect(saveSilenceMs(50, store)).toBe(800);
    expect(saveSilenceMs(60_000, store)).toBe(6000);
    expect(parseSilenceMs('abc')).toBe(SILENCE_DEFAULT_MS);
    expect(parseSilenceMs(null)).toBe(SILENCE_DEFAULT_MS);
  });

  it('works without storage (privacy mode throws)', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(loadSilenceMs(broken)).toBe(SILENCE_DEFAULT_MS);
    expect(saveSilenceMs(2500, broken)).toBe(2500);
  });
});
