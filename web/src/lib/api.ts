// The one typed client for the Interview Helper HTTP API (see shared/API.md).
// Same origin: every call uses a relative `/api/...` URL and the session cookie.
// Every request, response and event type comes from the contract ($contract = ../contract): none is
// written here, so the client cannot drift from what the API validates and sends.
import type {
  AnswerInput,
  Analytics,
  AnalyticsFilter,
  AuthConfig,
  CoachMove,
  CoachRegistry,
  CoachVersion,
  Created,
  Credentials,
  DocumentDetail,
  DocumentKind,
  IngestionRun,
  Job,
  JobDocument,
  JobInput,
  JobUpdate,
  JudgementMove,
  JudgementRegistry,
  Me,
  Meta,
  PanelTemplateBody,
  PanelTemplateEntry,
  ReindexAllResult,
  ReindexStarted,
  RoundMoved,
  SearchResult,
  Seniority,
  Session,
  SessionInput,
  SessionSummary,
  TurnAccepted,
  SegmentAccepted,
  FinishAudio,
  UploadAccepted,
  Cohort,
  CommentMarksInput,
  CommentReply,
  ReviewCalibration,
  ReviewClaim,
  ReviewCommentView,
  ReviewList,
  ReviewNotices,
  ReviewRequestCreated,
  ReviewRequestInput,
  ReviewRequestView,
  ReviewSubmissionInput,
  ReviewerView,
  ShareOpened,
} from '$contract';

// Run-time values come from the zod-free modules, so the browser bundle carries no schemas.
export { MAX_ROUNDS, MIN_ROUNDS } from '$contract/limits';
export {
  DECISION_RULES,
  LEAN_NAMES,
  PANEL_ROLE_NAMES,
  PANEL_ROLES,
  PANEL_VOICES,
  PERSONAS,
  ROLE_FAMILIES,
  SCORE_DIMENSIONS,
  SENIORITIES,
} from '$contract/words';
export { RUBRIC } from '$contract/rubric';
export type {
  Analytics,
  AnalyticsFilter,
  AnalyticsSession,
  AuthConfig,
  Citation,
  CoachMove,
  CoachRegistry,
  CoachRegistryVersion,
  CoachVersion,
  CompetencyStat,
  JudgementMove,
  JudgementRegistry,
  Credentials,
  Debrief,
  DocumentDetail,
  DocumentKind,
  ErrorEvent,
  Feedback,
  FeedbackEvent,
  Ingestion,
  IngestionRun,
  IngestionRunKind,
  IngestionRunStatus,
  IngestionStage,
  IngestionStatus,
  Job,
  JobDocument,
  JobInput,
  JobUpdate,
  Me,
  MeanScores,
  Meta,
  Mode,
  Module,
  ModuleStat,
  NodeEvent,
  PanelDebrief,
  PanelistRef,
  PanelScorecard,
  PanelTemplateBody,
  PanelTemplateEntry,
  Persona,
  QuestionEvent,
  ReindexAllResult,
  ScoreDimension,
  Scores,
  SearchResult,
  Seniority,
  Session,
  SessionEvent,
  SessionInput,
  SessionPanel,
  SessionStatus,
  SessionSummary,
  SpeechMetrics,
  StateEvent,
  TokenEvent,
  TranscriptEvent,
  Turn,
  TurnAccepted,
  Cohort,
  CommentReply,
  ReviewCalibration,
  ReviewComment,
  ReviewCommentView,
  ReviewEvent,
  ReviewList,
  ReviewRequestInput,
  ReviewRequestSummary,
  ReviewRequestView,
  ReviewScores,
  ReviewStatus,
  ReviewSubmissionInput,
  ReviewerView,
  SubmittedReviewView,
} from '$contract';

/** How hard the questions of a session are: a seniority level. */
export type Difficulty = Seniority;

