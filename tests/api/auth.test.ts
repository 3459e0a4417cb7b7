// Accounts over real HTTP: sign-up, sign-in, cookies, CSRF, sign-out (here and everywhere), roles, the
// embedded default's local user, AUTH_MODE=accounts, and company sign-in against a real oidc-provider.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authSessions, users } from '../../core/db/schema.js';
import { accountClient } from '../support/accounts.js';
import { JOB } from '../support/client.js';
import { ROOT } from '../support/processes.js';
import { startStack, type TestStack } from '../support/stack.js';

const PASSWORD = 'correct horse battery';
const cookieLine = (res: { headers: Headers }, name: string) =>
  res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`)) ?? '';

describe('the embedded default (AUTH_MODE=local)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({
      RATE_AUTH: '1000/min',
      ADMIN_EMAILS: 'boss@example.com',
      REVIEWER_EMAILS: 'reader@example.com',
    });
  });
  afterAll(() => stack?.close());

  it('signs up a candidate with an HttpOnly, SameSite=Lax session cookie and a readable CSRF cookie', async () => {
    const tab = accountClient(stack.baseUrl);
    const res = await tab.signUp('Ada@Example.com', PASSWORD);
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ id: expect.any(String), email: 'ada@example.com', role: 'candidate' });
    const session = cookieLine(res, 'ih_session');
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).toMatch(/Path=\//);
    expect(session).not.toMatch(/Secure/i); // COOKIE_SECURE defaults to false for http://127.0.0.1
    expect(Number(/Max-Age=(\d+)/i.exec(session)?.[1])).toBe(30 * 24 * 3600);
    const csrf = cookieLine(res, 'ih_csrf');
    expect(csrf).not.toMatch(/HttpOnly/i);

    // The token is 32 random bytes; the database holds only its sha256, and the password only as scrypt.
    const token = tab.jar.get('ih_session')!;
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const { db } = stack.services.database;
    const [stored] = await db.select().from(authSessions).where(eq(authSessions.userId, res.json.id));
    expect(stored!.id).toBe(createHash('sha256').update(token).digest('hex'));
    const [user] = await db.select().from(users).where(eq(users.id, res.json.id));
    expect(user!.passwordHash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/);
    expect(user!.passwordHash).not.toContain(PASSWORD);

    const me = await tab.call('GET', '/api/me');
    expect(me.json).toMatchObject({ email: 'ada@example.com', role: 'candidate', signedIn: true });
  });

  it('refuses a taken email (409), a bad email and a weak password (400, saying why)', async () => {
    const tab = accountClient(stack.baseUrl);
    expect((await tab.signUp('taken@example.com')).status).toBe(201);
    const again = await accountClient(stack.baseUrl).signUp('TAKEN@example.com');
    expect(again.status).toBe(409);
    expect(again.type).toContain('application/problem+json');
    const badEmail = await accountClient(stack.baseUrl).signUp('not-an-email');
    expect(badEmail.status).toBe(400);
    expect(badEmail.json.detail).toMatch(/email/);
    const weak = await accountClient(stack.baseUrl).signUp('weak@example.com', 'short');
    expect(weak.status).toBe(400);
    expect(weak.json.detail).toMatch(/at least 10 characters/);
    expect(weak.headers.getSetCookie()).toEqual([]);
  });

  it('signs in with the right password only; a wrong password and an unknown email look the same', async () => {
    await accountClient(stack.baseUrl).signUp('grace@example.com');
    const wrong = await accountClient(stack.baseUrl).login('grace@example.com', 'not the password');
    const unknown = await accountClient(stack.baseUrl).login('nobody@example.com', PASSWORD);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json.detail).toBe(unknown.json.detail);
    expect(wrong.headers.getSetCookie()).toEqual([]);
    // The local user has no password: it cannot be signed into.
    expect((await accountClient(stack.baseUrl).login('local@localhost', PASSWORD)).status).toBe(401);

    const tab = accountClient(stack.baseUrl);
    const ok = await tab.login('  Grace@Example.com ');
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ email: 'grace@example.com', role: 'candidate' });
    expect((await tab.call('GET', '/api/me')).json).toMatchObject({ email: 'grace@example.com' });
  });

  it('without a cookie a client is the local admin and sees none of an account’s data', async () => {
    const ada = accountClient(stack.baseUrl);
    await ada.signUp('jobs-owner@example.com');
    const job = await ada.call<{ id: string }>('POST', '/api/jobs', JOB);
    expect(job.status).toBe(201);

    const local = accountClient(stack.baseUrl);
    expect((await local.call('GET', '/api/me')).json).toMatchObject({
      id: 'local',
      role: 'admin',
      signedIn: false,
      authMode: 'local',
    });
    expect((await local.call<unknown[]>('GET', '/api/jobs')).text).not.toContain(job.json.id);
    expect((await local.call('GET', `/api/jobs/${job.json.id}`)).status).toBe(404);
    // Its admin powers stop at its own data too.
    const runs = await local.call('GET', '/api/admin/ingestion-runs');
    expect(runs.status).toBe(200);
    expect(runs.text).not.toContain(job.json.id);
    expect((await local.call('POST', `/api/admin/jobs/${job.json.id}/reingest`)).status).toBe(404);
    // And the account sees nothing of the local user's.
    const localJob = await local.call<{ id: string }>('POST', '/api/jobs', JOB);
    expect(localJob.status).toBe(201);
    expect((await ada.call('GET', '/api/jobs')).text).not.toContain(localJob.json.id);
    expect((await ada.call('GET', `/api/jobs/${localJob.json.id}`)).status).toBe(404);
  });

  it('refuses cross-site writes and cookie writes without the CSRF token (403)', async () => {
    const tab = accountClient(stack.baseUrl);
    await tab.signUp('csrf@example.com');
    const cookie = `ih_session=${tab.jar.get('ih_session')}; ih_csrf=${tab.jar.get('ih_csrf')}`;
    const post = (headers: Record<string, string>) =>
      fetch(`${stack.baseUrl}/api/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(JOB),
      });

    expect((await post({ cookie })).status).toBe(403); // no x-csrf-token
    expect((await post({ cookie, 'x-csrf-token': 'guess' })).status).toBe(403);
    const forged = await post({
      cookie,
      'x-csrf-token': tab.jar.get('ih_csrf')!,
      origin: 'https://evil.example',
    });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { detail: string }).detail).toMatch(/cross-site/);
    expect((await post({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // A cross-site page cannot act as the cookie-less local user either.
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ origin: 'null' })).status).toBe(403);

    expect(
      (await post({ cookie, 'x-csrf-token': tab.jar.get('ih_csrf')!, origin: stack.baseUrl })).status,
    ).toBe(201);
    // A script without cookies (the contract smoke test, curl) needs no token.
    expect((await post({})).status).toBe(201);
    // Nothing was created by the refused requests: the account has exactly its one job.
    expect((await tab.call<unknown[]>('GET', '/api/jobs')).json).toHaveLength(1);
  });

  it('signs out this session (204); the old cookie is refused, never taken for the local user', async () => {
    const tab = accountClient(stack.baseUrl);
    await tab.signUp('leaver@example.com');
    const token = tab.jar.get('ih_session')!;
    const out = await tab.call('POST', '/api/auth/logout');
    expect(out.status).toBe(204);
    expect(cookieLine(out, 'ih_session')).toMatch(/Expires=Thu, 01 Jan 1970/i);
    const stale = await fetch(`${stack.baseUrl}/api/me`, { headers: { cookie: `ih_session=${token}` } });
    expect(stale.status).toBe(401);
    const jobs = await fetch(`${stack.baseUrl}/api/jobs`, { headers: { cookie: `ih_session=${token}` } });
    expect(jobs.status).toBe(401);
    // With the cookie gone the tab is the local user again.
    expect((await tab.call('GET', '/api/me')).json).toMatchObject({ id: 'local' });
  });

  it('signs out everywhere: every device of the account loses its session', async () => {
    const laptop = accountClient(stack.baseUrl);
    await laptop.signUp('everywhere@example.com');
    const phone = accountClient(stack.baseUrl);
    expect((await phone.login('everywhere@example.com')).status).toBe(200);
    const other = accountClient(stack.baseUrl);
    await other.signUp('bystander@example.com');

    expect((await phone.call('POST', '/api/auth/logout-all')).status).toBe(204);
    const laptopToken = laptop.jar.get('ih_session')!;
    expect(
      (await fetch(`${stack.baseUrl}/api/me`, { headers: { cookie: `ih_session=${laptopToken}` } })).status,
    ).toBe(401);
    // Another account is untouched.
    expect((await other.call('GET', '/api/me')).json).toMatchObject({ email: 'bystander@example.com' });
    // And signing in again works.
    expect((await laptop.login('everywhere@example.com')).status).toBe(200);
    expect((await laptop.call('GET', '/api/me')).json).toMatchObject({ email: 'everywhere@example.com' });
  });

  it('an expired session is refused', async () => {
    const tab = accountClient(stack.baseUrl);
    const { json } = await tab.signUp('expired@example.com');
    await stack.services.database.db
      .update(authSessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(authSessions.userId, json.id));
    const res = await tab.call('GET', '/api/me');
    expect(res.status).toBe(401);
    expect(res.json.detail).toMatch(/sign in again/);
  });

  it('roles: candidates get 403 on the admin API, reviewers read it, admins change it', async () => {
    const candidate = accountClient(stack.baseUrl);
    await candidate.signUp('cand@example.com');
    const reviewer = accountClient(stack.baseUrl);
    expect((await reviewer.signUp('reader@example.com')).json.role).toBe('reviewer');
    const admin = accountClient(stack.baseUrl);
    expect((await admin.signUp('boss@example.com')).json.role).toBe('admin');

    for (const path of ['/api/admin/ingestion-runs', '/api/admin/coach']) {
      expect((await candidate.call('GET', path)).status, path).toBe(403);
      expect((await reviewer.call('GET', path)).status, path).toBe(200);
      expect((await admin.call('GET', path)).status, path).toBe(200);
    }
    for (const path of ['/api/admin/reingest', '/api/admin/coach/reload']) {
      expect((await candidate.call('POST', path)).status, path).toBe(403);
      expect((await reviewer.call('POST', path)).status, path).toBe(403);
    }
    expect((await admin.call('POST', '/api/admin/coach/reload')).status).toBe(200);
    // An admin sees every account's runs (the jobs-owner's job from above among them).
    const runs = await admin.call<{ jobTitle: string }[]>('GET', '/api/admin/ingestion-runs');
    expect(runs.json.length).toBeGreaterThan(0);
  });
});

