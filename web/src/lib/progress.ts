// Pure shaping of GET /api/analytics for the Progress page: chart series, labels, summaries.
import { SCORE_DIMENSIONS, type AnalyticsSession, type MeanScores, type ScoreDimension } from './api';

export const DIMENSION_NAMES: Record<ScoreDimension, string> = {
  star: 'STAR structure',
  clarity: 'Clarity',
  impact: 'Impact',
  conciseness: 'Conciseness',
  relevance: 'Relevance',
};

/** A dimension's display name; unknown keys are shown as sent, capitalised. */
export function dimensionName(key: string): string {
  if (key in DIMENSION_NAMES) return DIMENSION_NAMES[key as ScoreDimension];
  return key.charAt(0).toUpperCase() + key.slice(1);
}

export interface ScorePoint {
  id: string;
  /** The x-axis label: the session's date (with the time when two sessions share a day). */
  label: string;
  jobTitle: string;
  module: string;
  completed: boolean;
  scores: MeanScores;
}

export interface ScoreSeries {
  points: ScorePoint[];
  /** One array per dimension, aligned with `points`. */
  values: Record<ScoreDimension, number[]>;
}

const dayKey = (d: Date) => `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;

function formatDay(d: Date, locale?: string): string {
  return d.toLocaleDateString(locale, { day: 'numeric', month: 'short' });
}

function formatTime(d: Date, locale?: string): string {
  return d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

/** The scored sessions (oldest first, as the API sends them) as one series per dimension. */
export function scoreSeries(sessions: AnalyticsSession[], locale?: string): ScoreSeries {
  const scored = sessions.filter((s): s is AnalyticsSession & { scores: MeanScores } => s.scores !== null);
  const perDay = new Map<string, number>();
  for (const s of scored) {
    const k = dayKey(new Date(s.createdAt));
    perDay.set(k, (perDay.get(k) ?? 0) + 1);
  }
  const points = scored.map((s): ScorePoint => {
    const d = new Date(s.createdAt);
    const valid = !Number.isNaN(d.getTime());
    const shared = valid && (perDay.get(dayKey(d)) ?? 0) > 1;
    const label = !valid
      ? s.createdAt
      : shared
        ? `${formatDay(d, locale)} ${formatTime(d, locale)}`
        : formatDay(d, locale);
    return {
      id: s.id,
      label,
      jobTitle: s.jobTitle,
      module: s.module,
      completed: s.completed,
      scores: s.scores,
    };
  });
  const values = Object.fromEntries(
    SCORE_DIMENSIONS.map((k) => [k, points.map((p) => p.scores[k])]),
  ) as Record<ScoreDimension, number[]>;
  return { points, values };
}

/** A one-sentence description of the score chart, for its accessible name. */
export function scoreSummary(series: ScoreSeries): string {
  const n = series.points.length;
  const last = series.points[n - 1];
  if (!last) return 'No scored sessions yet.';
  const latest = SCORE_DIMENSIONS.map((k) => `${DIMENSION_NAMES[k]} ${last.scores[k].toFixed(1)}`).join(', ');
  const plural = n === 1 ? 'session' : 'sessions';
  return `Scores per dimension over ${n} ${plural}, 1 to 5. Latest (${last.label}): ${latest}.`;
}

/** Sessions not yet finished: the ones to resume, newest first. */
export function unfinished(sessions: AnalyticsSession[]): AnalyticsSession[] {
  return sessions.filter((s) => !s.completed).reverse();
}

/** Formats a 1–5 average for display ("—" when there is none). */
export function formatScore(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(1) : '—';
}
