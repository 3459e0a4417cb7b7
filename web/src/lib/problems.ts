// The API's refusals of a form (first: a panel template), sorted to the fields they are about, so the form can show each
// next to its field. The API says where in its `detail` (api/errors.ts and agents/panel/template.ts): a 400
// lists "path: message" joined by "; ", a 422 lists "  path: message" lines under a first line, and a 409 is
// about the template's id. Anything without a path the form shows is shown above the form.
import { ApiError, errorMessage } from './api';

/** Messages by field path ("panelists.1.voice"); `''` holds those about the template as a whole. */
export type Problems = Record<string, string[]>;

const PATHED = /^([A-Za-z]\w*(?:\.\w+)*): (.+)$/;

function add(problems: Problems, path: string, message: string): void {
  (problems[path] ??= []).push(message);
}

export function problemsOf(err: unknown): Problems {
  const problems: Problems = {};
  if (!(err instanceof ApiError)) {
    add(problems, '', errorMessage(err));
    return problems;
  }
  if (err.status === 409) {
    add(problems, 'id', err.detail);
    return problems;
  }
  const parts =
    err.status === 422
      ? err.detail.split('\n').slice(1)
      : err.status === 400
        ? err.detail.split(/; (?=[A-Za-z]\w*(?:\.\w+)*: )/)
        : [];
  for (const part of parts) {
    const m = PATHED.exec(part.trim());
    if (m) add(problems, m[1]!, m[2]!);
    else if (part.trim()) add(problems, '', part.trim().replace(/^\(template\): /, ''));
  }
  if (!Object.keys(problems).length) add(problems, '', errorMessage(err));
  return problems;
}

/** The problems of paths no field shows, with their path, for the list above the form. */
export function unplaced(problems: Problems, shown: ReadonlySet<string>): string[] {
  return Object.entries(problems).flatMap(([path, messages]) =>
    shown.has(path) ? [] : messages.map((m) => (path ? `${path}: ${m}` : m)),
  );
}