describe('AUTH_MODE=accounts (production)', () => {
  let stack: TestStack;
  let idp: { issuer: string; close(): Promise<void> };
  const PUBLIC = 'http://interview-helper.test';

  beforeAll(async () => {
    idp = await startIdentityProvider(`${PUBLIC}/api/auth/oidc/callback`);
    stack = await startStack({
      AUTH_MODE: 'accounts',
      COOKIE_SECURE: 'true',
      RATE_AUTH: '1000/min',
      ADMIN_EMAILS: 'ops@example.com',
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: 'interview-helper',
      OIDC_CLIENT_SECRET: 'a-test-client-secret-of-some-length',
      OIDC_REDIRECT_URI: `${PUBLIC}/api/auth/oidc/callback`,
    });
  });
  afterAll(async () => {
    await stack?.close();
    await idp?.close();
  });

  it('answers 401 without a cookie everywhere but health, metrics, the OpenAPI document and sign-in', async () => {
    const anon = accountClient(stack.baseUrl);
    for (const path of ['/api/me', '/api/jobs', '/api/sessions', '/api/meta', '/api/analytics']) {
      const res = await anon.call('GET', path);
      expect(res.status, path).toBe(401);
      expect(res.type, path).toContain('application/problem+json');
    }
    expect((await anon.call('POST', '/api/jobs', JOB)).status).toBe(401);
    for (const path of ['/healthz', '/metrics', '/api/openapi.json', '/api/auth/config']) {
      expect((await anon.call('GET', path)).status, path).toBe(200);
    }
    expect((await anon.call('GET', '/api/auth/config')).json).toEqual({
      mode: 'accounts',
      password: true,
      oidc: true,
    });
  });

  it('the admin CLI signs in with IH_EMAIL / IH_PASSWORD, and without them is refused', async () => {
    expect((await accountClient(stack.baseUrl).signUp('ops@example.com')).status).toBe(201);
    const cli = (env: Record<string, string>) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', 'runs'], {
          cwd: ROOT,
          env: { ...process.env, IH_BASE: stack.baseUrl, ...env },
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', (code) => resolve({ code: code ?? 1, out }));
      });
    const anonymous = await cli({});
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.out).toMatch(/401/);
    const admin = await cli({ IH_EMAIL: 'ops@example.com', IH_PASSWORD: PASSWORD });
    expect(admin.out).not.toMatch(/40[13]/);
    expect(admin.code).toBe(0);
  });

  it('signs up and in with Secure cookies when COOKIE_SECURE=true', async () => {
    const tab = accountClient(stack.baseUrl);
    const res = await tab.signUp('prod@example.com');
    expect(res.status).toBe(201);
    expect(cookieLine(res, 'ih_session')).toMatch(/;\s*Secure/i);
    expect(cookieLine(res, 'ih_csrf')).toMatch(/;\s*Secure/i);
    expect((await tab.call('GET', '/api/me')).json).toMatchObject({
      email: 'prod@example.com',
      signedIn: true,
      authMode: 'accounts',
    });
    expect((await tab.call('POST', '/api/jobs', JOB)).status).toBe(201);
  });

  it('signs in through the company identity provider (PKCE + state) and creates the account once', async () => {
    const first = await companySignIn(stack.baseUrl, PUBLIC, 'alice');
    expect(first.me).toMatchObject({ email: 'alice@corp.example', role: 'candidate', signedIn: true });
    const again = await companySignIn(stack.baseUrl, PUBLIC, 'alice');
    expect(again.me.id).toBe(first.me.id);
    const [row] = await stack.services.database.db.select().from(users).where(eq(users.id, first.me.id));
    expect(row!.oidcSubject).toBe(`${idp.issuer}#alice`);
    expect(row!.passwordHash).toBeNull();
    // A password sign-in to that account is refused: it has no password.
    expect((await accountClient(stack.baseUrl).login('alice@corp.example', PASSWORD)).status).toBe(401);
  });

  it('refuses a callback with a forged state or without the flow cookie', async () => {
    const tab = accountClient(stack.baseUrl);
    const start = await tab.fetchRaw('/api/auth/oidc/start');
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toBeTruthy();
    const forged = await tab.call('GET', '/api/auth/oidc/callback?code=abc&state=forged');
    expect(forged.status).toBe(400);
    expect(forged.json.detail).toMatch(/company sign-in failed/);
    const noFlow = await accountClient(stack.baseUrl).call('GET', '/api/auth/oidc/callback?code=abc&state=x');
    expect(noFlow.status).toBe(400);
    expect(noFlow.headers.getSetCookie().some((c) => c.startsWith('ih_session='))).toBe(false);
  });
});

