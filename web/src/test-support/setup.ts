// Component tests: every test starts with a fresh fetch stand-in (tests install their own answers).
import { afterEach, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});
