// Secrets: read only from the environment or mounted files, and never written to a log. The real stack runs
// as two processes (server/serve.ts api and worker) over PostgreSQL, with a canary API key for a FAKE
// OpenAI-compatible model server (a hosted LLM cannot run here), a database URL with a canary password, and
// accounts with a canary password; every line both processes print is captured and searched.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig, SECRET_VARIABLES } from '../../core/config.js';
import { readSse } from '../../core/sse.js';
import { ANSWER, JOB } from '../support/client.js';
import { freePort, ROOT, stopChild, tempDir, waitFor } from '../support/processes.js';
import { startGullibleLlm, type GullibleServer } from './support/gullible-llm.js';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const tag = randomUUID().replaceAll('-', '').slice(0, 12);
const API_KEY = `sk-canary-${randomUUID()}`;
const DB_PASSWORD = `dbpw-canary-${randomUUID()}`;
const USER_PASSWORD = `pw-canary-${randomUUID()}`;
const CANARIES = {
  'the LLM API key': API_KEY,
  'the database password': DB_PASSWORD,
  "a user's password": USER_PASSWORD,
};

describe('secrets come from the environment or mounted files', () => {
  const dir = tempDir('secrets-config');

  it('reads <NAME>_FILE for every secret, without the final newline', () => {
    // SMTP_URL must be a mail server's URL (it holds the SMTP password).
    const valueOf = (name: string) =>
      name === 'SMTP_URL' ? 'smtp://smtp_url-from-file' : `${name.toLowerCase()}-from-file`;
    const env: Record<string, string> = {};
    for (const name of SECRET_VARIABLES) {
      const file = path.join(dir, name);
      writeFileSync(file, `${valueOf(name)}\n`);
      env[`${name}_FILE`] = file;
    }
    const config = loadConfig({
      ...env,
      MAIL_FROM: 'coach@example.com',
      OIDC_ISSUER: 'https://id.example',
      OIDC_CLIENT_ID: 'c',
      OIDC_REDIRECT_URI: 'https://x/cb',
    });
    expect(config.LLM_API_KEY).toBe('llm_api_key-from-file');
    expect(config.DATABASE_URL).toBe('database_url-from-file');
    for (const name of SECRET_VARIABLES) expect(config[name]).toBe(valueOf(name));
  });

  it('refuses a secret set both ways, and names an unreadable file without its contents', () => {
    const file = path.join(dir, 'key');
    writeFileSync(file, API_KEY);
    expect(() => loadConfig({ LLM_API_KEY: 'x', LLM_API_KEY_FILE: file })).toThrow(
      /LLM_API_KEY or LLM_API_KEY_FILE, not both/,
    );
    expect(() => loadConfig({ DATABASE_URL_FILE: path.join(dir, 'missing') })).toThrow(
      /DATABASE_URL_FILE: cannot read .*missing \(ENOENT\)/,
    );
  });
});

interface Proc {
  child: ChildProcess;
  log: string;
}

const logDir = tempDir('secrets-logs');
const dbName = `ih_secrets_${tag}`;
const role = `ih_secrets_${tag}`;
let llm: GullibleServer;
let api: Proc | undefined;
let worker: Proc | undefined;
let baseUrl = '';

function start(which: 'api' | 'worker', env: Record<string, string>, port: number): Proc {
  const log = path.join(logDir, `${which}.log`);
  const out = openSync(log, 'a');
  // Only what the test sets: nothing secret is inherited from this process by accident.
  const { PATH, HOME } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/serve.ts', which], {
    cwd: ROOT,
    env: { PATH, HOME, ...env, PORT: String(port) },
    stdio: ['ignore', out, out],
  });
  return { child, log };
}

/** A browser-like client: keeps the session and CSRF cookies and echoes the CSRF token. */
function cookieClient(url: string) {
  const jar = new Map<string, string>();
  async function call(method: string, route: string, body?: string | object) {
    const headers: Record<string, string> = { 'content-type': 'application/json', origin: url };
    if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (jar.has('ih_csrf')) headers['x-csrf-token'] = jar.get('ih_csrf')!;
    const res = await fetch(url + route, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = pair!.split('=');
      jar.set(k!.trim(), v.join('='));
    }
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      /* not JSON */
    }
    return { status: res.status, json };
  }
  /** Reads the session's SSE stream, answering the question, until feedback arrives. */
  async function practise(sessionId: string, answer: string): Promise<string[]> {
    const seen: string[] = [];
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), 120_000);
    try {
      const res = await fetch(`${url}/api/sessions/${sessionId}/events`, {
        headers: { accept: 'text/event-stream', cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
        signal: ctl.signal,
      });
      for await (const item of readSse(res.body)) {
        if (item.kind !== 'event' || !item.data) continue;
        const event = JSON.parse(item.data) as { type: string; turnId?: string };
        seen.push(event.type);
        if (event.type === 'question')
          void call('POST', `/api/sessions/${sessionId}/answers`, { text: answer, turnId: event.turnId });
        if (event.type === 'feedback') return seen;
      }
      return seen;
    } finally {
      clearTimeout(timer);
      ctl.abort();
    }
  }
  return { call, practise };
}