/** GET /readyz as the admin page shows it: 200 when every dependency answers, else 503 with the same `checks`. */
export interface Readiness {
  ready: boolean;
  checks: Record<string, string>;
  detail?: string;
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

/**
 * The one reading of an error response's body into an ApiError: an application/problem+json body gives
 * its title, detail (or a plain `message`) and type; any other body gives its first 300 characters.
 */
export function problemError(status: number, statusText: string, body: string): ApiError {
  let title = statusText || 'Request failed';
  let detail = '';
  let type = 'about:blank';
  if (body) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed && typeof parsed === 'object') {
        const p = parsed as Record<string, unknown>;
        if (typeof p.title === 'string') title = p.title;
        if (typeof p.detail === 'string') detail = p.detail;
        else if (typeof p.message === 'string') detail = p.message;
        if (typeof p.type === 'string') type = p.type;
      }
    } catch {
      detail = body.slice(0, 300);
    }
  }
  return new ApiError(status, title, detail || `${title} (${status})`, type);
}

async function toApiError(res: Response): Promise<ApiError> {
  let body = '';
  try {
    body = await res.text();
  } catch {
    // body unreadable: keep the status text
  }
  return problemError(res.status, res.statusText, body);
}

export interface UploadHandle {
  /** Resolves with the accepted document, rejects with an ApiError (the server's problem). */
  done: Promise<UploadAccepted>;
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
  const done = new Promise<UploadAccepted>((resolve, reject) => {
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
          resolve(JSON.parse(xhr.responseText) as UploadAccepted);
        } catch {
          reject(
            new ApiError(xhr.status, 'Bad response', 'The server accepted the file but sent no document id'),
          );
        }
      } else reject(problemError(xhr.status, xhr.statusText, xhr.responseText));
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

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json, application/problem+json',
      ...(method === 'GET' ? {} : csrfHeaders()),
      ...headers,
    },
  };
  if (body instanceof FormData) {
    init.body = body; // the browser sets the multipart content-type with its boundary
  } else if (body instanceof Blob) {
    init.body = body;
    init.headers = { ...init.headers, 'content-type': body.type || 'application/octet-stream' };
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

/** A binary download (a recording) with these headers, as a Blob. */
async function fetchBlob(path: string, headers: Record<string, string> = {}): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin', headers });
  } catch (err) {
    throw new ApiError(0, 'Network error', `Cannot reach the server: ${errorMessage(err)}`);
  }
  if (!res.ok) throw await toApiError(res);
  return res.blob();
}

