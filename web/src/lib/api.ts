// The one typed client for the Interview Helper HTTP API (see shared/API.md).
// Same origin: every call uses a relative `/api/...` URL and the session cookie.

export type Seniority = 'entry' | 'mid' | 'senior' | 'staff';
export const SENIORITIES: readonly Seniority[] = ['entry', 'mid', 'senior', 'staff'];
/** How hard the questions of a session are: a seniority level. */
export type Difficulty = Seniority;
export type IngestionState = 'pending' | 'running' | 'ready' | 'failed';
export type PracticeModule = 'behavioral' | 'technical' | 'culture' | 'mixed';
export type PracticeMode = 'text' | 'voice';
/** Who interviews: how questions are worded and how readily a vague answer gets a follow-up. */
export type Persona = 'friendly' | 'neutral' | 'tough';
export const PERSONAS: readonly Persona[] = ['friendly', 'neutral', 'tough'];
export type SessionStatus = 'active' | 'awaiting_answer' | 'coaching' | 'reviewing' | 'completed';
export type DocumentKind = 'jd' | 'resume' | 'company' | 'notes';

export interface Ingestion {
  status: IngestionState;
  chunks: number;
  error?: string;
}

export interface Job {
  id: string;
  title: string;
  company: string;
  seniority?: Seniority | string;
  createdAt?: string;
  ingestion: Ingestion;
}

export interface JobInput {
  title: string;
  company: string;
  seniority?: Seniority;
  description: string;
  resume?: string;
  notes?: string;
}

/** PATCH /api/jobs/:id: only the fields sent change; an empty resume or notes removes that text. */
export type JobUpdate = Partial<Omit<JobInput, 'seniority'>> & { seniority?: Seniority | null };

export type IngestionStage = 'queued' | 'parsing' | 'chunking' | 'embedding' | 'indexed' | 'failed';

export interface JobDocument {
  id: string;
  name: string;
  kind: DocumentKind | string;
  /** Pasted text (edited on the job's page) or an uploaded file. */
  source?: 'pasted' | 'upload';
  status: IngestionState;
  stage?: IngestionStage;
  error?: string;
  chunks: number;
  sizeBytes?: number;
  format?: string;
  createdAt?: string;
}

/** One document with its extracted text: what a citation opens. */
export interface DocumentDetail {
  id: string;
  jobId: string;
  name: string;
  kind: DocumentKind | string;
  status: IngestionState;
  text: string | null;
}

export interface Me {
  id: string;
  email: string;
  role: 'admin' | 'reviewer' | 'candidate' | string;
  /** True for a signed-in account; false for the embedded default's local user (no cookie). */
  signedIn?: boolean;
  authMode?: 'local' | 'accounts';
}

/** What the sign-in page offers (GET /api/auth/config, public). */
export interface AuthConfig {
  mode: 'local' | 'accounts';
  password: boolean;
  oidc: boolean;
}

export interface Credentials {
  email: string;
  password: string;
}

/**
 * The CSRF header for a state-changing request: the server's double-submit check wants the readable
 * `ih_csrf` cookie echoed back (absent without an account: the local user needs none).
 */
export function csrfHeaders(): Record<string, string> {
  if (typeof document === 'undefined') return {};
  const match = /(?:^|;\s*)ih_csrf=([^;]+)/.exec(document.cookie);
  return match ? { 'x-csrf-token': decodeURIComponent(match[1]!) } : {};
}

export type IngestionRunKind = 'initial' | 'upload' | 'edit' | 'reindex';
export type IngestionRunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface IngestionRun {
  id: string;
  jobId: string;
  jobTitle: string;
  requestedBy: string;
  kind: IngestionRunKind;
  status: IngestionRunStatus;
  documents: number;
  documentsDone: number;
  documentsFailed: number;
  chunks: number;
  embedder: string;
  chunkSize: number;
  chunkOverlap: number;
  indexVersion: number;
  errors: string[];
  startedAt: string;
  finishedAt: string | null;
  durationMs: number;
}

