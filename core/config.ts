// One zod-validated view of the environment. Every variable is documented in README.md.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_MODELS_DIR } from './models.mjs';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const WINDOW_MS = { s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "10/min", "60/h", "5/10s": at most `limit` requests in any window of `windowMs`. */
const rate = z
  .string()
  .regex(/^\s*\d+\s*\/\s*\d*\s*(s|min|h|d)\s*$/, 'a rate such as 10/min, 60/h or 5/10s')
  .transform((v) => {
    const [, limit, count, unit] = /^\s*(\d+)\s*\/\s*(\d*)\s*(s|min|h|d)\s*$/.exec(v)!;
    return {
      limit: Number(limit),
      windowMs: Number(count || 1) * WINDOW_MS[unit as keyof typeof WINDOW_MS],
      label: v.replace(/\s+/g, ''),
    };
  })
  .refine((r) => r.limit >= 1 && r.windowMs >= 1000, 'at least 1 request per window of at least 1 s');

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().default('./data'),
  /** Empty: embedded PGlite under DATA_DIR/pg. Else a postgres:// URL. */
  DATABASE_URL: z.string().default(''),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('interview-helper'),
  CHROMA_URL: z.string().url().default('http://127.0.0.1:8000'),
  /** Empty: the offline rule-based coach. Else an OpenAI-compatible base URL. */
  LLM_BASE_URL: z.string().default(''),
  LLM_MODEL: z.string().default('gpt-4o-mini'),
  LLM_API_KEY: z.string().default(''),
  LLM_TEMPERATURE: z.coerce.number().min(0).max(2).default(0.3),
  /**
   * Set: the coach runs the version behind the alias `production` of the MLflow registered models "coach"
   * (prompts) and "coach-judgement" (the trained judgement's weights), loaded at start, on SIGHUP and on
   * POST /api/admin/coach/reload; `npm run eval` and `npm run train:coach` log there too. Empty, or the
   * registry unreachable: the repo's agents/prompts/coach-prompts@1.json and agents/judgement/weights.json.
   * `npm start` runs a local MLflow and sets it unless it is set or MLFLOW=off.
   */
  MLFLOW_TRACKING_URI: z.string().default(''),
  /** Where an admin's browser reaches the MLflow UI (the Admin page links to it); empty: no link. */
  MLFLOW_UI_URL: z.union([z.literal(''), z.string().url()]).default(''),
  /** Pacing of the offline coach's token stream, so it reads like a live coach. 0 = instant. */
  OFFLINE_TOKEN_DELAY_MS: z.coerce.number().int().min(0).max(1000).default(15),
  /** local: all-MiniLM-L6-v2 (int8 ONNX) from MODELS_DIR; openai: EMBEDDINGS_BASE_URL; hashing: lexical fallback. */
  EMBEDDINGS_PROVIDER: z.enum(['local', 'openai', 'hashing']).default('local'),
  MODELS_DIR: z.string().default(DEFAULT_MODELS_DIR),
  EMBEDDINGS_BASE_URL: z.string().default(''),
  EMBEDDINGS_MODEL: z.string().default('text-embedding-3-small'),
  EMBEDDINGS_API_KEY: z.string().default(''),
  /**
   * Speech synthesis. piper: the Piper voice en_US-joe-medium via sherpa-onnx (fetched into MODELS_DIR by
   * `npm run setup`); espeak: Debian espeak-ng, robotic but always there; openai: TTS_BASE_URL.
   */
  TTS_PROVIDER: z.enum(['piper', 'espeak', 'openai']).default('piper'),
  /** A Piper .onnx prepared for sherpa-onnx, tokens.txt beside it. Empty: MODELS_DIR/piper-joe/en_US-joe-medium.onnx. */
  TTS_PIPER_MODEL: z.string().default(''),
  /** An OpenAI-compatible base URL ending in /v1: speech comes from its /audio/speech. */
  TTS_BASE_URL: z.string().default(''),
  TTS_API_KEY: z.string().default(''),
  TTS_MODEL: z.string().default('tts-1'),
  TTS_VOICE: z.string().default('alloy'),
  /**
   * Speech recognition. whisper: whisper base via smart-whisper (fetched into MODELS_DIR by `npm run setup`);
   * pocketsphinx: the Debian CLI, weak but always there; openai: ASR_BASE_URL.
   */
  ASR_PROVIDER: z.enum(['whisper', 'pocketsphinx', 'openai']).default('whisper'),
  /** A ggml whisper model file. Empty: MODELS_DIR/whisper-base/ggml-base.bin. */
  ASR_MODEL_PATH: z.string().default(''),
  ASR_THREADS: z.coerce.number().int().min(1).max(64).default(2),
  /** An OpenAI-compatible base URL ending in /v1: transcripts come from its /audio/transcriptions. */
  ASR_BASE_URL: z.string().default(''),
  ASR_API_KEY: z.string().default(''),
  ASR_MODEL: z.string().default('whisper-1'),
  /** Spoken answers longer or larger than this are refused before transcription. */
  AUDIO_MAX_SECONDS: z.coerce.number().min(1).default(300),
  AUDIO_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(25 * 1024 * 1024),
  /** Spoken answers' recordings are deleted this many days after they were made (0: kept until deleted). */
  AUDIO_RETENTION_DAYS: z.coerce.number().min(0).default(30),
  /** Where uploaded files live: a folder (BLOBS_DIR) or an S3-compatible bucket (S3_*). */
  BLOB_STORE: z.enum(['file', 's3']).default('file'),
  BLOBS_DIR: z.string().default('./data/blobs'),
  S3_BUCKET: z.string().default(''),
  S3_ENDPOINT: z.string().default(''),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().default(''),
  S3_SECRET_ACCESS_KEY: z.string().default(''),
  S3_FORCE_PATH_STYLE: bool.default(false),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(10 * 1024 * 1024),
  /** A DOCX is a zip: refuse one that unpacks past these (zip bombs). */
  UPLOAD_MAX_UNZIPPED_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(50 * 1024 * 1024),
  UPLOAD_MAX_ZIP_ENTRIES: z.coerce.number().int().min(1).default(1000),
  PARSE_TIMEOUT_MS: z.coerce.number().int().min(1).default(20_000),
  CHUNK_SIZE: z.coerce.number().int().min(100).max(8000).default(800),
  CHUNK_OVERLAP: z.coerce.number().int().min(0).max(2000).default(120),
  RETRIEVAL_K: z.coerce.number().int().min(1).max(50).default(4),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_000_000),
  SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).default(15_000),
  /** Set: the worker serves the Temporal SDK's Prometheus metrics on HOST:WORKER_METRICS_PORT/metrics. */
  WORKER_METRICS_PORT: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(1).max(65535).optional(),
  ),
  /**
   * local: a client without a session cookie acts as the embedded local user (role admin); accounts: it
   * gets 401 on every route but health, metrics, the OpenAPI document and sign-in.
   */
  AUTH_MODE: z.enum(['local', 'accounts']).default('local'),
  /** The origin browsers use (e.g. https://coach.example.com) when a proxy rewrites Host; CSRF checks accept it. */
  PUBLIC_ORIGIN: z.string().default(''),
  /** Mark the session cookies Secure (set it behind HTTPS; the embedded http://127.0.0.1 needs false). */
  COOKIE_SECURE: bool.default(false),
  SESSION_TTL_DAYS: z.coerce.number().min(0.0001).max(365).default(30),
  /** All four set: "Sign in with your company" through this OpenID Connect issuer (code flow with PKCE). */
  OIDC_ISSUER: z.string().default(''),
  OIDC_CLIENT_ID: z.string().default(''),
  OIDC_CLIENT_SECRET: z.string().default(''),
  OIDC_REDIRECT_URI: z.string().default(''),
  /**
   * Comma-separated emails whose accounts get the role admin / reviewer when created or signed in (roles
   * are only raised, never lowered, by these lists). Everyone else is a candidate.
   */
  ADMIN_EMAILS: z.string().default(''),
  REVIEWER_EMAILS: z.string().default(''),
  /**
   * Rate limits, "count/window" (window: s, min, h or d, optionally with a number: "5/10s"), answered with
   * 429 + Retry-After, counted per API process: sign-in and sign-up attempts per client IP...
   */
  RATE_AUTH: rate.prefault('10/min'),
  /** ...document uploads per user... */
  RATE_UPLOADS: rate.prefault('60/h'),
  /** ...practice sessions started per user... */
  RATE_SESSIONS: rate.prefault('30/h'),
  /** ...and requests to shared review links per client IP (link reviewers have no account; slows passcode guessing). */
  RATE_REVIEW_LINKS: rate.prefault('120/min'),
  /** How long a reviewer's claim on a review request holds its seat (default 24 h; tests shorten it). */
  REVIEW_CLAIM_HOLD_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(24 * 60 * 60 * 1000),
  /**
   * Set: the review workflow's notices also go out by email through this server, e.g.
   * smtp://user:pass@mail.example.com:587 (STARTTLS when offered) or smtps://...:465 (TLS). Empty: no email;
   * the pages and the request's stream still tell everyone. Links in the mails start with PUBLIC_ORIGIN.
   */
  SMTP_URL: z
    .union([
      z.literal(''),
      z
        .string()
        .url('a URL such as smtp://user:pass@host:587')
        .refine((v) => /^smtps?:$/.test(new URL(v).protocol), 'must start with smtp:// or smtps://')
        .refine((v) => new URL(v).hostname !== '', 'must name the mail server host'),
    ])
    .default(''),
  /** The sender of those emails, e.g. "Interview Helper <coach@example.com>"; required with SMTP_URL. */
  MAIL_FROM: z.string().default(''),
  /** Model tokens a user may spend per UTC day (0: no quota). The offline coach spends none. */
  LLM_TOKENS_PER_DAY: z.coerce.number().int().min(0).default(200_000),
  /** The most tokens one model reply may have. */
  LLM_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(16).max(32_000).default(700),
  /**
   * How long one attempt to coach an answer (or ask a question) may take before it is abandoned and tried
   * again; after three attempts (COACH_ATTEMPTS in workflows/messages.ts) the candidate is told the coach did not answer and may send the answer
   * again. Sized for a small model on a CPU server, which needs a minute or two for a whole critique.
   */
  COACH_ATTEMPT_SECONDS: z.coerce.number().int().min(5).max(1_500).default(240),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema>;