/** A real OpenID provider (oidc-provider, its development login and consent pages) on 127.0.0.1. */
async function startIdentityProvider(redirectUri: string) {
  let handle: http.RequestListener = (_req, res) => res.end();
  const server = http.createServer((req, res) => handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'interview-helper',
        client_secret: 'a-test-client-secret-of-some-length',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: `${id}@corp.example`, email_verified: true }),
    }),
    cookies: { keys: ['a-test-cookie-key'] },
  });
  handle = provider.callback() as http.RequestListener;
  return {
    issuer,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * Drives the code flow as a browser would: the app's start route, the provider's login and consent
 * forms, then the redirect back. The redirect URI is the public address (as behind a proxy): the test
 * plays the proxy and sends the callback to the app.
 */
async function companySignIn(baseUrl: string, publicOrigin: string, login: string) {
  const app = accountClient(baseUrl);
  const idpCookies = new Map<string, string>();
  const idpFetch = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...idpCookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const i = pair.indexOf('=');
      idpCookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  };

  const start = await app.fetchRaw('/api/auth/oidc/start');
  expect(start.status).toBe(302);
  let url = start.headers.get('location')!;
  for (let hop = 0; hop < 20; hop++) {
    if (url.startsWith(publicOrigin)) break;
    const res = await idpFetch(url);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
      continue;
    }
    const page = await res.text();
    expect(res.status, page).toBe(200);
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    const form = new URLSearchParams({ prompt: prompt ?? 'consent' });
    if (prompt === 'login') {
      form.set('login', login);
      form.set('password', 'any');
    }
    const posted = await idpFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(posted.status).toBeGreaterThanOrEqual(300);
    url = new URL(posted.headers.get('location')!, url).href;
  }
  expect(url.startsWith(`${publicOrigin}/api/auth/oidc/callback?`)).toBe(true);
  const back = await app.fetchRaw(url.slice(publicOrigin.length));
  expect(back.status, await back.clone().text()).toBe(302);
  expect(back.headers.get('location')).toBe('/');
  const me = await app.call<{ id: string; email: string; role: string; signedIn: boolean }>('GET', '/api/me');
  expect(me.status).toBe(200);
  return { me: me.json };
}
