// The one typed client for the Interview Helper HTTP API (see shared/API.md).
// Same origin: every call uses a relative `/api/...` URL and the session cookie.

export type Seniority = 'entry' | 'mid' | 'senior' | 'staff';
export type IngestionState = 'pending' | 'running' | 'ready' | 'failed';
export type PracticeModule = 'behavioral' | 'technical' | 'culture' | 'mixed';
export type PracticeMode = 'text' | 'voice';
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

export interface JobDocument {
  id: string;
  name: string;
  kind: DocumentKind | string;
  status: IngestionState;
  error?: string;
  chunks: number;
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
  rewrite: string;
  drill: string;
  citations: Citation[];
}

export interface Turn {
  id: string;
  round: number;
  question: string;
  retryOf?: string;
  answer?: string;
  feedback?: Feedback;
  citations?: Citation[];
}

export interface Session {
  id: string;
  status: SessionStatus;
  round: number;
  rounds?: number;
  module?: PracticeModule;
  mode?: PracticeMode;
  jobId?: string;
  turns: Turn[];
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

export interface SessionInput {
  jobId: string;
  module: PracticeModule;
  mode: PracticeMode;
  rounds: number;
  autoAdvance?: boolean;
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

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers: { accept: 'application/json, application/problem+json' },
  };
  if (body !== undefined) {
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

  listJobs: () => request<Job[]>('GET', '/api/jobs'),
  getJob: (id: string) => request<Job>('GET', `/api/jobs/${enc(id)}`),
  createJob: (input: JobInput) => request<Job>('POST', '/api/jobs', input),
  listDocuments: (jobId: string) => request<JobDocument[]>('GET', `/api/jobs/${enc(jobId)}/documents`),
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
  eventsUrl: (id: string, lastEventId?: number) =>
    `/api/sessions/${enc(id)}/events` + (lastEventId && lastEventId > 0 ? `?lastEventId=${lastEventId}` : ''),
};