/**
 * Secrets may come from a mounted file instead (Docker/Kubernetes secrets): `<NAME>_FILE` holds the path, and
 * the file's contents (without the final newline) become `<NAME>`. Setting both is refused as ambiguous.
 */
export const SECRET_VARIABLES = [
  'DATABASE_URL',
  'LLM_API_KEY',
  'EMBEDDINGS_API_KEY',
  'TTS_API_KEY',
  'ASR_API_KEY',
  'S3_SECRET_ACCESS_KEY',
  'OIDC_CLIENT_SECRET',
  'SMTP_URL',
] as const;

function withSecretFiles(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const name of SECRET_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (!file) continue;
    if (env[name])
      throw new Error(`invalid configuration:\n  ${name}: set ${name} or ${name}_FILE, not both`);
    try {
      out[name] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      // The path is not secret; the error names it, never the contents.
      throw new Error(
        `invalid configuration:\n  ${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  return out;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(withSecretFiles(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  if (parsed.data.BLOB_STORE === 's3' && !parsed.data.S3_BUCKET) {
    throw new Error('invalid configuration:\n  S3_BUCKET: required when BLOB_STORE is s3');
  }
  if (parsed.data.EMBEDDINGS_PROVIDER === 'openai' && !parsed.data.EMBEDDINGS_BASE_URL) {
    throw new Error(
      'invalid configuration:\n  EMBEDDINGS_BASE_URL: required when EMBEDDINGS_PROVIDER is openai',
    );
  }
  if (parsed.data.TTS_PROVIDER === 'openai' && !parsed.data.TTS_BASE_URL) {
    throw new Error('invalid configuration:\n  TTS_BASE_URL: required when TTS_PROVIDER is openai');
  }
  if (parsed.data.ASR_PROVIDER === 'openai' && !parsed.data.ASR_BASE_URL) {
    throw new Error('invalid configuration:\n  ASR_BASE_URL: required when ASR_PROVIDER is openai');
  }
  if (parsed.data.SMTP_URL && !parsed.data.MAIL_FROM) {
    throw new Error('invalid configuration:\n  MAIL_FROM: required when SMTP_URL is set');
  }
  const oidc = [
    parsed.data.OIDC_ISSUER,
    parsed.data.OIDC_CLIENT_ID,
    parsed.data.OIDC_CLIENT_SECRET,
    parsed.data.OIDC_REDIRECT_URI,
  ];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    throw new Error(
      'invalid configuration:\n  OIDC_*: set all of OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI, or none',
    );
  }
  return parsed.data;
}
