// Types of asr-model.mjs (plain JavaScript, so that setup runs before `npm install`).
export function whisperModelPath(root: string, modelsDir?: string): string;
export function needsWhisperModel(root: string, modelsDir?: string): boolean;
export type WhisperModelResult =
  | { path: string; created: false }
  | { path: string; created: true; bytes: number; convertSeconds: number; seconds: number };
export function ensureWhisperModel(
  root: string,
  log?: (line: string) => void,
  modelsDir?: string,
): Promise<WhisperModelResult>;
/** librosa.filters.mel(sr, n_fft, n_mels) (Slaney scale and norm), row-major [n_mels][n_fft / 2 + 1]. */
export function melFilters(sr: number, nFft: number, nMels: number): Float32Array;
