// The limits of the contract: requests past them are refused (400), and the web forms stop at them too.

/** Rounds of one session. */
export const MIN_ROUNDS = 1;
export const MAX_ROUNDS = 20;

/** A typed answer, in characters after trimming. */
export const ANSWER_MAX_CHARS = 20_000;

/** One text to speak (GET /api/tts). */
export const TTS_MAX_CHARS = 1000;

/** A new account's password. */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1024;

/** Results of one search (GET /api/jobs/:id/search). */
export const MAX_SEARCH_RESULTS = 50;

/** Ingestion runs of one admin listing. */
export const MAX_RUNS_LISTED = 500;

/** A job's short fields and its pasted texts. */
export const JOB_FIELD_MAX_CHARS = 200;
export const JOB_TEXT_MAX_CHARS = 100_000;
export const JOB_DESCRIPTION_MIN_CHARS = 20;