/** The coach's prompt/model version (GET /api/admin/coach); fields beyond `version` may be absent. */
export interface CoachVersion {
  version: string;
  source?: 'repo' | 'registry' | 'mlflow' | string;
  registryVersion?: string | null;
  mode?: 'offline' | 'model' | string;
  model?: string | null;
  temperature?: number | null;
  loadedAt?: string;
  warning?: string | null;
}

/** One version of the registered model "coach" in MLflow (GET /api/admin/coach/versions). */
export interface CoachRegistryVersion {
  registryVersion: string;
  /** The prompt set's name, e.g. coach-prompts@2; null when the version's tag is invalid. */
  version: string | null;
  model: string | null;
  temperature: number | null;
  aliases: string[];
  created: string | null;
  error: string | null;
}

export interface CoachRegistry {
  /** False without MLFLOW_TRACKING_URI: the repo's prompt file runs and versions cannot move. */
  configured: boolean;
  versions: CoachRegistryVersion[];
  /** The version a rollback returns to. */
  previous: string | null;
}

/** A promote or rollback: the alias moved from one version to another; `running` is what the app now runs. */
export interface CoachMove {
  from: string | null;
  to: string;
  running: CoachVersion;
}

/** GET /readyz: 200 when every dependency answers, else 503 with the same `checks`. */
export interface Readiness {
  ready: boolean;
  checks: Record<string, string>;
  detail?: string;
}

export interface ReindexAllResult {
  runs: { jobId: string; runId?: string; error?: string }[];
}

export interface Citation {
  documentId: string;
  chunkId: string;
  kind: DocumentKind | string;
  text: string;
}

export interface SearchResult extends Citation {
  score: number;
}

export type ScoreKey = 'star' | 'clarity' | 'impact' | 'conciseness' | 'relevance';
export const SCORE_KEYS: readonly ScoreKey[] = ['star', 'clarity', 'impact', 'conciseness', 'relevance'];
export type Scores = Record<ScoreKey, number>;

export interface Feedback {
  turnId?: string;
  scores: Scores;
  reasons?: Partial<Record<ScoreKey, string>>;
  strengths: string[];
  gaps: string[];
  /** The coach's critique in prose (an extension of the contract's feedback event). */
  critique?: string;
  /** Each STAR part quoted from the answer, null where missing (an extension of the contract's event). */
  starParts?: Record<'situation' | 'task' | 'action' | 'result', string | null>;
  rewrite: string;
  drill: string;
  citations: Citation[];
  /** How a voice answer was spoken (voice answers only). */
  speech?: SpeechMetrics;
}

/** Delivery of a voice answer (core/types.ts SpeechMetrics). */
export interface SpeechMetrics {
  durationSec: number;
  words: number;
  /** Words per minute; the target band is 130-160. */
  wpm: number;
  fillerCount: number;
  fillersPerMin: number;
  /** Most frequent first. */
  fillers: { word: string; count: number }[];
  /** Indexes into the transcript split on whitespace. */
  fillerWordIndexes: number[];
  /** Silences of 2 s or more: after which word (index) and how long. */
  longPauses: { afterWord: number; seconds: number }[];
}

export interface Turn {
  id: string;
  round: number;
  question: string;
  retryOf?: string;
  /** A follow-up probe of this earlier turn's answer. */
  probeOf?: string;
  answer?: string;
  feedback?: Feedback;
  citations?: Citation[];
}

/** The end-of-session summary (GET /api/sessions/:id, once the session is completed). */
export interface Debrief {
  scores: Scores;
  strengths: string[];
  gaps: string[];
  drills: string[];
  answered: number;
}

export interface Session {
  id: string;
  status: SessionStatus;
  round: number;
  rounds?: number;
  module?: PracticeModule;
  mode?: PracticeMode;
  difficulty?: Difficulty;
  persona?: Persona;
  jobId?: string;
  turns: Turn[];
  debrief?: Debrief;
  /** Hands-free: the session moves to the next round by itself after feedback. */
  autoAdvance?: boolean;
}

export interface SessionSummary {
  id: string;
  jobId: string;
  jobTitle?: string;
  company?: string;
  module: PracticeModule;
  mode: PracticeMode;
  rounds: number;
  status: SessionStatus;
  round: number;
  createdAt?: string;
}

