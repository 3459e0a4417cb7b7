// startStack for test files: the app stack on the Temporal dev server and Chroma of the vitest global setup.
import type { RequestHandler } from 'express';
import { inject } from 'vitest';
import { startAppStack, type StackOptions, type TestStack } from './app-stack.js';

export type { StackOptions, TestStack };

export function startStack(
  env: Record<string, string> = {},
  web?: RequestHandler,
  options?: StackOptions,
): Promise<TestStack> {
  return startAppStack(
    { TEMPORAL_ADDRESS: inject('temporalAddress'), CHROMA_URL: inject('chromaUrl'), ...env },
    web,
    options,
  );
}
