// One zod-validated view of the environment. Every variable is documented in README.md.
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

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
   * Set: the coach runs the version behind the alias `production` of the MLflow registered model "coach"
   * (loaded at start, on SIGHUP and on POST /api/admin/coach/reload); `npm run eval` logs there too.
   * Empty, or the registry unreachable: the repo's agents/prompts/coach-prompts@1.json.
   */
  MLFLOW_TRACKING_URI: z.string().default(''),
  /** Pacing of the offline coach's token stream, so it reads like a live coach. 0 = instant. */
  OFFLINE_TOKEN_DELAY_MS: z.coerce.number().int().min(0).max(1000).default(15),
  /** local: all-MiniLM-L6-v2 (int8 ONNX) from MODELS_DIR; openai: EMBEDDINGS_BASE_URL; hashing: lexical fallback. */
  EMBEDDINGS_PROVIDER: z.enum(['local', 'openai', 'hashing']).default('local'),
  MODELS_DIR: z.string().default('./data/models'),
  EMBEDDINGS_BASE_URL: z.string().default(''),
  EMBEDDINGS_MODEL: z.string().default('text-embedding-3-small'),
  EMBEDDINGS_API_KEY: z.string().default(''),
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
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
  return parsed.data;
}