describe('nothing secret in the logs of a run', () => {
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${DB_PASSWORD}'`);
    await admin.query(`CREATE DATABASE ${dbName} OWNER ${role}`);
    await admin.end();
    llm = await startGullibleLlm();
    const databaseUrl = new URL(ADMIN_URL);
    databaseUrl.username = role;
    databaseUrl.password = DB_PASSWORD;
    databaseUrl.pathname = `/${dbName}`;
    // The worker reads both secrets from mounted files, the API from the environment.
    const secrets = tempDir('secrets-mounted');
    writeFileSync(path.join(secrets, 'llm_api_key'), `${API_KEY}\n`);
    writeFileSync(path.join(secrets, 'database_url'), `${databaseUrl.toString()}\n`);
    const common = {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      CHROMA_URL: inject('chromaUrl'),
      TEMPORAL_TASK_QUEUE: `secrets-${tag}`,
      LLM_BASE_URL: llm.baseUrl,
      LLM_MODEL: 'gullible-fake',
      EMBEDDINGS_PROVIDER: 'hashing',
      TTS_PROVIDER: 'espeak',
      ASR_PROVIDER: 'pocketsphinx',
      AUTH_MODE: 'accounts',
      BLOBS_DIR: tempDir('secrets-blobs'),
      DATA_DIR: tempDir('secrets-data'),
      // The most talkative level: whatever the code logs at all is in the capture.
      LOG_LEVEL: 'trace',
    };
    const apiPort = await freePort();
    api = start('api', { ...common, LLM_API_KEY: API_KEY, DATABASE_URL: databaseUrl.toString() }, apiPort);
    baseUrl = `http://127.0.0.1:${apiPort}`;
    await waitFor('the API', async () => (await fetch(`${baseUrl}/healthz`)).ok, 90_000, api.log);
    worker = start(
      'worker',
      {
        ...common,
        LLM_API_KEY_FILE: path.join(secrets, 'llm_api_key'),
        DATABASE_URL_FILE: path.join(secrets, 'database_url'),
      },
      await freePort(),
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.all([api && stopChild(api.child), worker && stopChild(worker.child)]);
    await llm?.close();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });

  it('a run with sign-up, sign-in, mistakes, a job and a model-coached answer logs no key or password', async () => {
    const client = cookieClient(baseUrl);
    const email = `secrets-${tag}@example.com`;
    // Mistakes first: a malformed body holding the password, a wrong password, an unknown account.
    expect(
      (await client.call('POST', '/api/auth/signup', `{"email":"${email}","password":"${USER_PASSWORD}"`))
        .status,
    ).toBe(400);
    expect((await client.call('POST', '/api/auth/login', { email, password: USER_PASSWORD })).status).toBe(
      401,
    );
    expect((await client.call('POST', '/api/auth/signup', { email, password: USER_PASSWORD })).status).toBe(
      201,
    );
    expect(
      (await client.call('POST', '/api/auth/login', { email, password: `${USER_PASSWORD}-wrong` })).status,
    ).toBe(401);
    expect((await client.call('POST', '/api/auth/login', { email, password: USER_PASSWORD })).status).toBe(
      200,
    );

    const job = await client.call('POST', '/api/jobs', JOB);
    expect(job.status).toBe(201);
    const jobId = job.json.id as string;
    await waitFor(
      'the job to be indexed',
      async () => {
        const j = await client.call('GET', `/api/jobs/${jobId}`);
        return (j.json.ingestion as { status: string }).status === 'ready';
      },
      90_000,
      worker!.log,
    );
    const session = await client.call('POST', '/api/sessions', {
      jobId,
      module: 'behavioral',
      mode: 'text',
      rounds: 1,
    });
    expect(session.status).toBe(201);
    const events = await client.practise(session.json.id as string, ANSWER);
    expect(events).toContain('feedback');

    // The key did reach the model, from the worker's mounted file: the fake saw it on every request.
    expect(llm.requests.length).toBeGreaterThan(3);
    for (const r of llm.requests) expect(r.authorization).toBe(`Bearer ${API_KEY}`);

    await Promise.all([stopChild(api!.child), stopChild(worker!.child)]);
    const logs = { api: readFileSync(api!.log, 'utf8'), worker: readFileSync(worker!.log, 'utf8') };
    // The capture is real: request lines from the API, the worker's start, trace-level lines.
    expect(logs.api.split('\n').length).toBeGreaterThan(20);
    expect(logs.api).toMatch(/"url":"\/api\/auth\/login"/);
    expect(logs.worker).toMatch(/worker running/);
    for (const [process, text] of Object.entries(logs))
      for (const [what, canary] of Object.entries(CANARIES))
        expect(text.includes(canary), `${what} appears in the ${process} log`).toBe(false);
  }, 300_000);
});