// ---- analytics (GET /api/analytics) ----
export interface AnalyticsSession {
  id: string;
  jobId: string;
  jobTitle: string;
  module: PracticeModule;
  createdAt: string;
  completed: boolean;
  /** Mean of the session's final attempts, 1 decimal; null before any coached answer. */
  scores: Scores | null;
}
export interface CompetencyStat {
  competency: string;
  answers: number;
  /** Average of the 5 scores per answer. */
  average: number;
}
export interface ModuleStat {
  module: PracticeModule;
  sessions: number;
  average: number | null;
}
export interface Analytics {
  /** Oldest first. */
  sessions: AnalyticsSession[];
  dimensions: Record<ScoreKey, number | null>;
  competencies: CompetencyStat[];
  modules: ModuleStat[];
  weakest: { dimensions: string[]; competencies: string[] };
  streak: { days: number; thisWeek: number };
  nextDrill: string | null;
}
export interface AnalyticsFilter {
  jobId?: string;
  module?: PracticeModule;
}

export interface SessionInput {
  jobId: string;
  module: PracticeModule;
  mode: PracticeMode;
  rounds: number;
  autoAdvance?: boolean;
  difficulty?: Difficulty;
  /** Default neutral. */
  persona?: Persona;
}

export interface Meta {
  coach: { mode: 'offline' | 'model'; model: string | null };
  embeddings: { model: string };
}

// ---- session events (SSE `data:` payloads) ----
export interface NodeEvent {
  type: 'node';
  node: string;
  status: 'start' | 'end';
}
export interface TokenEvent {
  type: 'token';
  node: string;
  text: string;
}
export interface QuestionEvent {
  type: 'question';
  turnId: string;
  text: string;
  citations?: Citation[];
  /** Not in the v1 contract; used when the server sends it. */
  retryOf?: string;
  /** Not in the v1 contract: a follow-up probe of this earlier turn's answer. */
  probeOf?: string;
  /** Not in the v1 contract; used when the server sends it. */
  round?: number;
}
export interface TranscriptEvent {
  type: 'transcript';
  turnId: string;
  text: string;
}
export interface FeedbackEvent extends Feedback {
  type: 'feedback';
  turnId: string;
}
export interface StateEvent {
  type: 'state';
  status: SessionStatus;
  round: number;
}
export interface ErrorEvent {
  type: 'error';
  message: string;
  retryable: boolean;
}
/** A retried model call: partial output of `node` (or all partial output) should be dropped. */
export interface RetryEvent {
  type: 'retry';
  node?: string;
}
export type SessionEvent =
  | NodeEvent
  | TokenEvent
  | QuestionEvent
  | TranscriptEvent
  | FeedbackEvent
  | StateEvent
  | ErrorEvent
  | RetryEvent;

// ---- errors ----

/** An application/problem+json error (or a network failure, status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly type: string;

  constructor(status: number, title: string, detail: string, type = 'about:blank') {
    super(detail || title || `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.type = type;
  }
}

/** The text to show the user for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.detail || err.title || err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

async function toApiError(res: Response): Promise<ApiError> {
  let title = res.statusText || 'Request failed';
  let detail = '';
  let type = 'about:blank';
  try {
    const text = await res.text();
    if (text) {
      try {
        const body: unknown = JSON.parse(text);
        if (body && typeof body === 'object') {
          const p = body as Record<string, unknown>;
          if (typeof p.title === 'string') title = p.title;
          if (typeof p.detail === 'string') detail = p.detail;
          else if (typeof p.message === 'string') detail = p.message;
          if (typeof p.type === 'string') type = p.type;
        }
      } catch {
        detail = text.slice(0, 300);
      }
    }
  } catch {
    // body unreadable: keep the status text
  }
  return new ApiError(res.status, title, detail || `${title} (${res.status})`, type);
}

/** The problem carried by an XMLHttpRequest's response (uploads report progress, so they use XHR). */
function xhrError(xhr: XMLHttpRequest): ApiError {
  let title = xhr.statusText || 'Request failed';
  let detail = '';
  let type = 'about:blank';
  try {
    const body: unknown = JSON.parse(xhr.responseText);
    if (body && typeof body === 'object') {
      const p = body as Record<string, unknown>;
      if (typeof p.title === 'string') title = p.title;
      if (typeof p.detail === 'string') detail = p.detail;
      else if (typeof p.message === 'string') detail = p.message;
      if (typeof p.type === 'string') type = p.type;
    }
  } catch {
    detail = xhr.responseText.slice(0, 300);
  }
  return new ApiError(xhr.status, title, detail || `${title} (${xhr.status})`, type);
}

