// One Prometheus registry for the process; every room records into these.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpDuration = new Histogram({
  name: 'ih_http_request_duration_seconds',
  help: 'HTTP request duration by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const activeStreams = new Gauge({
  name: 'ih_sse_active_streams',
  help: 'Open SSE session event streams',
  registers: [registry],
});

export const timeToFirstToken = new Histogram({
  name: 'ih_time_to_first_token_seconds',
  help: 'Time from a graph run start to its first streamed token, by graph phase',
  labelNames: ['phase'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  registers: [registry],
});

export const llmTokens = new Counter({
  name: 'ih_llm_tokens_total',
  help: 'Tokens streamed by the coach, by provider and node',
  labelNames: ['provider', 'node'] as const,
  registers: [registry],
});

export const errorsTotal = new Counter({
  name: 'ih_errors_total',
  help: 'Errors by where they happened',
  labelNames: ['where'] as const,
  registers: [registry],
});

export const judgeReplies = new Counter({
  name: 'ih_coach_judge_replies_total',
  help: "The model judge's replies, by how JSON was asked for and whether the reply was valid",
  labelNames: ['mode', 'outcome'] as const,
  registers: [registry],
});

export const coachFallbacks = new Counter({
  name: 'ih_coach_fallbacks_total',
  help: "Model replies replaced by the offline coach's text, by node and why (rejected by a check, or empty)",
  labelNames: ['node', 'reason'] as const,
  registers: [registry],
});

export const guardDrops = new Counter({
  name: 'ih_coach_guard_drops_total',
  help: "Sentences of a model's reply dropped by the output guard, by node and reason",
  labelNames: ['node', 'reason'] as const,
  registers: [registry],
});

export const coachAttempts = new Counter({
  name: 'ih_coach_attempts_total',
  help: 'Attempts of model-backed activities, by activity and how they ended',
  labelNames: ['activity', 'outcome'] as const,
  registers: [registry],
});

export const eventsAppended = new Counter({
  name: 'ih_session_events_appended_total',
  help: 'Session events appended to the event log',
  registers: [registry],
});

// The voice path (issue 5): speech recognition in the worker, synthesis and upload checks in the API.
export const asrDuration = new Histogram({
  name: 'ih_asr_duration_seconds',
  help: 'Time to transcribe one spoken answer, or one segment of a streamed answer (decode + recognition), by engine',
  labelNames: ['engine'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
  registers: [registry],
});

export const asrRealTimeFactor = new Histogram({
  name: 'ih_asr_real_time_factor',
  help: 'Transcription time divided by the audio duration (below 1 is faster than real time), by engine',
  labelNames: ['engine'] as const,
  buckets: [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5],
  registers: [registry],
});

export const ttsTimeToFirstByte = new Histogram({
  name: 'ih_tts_time_to_first_byte_seconds',
  help: 'Time from a TTS request to its first audio byte, by cache outcome',
  labelNames: ['cache'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5],
  registers: [registry],
});

export const audioSegments = new Counter({
  name: 'ih_audio_segments_total',
  help: 'Segments of streamed spoken answers received (each stored, then transcribed while the answer goes on)',
  registers: [registry],
});

export const audioRejections = new Counter({
  name: 'ih_audio_rejections_total',
  help: 'Spoken answers refused, by reason (too_large, empty, not_audio, corrupt, unsupported_codec, too_long, silence, no_speech)',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export const transcriptionsFailed = new Counter({
  name: 'ih_transcriptions_failed_total',
  help: 'Transcription attempts that failed with an error (each is retried, then the candidate is asked again)',
  registers: [registry],
});

export const reviewRequestsCreated = new Counter({
  name: 'ih_review_requests_total',
  help: 'Peer review requests made by candidates, by how reviewers reach them (named, link, both)',
  labelNames: ['audience'] as const,
  registers: [registry],
});

export const reviewTurnaround = new Histogram({
  name: 'ih_review_turnaround_seconds',
  help: 'Time from a review request to each review submitted for it',
  buckets: [60, 600, 3600, 4 * 3600, 12 * 3600, 86400, 2 * 86400, 4 * 86400, 7 * 86400, 14 * 86400],
  registers: [registry],
});

export const reviewClaimsExpired = new Counter({
  name: 'ih_review_claims_expired_total',
  help: 'Review claims released because nothing was submitted in time',
  registers: [registry],
});

export const reviewMailsSent = new Counter({
  name: 'ih_review_mails_total',
  help: 'Review notices sent by email (SMTP_URL), by outcome; a failed attempt is retried with backoff',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const panelInterviewsStarted = new Counter({
  name: 'ih_panel_interviews_started_total',
  help: 'Mock panel interviews started, by template (a built-in id, or custom)',
  labelNames: ['template'] as const,
  registers: [registry],
});

export const panelInterviews = new Counter({
  name: 'ih_panel_interviews_total',
  help: 'Mock panel interviews debriefed, by template (a built-in id, or custom) and decision (hire, no_hire, none when no answer was judged)',
  labelNames: ['template', 'outcome'] as const,
  registers: [registry],
});

export const panelInterruptions = new Counter({
  name: 'ih_panel_interruptions_total',
  help: 'Rambling answers a tough panelist cut into in mock panels, by the panelist role',
  labelNames: ['role'] as const,
  registers: [registry],
});

export const panelQuestions = new Counter({
  name: 'ih_panel_questions_total',
  help: 'Questions asked in mock panels, by the asking panelist role and whether it followed up their own question',
  labelNames: ['role', 'follow_up'] as const,
  registers: [registry],
});
