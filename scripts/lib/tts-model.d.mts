// Types of tts-model.mjs (plain JavaScript, so that setup runs before `npm install`), for voice/tts/piper.ts.
export const PIPER_VOICE_DIR: string;
export const PIPER_MODEL_FILE: string;
export const PIPER_TOKENS_FILE: string;
export const ESPEAK_NG_DATA_CANDIDATES: string[];
export function findEspeakNgData(): string | undefined;
export function piperVoiceDir(root: string): string;
export function needsPiperVoice(root: string): boolean;
export function ensurePiperVoice(root: string, log?: (line: string) => void): Promise<string>;
export function sherpaMetadata(config: unknown): Record<string, string | number>;
export function tokensTxt(config: unknown): string;
export function readMetadata(model: Buffer): Record<string, string>;
export function withMetadata(model: Buffer, metadata: Record<string, string | number>): Buffer;
export function topLevelFields(buf: Buffer): { field: number; wire: number; start: number; end: number }[];
