// Types of mlflow.mjs (plain JavaScript, so that setup runs before `npm install`).
export function mlflowBin(root: string, env?: NodeJS.ProcessEnv): string;
export function mlflowPort(env?: NodeJS.ProcessEnv): number;
export function localMlflowUrl(env?: NodeJS.ProcessEnv): string;
export function mlflowServerArgs(options: { dir: string; port: number }): string[];
