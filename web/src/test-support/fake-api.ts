// Component tests talk to a stand-in for the HTTP API (no server runs in jsdom): each route answers with
// a JSON body or a problem, and every call is recorded as the component made it.
import { vi } from 'vitest';

export interface Call {
  method: string;
  path: string;
  body: unknown;
}

type Answer = unknown | { status: number; problem: string };
type Route = (call: Call) => Answer | Promise<Answer>;

const isProblem = (a: unknown): a is { status: number; problem: string } =>
  typeof a === 'object' && a !== null && 'problem' in a && 'status' in a;

/** Installs `fetch` answering `"METHOD /path"` keys (the query string is ignored); returns the calls. */
export function fakeApi(routes: Record<string, Route>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      const path = String(input).split('?')[0]!;
      const call = { method, path, body: init.body ? JSON.parse(String(init.body)) : undefined };
      calls.push(call);
      const route = routes[`${method} ${path}`];
      if (!route) return problem(404, `no fake for ${method} ${path}`);
      const answer = await route(call);
      if (isProblem(answer)) return problem(answer.status, answer.problem);
      if (answer === undefined) return new Response(null, { status: 204 });
      return new Response(JSON.stringify(answer), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
  return calls;
}

function problem(status: number, detail: string): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title: 'Error', status, detail }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
}
