// The web app's one typed client (web/src/lib/api.ts) is checked against the API's own OpenAPI document:
// every route the client calls must be one the API declares, with that method.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { openApiDocument } from '../../api/openapi.js';
import { ROOT } from '../support/processes.js';

/** `/api/jobs/${enc(id)}/search?q=...` -> `/api/jobs/{}/search` */
const normalise = (p: string) =>
  p
    .split(/\?|\$\{qs/)[0]!
    .replace(/\$\{[^}]*\}/g, '{}')
    .replace(/\{[^}]*\}/g, '{}');

it('every route the web client calls is declared in the OpenAPI document, with its method', () => {
  const source = readFileSync(path.join(ROOT, 'web/src/lib/api.ts'), 'utf8');
  // Every `/api/...` literal in the client (the comment's own "/api/..." aside).
  const calls = [...source.matchAll(/(?:'(GET|POST|PUT|PATCH|DELETE)',\s*)?[`'](\/api\/[^`'\s]*)[`']/g)]
    .map((m) => ({
      method: (m[1] ?? 'GET').toLowerCase(),
      path: normalise(m[2]!),
    }))
    .filter((c) => !c.path.includes('...'));
  const declared = new Map(
    Object.entries(openApiDocument().paths ?? {}).map(([p, ops]) => [
      normalise(p),
      new Set(Object.keys(ops as object)),
    ]),
  );
  expect(calls.length).toBeGreaterThan(20);
  const missing = calls
    .filter((c) => !declared.get(c.path)?.has(c.method))
    .map((c) => `${c.method.toUpperCase()} ${c.path}`);
  expect(missing).toEqual([]);
});