/** Who a link reviewer is to the API: the key their link gave them, and the link's passcode if any. */
export interface LinkReviewer {
  reviewerKey: string;
  passcode?: string;
}
export const linkHeaders = (who: LinkReviewer): Record<string, string> => ({
  'x-reviewer-key': who.reviewerKey,
  ...(who.passcode && { 'x-share-passcode': who.passcode }),
});

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
  /** Accepted at once (202): the job is `deleting` until its workflow has removed it (then getJob is a 404). */
  deleteJob: (id: string) => request<Job>('DELETE', `/api/jobs/${enc(id)}`),
  /** Resolves once the job is gone (a 404), or after `timeoutMs` with false while it is still being deleted. */
  async waitJobGone(id: string, timeoutMs = 60_000, everyMs = 500): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await request<Job>('GET', `/api/jobs/${enc(id)}`);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return true;
        throw err;
      }
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  },
  listDocuments: (jobId: string) => request<JobDocument[]>('GET', `/api/jobs/${enc(jobId)}/documents`),
  getDocument: (jobId: string, documentId: string) =>
    request<DocumentDetail>('GET', `/api/jobs/${enc(jobId)}/documents/${enc(documentId)}`),
  search: (jobId: string, q: string, k = 5) =>
    request<{ results: SearchResult[] }>('GET', `/api/jobs/${enc(jobId)}/search?q=${enc(q)}&k=${k}`),

  listPanelTemplates: () => request<PanelTemplateEntry[]>('GET', '/api/panel-templates'),
  createPanelTemplate: (input: PanelTemplateBody) =>
    request<PanelTemplateEntry>('POST', '/api/panel-templates', input),
  updatePanelTemplate: (id: string, input: PanelTemplateBody) =>
    request<PanelTemplateEntry>('PUT', `/api/panel-templates/${enc(id)}`, input),
  deletePanelTemplate: (id: string) => request<void>('DELETE', `/api/panel-templates/${enc(id)}`),

  listSessions: () => request<SessionSummary[]>('GET', '/api/sessions'),
  createSession: (input: SessionInput) => request<Created>('POST', '/api/sessions', input),
  getSession: (id: string) => request<Session>('GET', `/api/sessions/${enc(id)}`),
  submitAnswer: (id: string, text: string, turnId?: string) =>
    request<TurnAccepted>('POST', `/api/sessions/${enc(id)}/answers`, { text, turnId } satisfies AnswerInput),
  retry: (id: string) => request<TurnAccepted>('POST', `/api/sessions/${enc(id)}/retry`),
  next: (id: string) => request<RoundMoved>('POST', `/api/sessions/${enc(id)}/next`),
  end: (id: string) => request<RoundMoved>('POST', `/api/sessions/${enc(id)}/end`),

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
  reingestJob: (jobId: string) => request<ReindexStarted>('POST', `/api/admin/jobs/${enc(jobId)}/reingest`),
  reingestAll: () => request<ReindexAllResult>('POST', '/api/admin/reingest'),
  coachVersion: () => request<CoachVersion>('GET', '/api/admin/coach'),
  reloadCoach: () => request<CoachVersion>('POST', '/api/admin/coach/reload'),
  coachVersions: () => request<CoachRegistry>('GET', '/api/admin/coach/versions'),
  promoteCoach: (version: string) => request<CoachMove>('POST', '/api/admin/coach/promote', { version }),
  rollbackCoach: () => request<CoachMove>('POST', '/api/admin/coach/rollback'),
  judgementVersions: () => request<JudgementRegistry>('GET', '/api/admin/judgement/versions'),
  promoteJudgement: (version: string, force = false) =>
    request<JudgementMove>('POST', '/api/admin/judgement/promote', { version, force }),
  rollbackJudgement: () => request<JudgementMove>('POST', '/api/admin/judgement/rollback'),
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
    request<TurnAccepted>('POST', `/api/sessions/${enc(id)}/audio`, audioForm(audio, turnId)),
  /** One segment (a WAV cut at a pause) of an answer still being spoken; sending it again replaces it. */
  putAudioSegment: (id: string, turnId: string, index: number, wav: Blob) =>
    request<SegmentAccepted>(
      'PUT',
      `/api/sessions/${enc(id)}/turns/${enc(turnId)}/audio/segments/${index}`,
      wav,
    ),
  /** Ends an answer sent in `segments` segments: it is submitted as the recording of the turn. */
  finishAudio: (id: string, turnId: string, segments: number) =>
    request<TurnAccepted>('POST', `/api/sessions/${enc(id)}/turns/${enc(turnId)}/audio/finish`, {
      segments,
    } satisfies FinishAudio),
  /** The spoken audio (audio/wav, streamed) of one sentence. */
  ttsUrl: (text: string, voice?: string) =>
    `/api/tts?text=${enc(text)}${voice ? `&voice=${enc(voice)}` : ''}`,
  /** The candidate's recording of a voice answer. */
  turnAudioUrl: (id: string, turnId: string) => `/api/sessions/${enc(id)}/turns/${enc(turnId)}/audio`,
  deleteTurnAudio: (id: string, turnId: string) =>
    request<unknown>('DELETE', `/api/sessions/${enc(id)}/turns/${enc(turnId)}/audio`),

  // ---- peer review ----
  requestReview: (sessionId: string, input: ReviewRequestInput) =>
    request<ReviewRequestCreated>('POST', `/api/sessions/${enc(sessionId)}/reviews`, input),
  listReviews: () => request<ReviewList>('GET', '/api/reviews'),
  /** The unread count on the nav: reviews arrived and requests to review since I last opened Reviews. */
  notices: () => request<ReviewNotices>('GET', '/api/notices'),
  noticesSeen: () => request<void>('POST', '/api/notices/seen'),
  /** Cohorts: groups whose members review each other's requests (a request's cohort pool). */
  listCohorts: () => request<Cohort[]>('GET', '/api/cohorts'),
  createCohort: (name: string) => request<Cohort>('POST', '/api/cohorts', { name }),
  joinCohort: (inviteCode: string) => request<Cohort>('POST', '/api/cohorts/join', { inviteCode }),
  getReview: (id: string) => request<ReviewRequestView>('GET', `/api/reviews/${enc(id)}`),
  withdrawReview: (id: string) => request<ReviewRequestView>('POST', `/api/reviews/${enc(id)}/withdraw`),
  markComment: (id: string, commentId: string, marks: CommentMarksInput) =>
    request<ReviewCommentView>('PATCH', `/api/reviews/${enc(id)}/comments/${enc(commentId)}`, marks),
  replyToComment: (id: string, commentId: string, text: string) =>
    request<CommentReply>('POST', `/api/reviews/${enc(id)}/comments/${enc(commentId)}/replies`, { text }),
  practiseAgain: (id: string, answerId: string) =>
    request<Created>('POST', `/api/reviews/${enc(id)}/answers/${enc(answerId)}/practice`),
  /** A spoken answer's recording: for the candidate who asked, or a named reviewer. */
  reviewRecording: (id: string, answerId: string) =>
    fetchBlob(`/api/reviews/${enc(id)}/answers/${enc(answerId)}/audio`),
  reviewEventsUrl: (id: string, lastEventId: number) =>
    `/api/reviews/${enc(id)}/events` + (lastEventId > 0 ? `?lastEventId=${lastEventId}` : ''),
  /** A named reviewer (an invited account). */
  asReviewer: {
    view: (id: string) => request<ReviewerView>('GET', `/api/reviews/${enc(id)}/reviewer`),
    claim: (id: string) => request<ReviewClaim>('POST', `/api/reviews/${enc(id)}/claim`),
    submit: (id: string, s: ReviewSubmissionInput) =>
      request<ReviewerView>('POST', `/api/reviews/${enc(id)}/submission`, s),
    /** Answer the candidate's reply to one of my comments. */
    answer: (id: string, commentId: string, text: string) =>
      request<CommentReply>('POST', `/api/reviews/${enc(id)}/reviewer/comments/${enc(commentId)}/replies`, {
        text,
      }),
  },
  /** Anyone with a share link: the key the link gave them, and its passcode if it has one. */
  shared: {
    open: (token: string, passcode?: string, reviewerKey?: string) =>
      request<ShareOpened>(
        'POST',
        `/api/shared-reviews/${enc(token)}/open`,
        passcode ? { passcode } : {},
        reviewerKey ? { 'x-reviewer-key': reviewerKey } : {},
      ),
    claim: (token: string, who: LinkReviewer) =>
      request<ReviewClaim>('POST', `/api/shared-reviews/${enc(token)}/claim`, undefined, linkHeaders(who)),
    submit: (token: string, who: LinkReviewer, s: ReviewSubmissionInput) =>
      request<ReviewerView>('POST', `/api/shared-reviews/${enc(token)}/submission`, s, linkHeaders(who)),
    recording: (token: string, who: LinkReviewer, answerId: string) =>
      fetchBlob(`/api/shared-reviews/${enc(token)}/answers/${enc(answerId)}/audio`, linkHeaders(who)),
    answer: (token: string, who: LinkReviewer, commentId: string, text: string) =>
      request<CommentReply>(
        'POST',
        `/api/shared-reviews/${enc(token)}/comments/${enc(commentId)}/replies`,
        { text },
        linkHeaders(who),
      ),
    /** The request's steps, as the link's reviewer: read with `linkHeaders(who)` (never a passcode in the URL). */
    eventsUrl: (token: string, lastEventId: number) =>
      `/api/shared-reviews/${enc(token)}/events` + (lastEventId > 0 ? `?lastEventId=${lastEventId}` : ''),
  },
  reviewCalibration: () => request<ReviewCalibration>('GET', '/api/admin/reviews/calibration'),
  /** The human scores as a labelled set for `npm run eval` (a JSON download). */
  reviewExportUrl: '/api/admin/reviews/export',

  eventsUrl: (id: string, lastEventId?: number) =>
    `/api/sessions/${enc(id)}/events` + (lastEventId && lastEventId > 0 ? `?lastEventId=${lastEventId}` : ''),
};