export interface UploadHandle {
  /** Resolves with the accepted document, rejects with an ApiError (the server's problem). */
  done: Promise<{ documentId: string; status: 'pending' }>;
  abort(): void;
}

/** Uploads one file as multipart `file` + `kind`, reporting progress as a fraction 0..1. */
export function uploadDocument(
  jobId: string,
  file: File,
  kind: DocumentKind,
  onProgress: (fraction: number) => void,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<{ documentId: string; status: 'pending' }>((resolve, reject) => {
    xhr.open('POST', `/api/jobs/${encodeURIComponent(jobId)}/documents`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        try {
          resolve(JSON.parse(xhr.responseText) as { documentId: string; status: 'pending' });
        } catch {
          reject(
            new ApiError(xhr.status, 'Bad response', 'The server accepted the file but sent no document id'),
          );
        }
      } else reject(xhrError(xhr));
    };
    xhr.onerror = () =>
      reject(new ApiError(0, 'Network error', 'Cannot reach the server: the upload failed'));
    xhr.onabort = () => reject(new ApiError(0, 'Cancelled', 'The upload was cancelled'));
    const form = new FormData();
    // Text fields first, so the server has `kind` by the time the file arrives.
    form.append('kind', kind);
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

/** A recorded voice answer as the multipart form `POST /api/sessions/:id/audio` takes (`file` + `turnId`). */
function audioForm(audio: Blob, turnId?: string): FormData {
  const form = new FormData();
  if (turnId) form.append('turnId', turnId);
  const type = audio.type.split(';')[0] ?? '';
  const ext = type.includes('ogg')
    ? 'ogg'
    : type.includes('mp4')
      ? 'm4a'
      : type.includes('wav')
        ? 'wav'
        : 'webm';
  form.append('file', audio, `answer.${ext}`);
  return form;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json, application/problem+json',
      ...(method === 'GET' ? {} : csrfHeaders()),
    },
  };
  if (body instanceof FormData) {
    init.body = body; // the browser sets the multipart content-type with its boundary
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, 'Network error', `Cannot reach the server: ${errorMessage(err)}`);
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const enc = encodeURIComponent;

export const api = {
  meta: () => request<Meta>('GET', '/api/meta'),
  me: () => request<Me>('GET', '/api/me'),
  authConfig: () => request<AuthConfig>('GET', '/api/auth/config'),
  signUp: (input: Credentials) => request<Me>('POST', '/api/auth/signup', input),
  signIn: (input: Credentials) => request<Me>('POST', '/api/auth/login', input),
  signOut: () => request<void>('POST', '/api/auth/logout'),
  signOutEverywhere: () => request<void>('POST', '/api/auth/logout-all'),

  listJobs: () => request<Job[]>('GET', '/api/jobs'),
  getJob: (id: string) => request<Job>('GET', `/api/jobs/${enc(id)}`),
  createJob: (input: JobInput) => request<Job>('POST', '/api/jobs', input),
  updateJob: (id: string, input: JobUpdate) => request<Job>('PATCH', `/api/jobs/${enc(id)}`, input),
  deleteJob: (id: string) => request<void>('DELETE', `/api/jobs/${enc(id)}`),
  listDocuments: (jobId: string) => request<JobDocument[]>('GET', `/api/jobs/${enc(jobId)}/documents`),
  getDocument: (jobId: string, documentId: string) =>
    request<DocumentDetail>('GET', `/api/jobs/${enc(jobId)}/documents/${enc(documentId)}`),
  search: (jobId: string, q: string, k = 5) =>
    request<{ results: SearchResult[] }>('GET', `/api/jobs/${enc(jobId)}/search?q=${enc(q)}&k=${k}`),

  listSessions: () => request<SessionSummary[]>('GET', '/api/sessions'),
  createSession: (input: SessionInput) => request<{ id: string }>('POST', '/api/sessions', input),
  getSession: (id: string) => request<Session>('GET', `/api/sessions/${enc(id)}`),
  submitAnswer: (id: string, text: string, turnId?: string) =>
    request<{ turnId: string }>('POST', `/api/sessions/${enc(id)}/answers`, { text, turnId }),
  retry: (id: string) => request<{ turnId: string }>('POST', `/api/sessions/${enc(id)}/retry`),
  next: (id: string) => request<unknown>('POST', `/api/sessions/${enc(id)}/next`),
  end: (id: string) => request<unknown>('POST', `/api/sessions/${enc(id)}/end`),

  analytics: (filter: AnalyticsFilter = {}) => {
    const q = new URLSearchParams();
    if (filter.jobId) q.set('jobId', filter.jobId);
    if (filter.module) q.set('module', filter.module);
    const qs = q.toString();
    return request<Analytics>('GET', `/api/analytics${qs ? `?${qs}` : ''}`);
  },

  // ---- admin ----
  listIngestionRuns: (opts: { jobId?: string; limit?: number } = {}) => {
    const q = new URLSearchParams();
    if (opts.jobId) q.set('jobId', opts.jobId);
    if (opts.limit) q.set('limit', String(opts.limit));
    const qs = q.toString();
    return request<IngestionRun[]>('GET', `/api/admin/ingestion-runs${qs ? `?${qs}` : ''}`);
  },
  reingestJob: (jobId: string) =>
    request<{ runId: string }>('POST', `/api/admin/jobs/${enc(jobId)}/reingest`),
  reingestAll: () => request<ReindexAllResult>('POST', '/api/admin/reingest'),
  coachVersion: () => request<CoachVersion>('GET', '/api/admin/coach'),
  reloadCoach: () => request<CoachVersion>('POST', '/api/admin/coach/reload'),
  coachVersions: () => request<CoachRegistry>('GET', '/api/admin/coach/versions'),
  promoteCoach: (version: string) => request<CoachMove>('POST', '/api/admin/coach/promote', { version }),
  rollbackCoach: () => request<CoachMove>('POST', '/api/admin/coach/rollback'),
  readiness: async (): Promise<Readiness> => {
    let res: Response;
    try {
      res = await fetch('/readyz', {
        credentials: 'same-origin',
        headers: { accept: 'application/json, application/problem+json' },
      });
    } catch (err) {
      throw new ApiError(0, 'Network error', `Cannot reach the server: ${errorMessage(err)}`);
    }
    let body: { checks?: Record<string, string>; detail?: string } = {};
    try {
      body = (await res.json()) as typeof body;
    } catch {
      // no JSON body: report the status alone
    }
    if (!res.ok && res.status !== 503) throw new ApiError(res.status, res.statusText, body.detail ?? '');
    return { ready: res.ok, checks: body.checks ?? {}, detail: body.detail };
  },
  cancelRun: (runId: string) => request<unknown>('POST', `/api/admin/ingestion-runs/${enc(runId)}/cancel`),

  // ---- voice ----
  /**
   * Uploads a recorded voice answer: 202 `{ turnId }`, or the server's problem (413 too long or big,
   * 415 not audio, 422 corrupt or no speech heard); the session then still awaits the same question.
   */
  submitAudio: (id: string, audio: Blob, turnId?: string) =>
    request<{ turnId: string }>('POST', `/api/sessions/${enc(id)}/audio`, audioForm(audio, turnId)),
  /** The spoken audio (audio/wav, streamed) of one sentence. */
  ttsUrl: (text: string) => `/api/tts?text=${enc(text)}`,
  /** The candidate's recording of a voice answer. */
  turnAudioUrl: (id: string, turnId: string) => `/api/sessions/${enc(id)}/turns/${enc(turnId)}/audio`,
  deleteTurnAudio: (id: string, turnId: string) =>
    request<unknown>('DELETE', `/api/sessions/${enc(id)}/turns/${enc(turnId)}/audio`),

  eventsUrl: (id: string, lastEventId?: number) =>
    `/api/sessions/${enc(id)}/events` + (lastEventId && lastEventId > 0 ? `?lastEventId=${lastEventId}` : ''),
};
