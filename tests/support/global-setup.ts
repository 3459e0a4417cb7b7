// One Temporal dev server and one Chroma for the whole run; each test file uses its own task queue.
import type { TestProject } from 'vitest/node';
import { startChroma, startTemporal } from './processes.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    chromaUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const [temporal, chroma] = await Promise.all([startTemporal(), startChroma()]);
  project.provide('temporalAddress', temporal.url);
  project.provide('chromaUrl', chroma.url);
  return async () => {
    await Promise.all([temporal.stop(), chroma.stop()]);
  };
}
