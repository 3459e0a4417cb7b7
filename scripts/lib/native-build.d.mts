// Types of native-build.mjs (plain JavaScript, so that setup runs before `npm install`).
export interface NativeBuildEnv {
  npm_config_nodedir?: string;
  CFLAGS?: string;
  CXXFLAGS?: string;
}
export function nativeBuildFlags(): NativeBuildEnv;
export function needsWhisperRebuild(root: string, native?: NativeBuildEnv): boolean;
export function recordWhisperFlags(root: string, native?: NativeBuildEnv): void;
