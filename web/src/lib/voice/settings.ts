// Voice settings remembered in this browser (localStorage): how long a silence ends an answer.

export const SILENCE_KEY = 'voice.silenceMs';
export const SILENCE_DEFAULT_MS = 2000;
export const SILENCE_MIN_MS = 800;
export const SILENCE_MAX_MS = 6000;

/** A stored value as a silence length: a number of ms in range, else the default. */
export function parseSilenceMs(raw: string | null | undefined): number {
  const n = Number(raw);
  if (raw == null || raw === '' || !Number.isFinite(n)) return SILENCE_DEFAULT_MS;
  return clampSilenceMs(n);
}

export function clampSilenceMs(ms: number): number {
  return Math.round(Math.min(SILENCE_MAX_MS, Math.max(SILENCE_MIN_MS, ms)));
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled: settings last for the page only
  }
}

export function loadSilenceMs(store: Storage | null = storage()): number {
  try {
    return parseSilenceMs(store?.getItem(SILENCE_KEY));
  } catch {
    return SILENCE_DEFAULT_MS;
  }
}

export function saveSilenceMs(ms: number, store: Storage | null = storage()): number {
  const value = clampSilenceMs(ms);
  try {
    store?.setItem(SILENCE_KEY, String(value));
  } catch {
    // quota or privacy mode: the value still applies to this page
  }
  return value;
}
