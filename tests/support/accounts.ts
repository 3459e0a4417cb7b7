// A client that behaves like a browser tab on the app's own origin: keeps the cookies the API sets, sends
// Origin, and echoes the ih_csrf cookie as x-csrf-token on state-changing requests (as web/src/lib/api.ts).
export interface Reply<T = Record<string, unknown>> {
  status: number;
  type: string;
  headers: Headers;
  json: T;
  text: string;
}

export function accountClient(baseUrl: string) {
  const jar = new Map<string, string>();

  function remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = decodeURIComponent(pair.slice(eq + 1).trim());
      const expired = /expires=thu, 01 jan 1970/i.test(line) || /max-age=0\b/i.test(line) || value === '';
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
  }

  function headersFor(method: string, extra: Record<string, string> = {}): Record<string, string> {
    const headers: Record<string, string> = { origin: baseUrl, ...extra };
    if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
    const csrf = jar.get('ih_csrf');
    if (csrf && !['GET', 'HEAD'].includes(method)) headers['x-csrf-token'] = csrf;
    return headers;
  }

  /** A raw request with this client's cookies and CSRF header (for streams, downloads, multipart). */
  async function fetchRaw(path: string, init: RequestInit = {}): Promise<Response> {
    const method = init.method ?? 'GET';
    const res = await fetch(baseUrl + path, {
      ...init,
      redirect: 'manual',
      headers: headersFor(method, (init.headers as Record<string, string> | undefined) ?? {}),
    });
    remember(res);
    return res;
  }

  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const res = await fetchRaw(path, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      headers: res.headers,
      json: json as T,
      text,
    };
  }

  return {
    jar,
    call,
    fetchRaw,
    signUp: (email: string, password = 'correct horse battery') =>
      call<{ id: string; email: string; role: string; detail?: string }>('POST', '/api/auth/signup', {
        email,
        password,
      }),
    login: (email: string, password = 'correct horse battery') =>
      call<{ id: string; email: string; role: string; detail?: string }>('POST', '/api/auth/login', {
        email,
        password,
      }),
  };
}

export type AccountClient = ReturnType<typeof accountClient>;
