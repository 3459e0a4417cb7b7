// Types of tts-model.mjs (plain JavaScript, so that setup runs before `npm install`).
export function needsPiperVoice(root: string, modelsDir?: string): boolean;
export function ensurePiperVoice(
  root: string,
  log?: (line: string) => void,
  modelsDir?: string,
): Promise<string>;
export function sherpaMetadata(config: unknown): Record<string, string | number>;
export function tokensTxt(config: unknown): string;
export function needsEspeakNgData(root: string, modelsDir?: string): boolean;
export function ensureEspeakNgData(
  root: string,
  log?: (line: string) => void,
  modelsDir?: string,
): Promise<string>;
