// Progress across sessions: per dimension over time, per competency and module, streaks, the next drill.
import {
  competencyMeans,
  dimensionMeans,
  finalAttempts,
  mean,
  weakCompetencies,
  weakestDimensions,
} from '../../core/analytics.js';
import * as sessions from '../../core/stores/sessions.js';
import * as turns from '../../core/stores/turns.js';
import type { AnalyticsFilter } from '../../contract/index.js';
import { SCORE_DIMENSIONS } from '../../core/types.js';
import type { ApiDeps } from '../context.js';

const DAY = 24 * 60 * 60 * 1000;
const dayOf = (d: Date) => Math.floor(d.getTime() / DAY);

export function createAnalyticsService({ db }: ApiDeps) {
  return {
    async of(ownerId: string, filter: AnalyticsFilter, now = new Date()) {
      const which = { ownerId, jobId: filter.jobId, module: filter.module };
      const rows = await sessions.withJobTitles(db, which);
      const coached = await turns.coachedTurns(db, which);
      const finals = finalAttempts(coached);
      const dimensions = dimensionMeans(finals);
      const weakest = weakestDimensions(dimensions);
      const days = new Set(rows.map((r) => dayOf(r.s.createdAt)));
      let streak = 0;
      // A streak survives a day off only until the end of today.
      for (let d = days.has(dayOf(now)) ? dayOf(now) : dayOf(now) - 1; days.has(d); d--) streak++;
      const latestOnWeakest = [...finals]
        .reverse()
        .find(
          (t) =>
            weakest[0] &&
            t.feedback.scores[weakest[0]] === Math.min(...SCORE_DIMENSIONS.map((d) => t.feedback.scores[d])),
        );
      return {
        sessions: rows.map(({ s, title }) => {
          const mine = finals.filter((t) => t.sessionId === s.id);
          return {
            id: s.id,
            jobId: s.jobId,
            jobTitle: title,
            module: s.module,
            createdAt: s.createdAt.toISOString(),
            completed: s.status === 'completed',
            scores: mine.length ? dimensionMeans(mine) : null,
            competencies: competencyMeans(mine),
            ...(s.panel && {
              panel: { title: s.panel.template.title, decision: s.panel.debrief?.decision.outcome ?? null },
            }),
          };
        }),
        dimensions,
        competencies: competencyMeans(finals),
        modules: [...new Set(rows.map((r) => r.s.module))].map((module) => {
          const ids = new Set(rows.filter((r) => r.s.module === module).map((r) => r.s.id));
          const answers = finals.filter((t) => ids.has(t.sessionId));
          return {
            module,
            sessions: ids.size,
            average: mean(answers.flatMap((t) => SCORE_DIMENSIONS.map((d) => t.feedback.scores[d]))),
          };
        }),
        weakest: { dimensions: weakest, competencies: weakCompetencies(finals) },
        streak: {
          days: streak,
          thisWeek: rows.filter((r) => now.getTime() - r.s.createdAt.getTime() < 7 * DAY).length,
        },
        nextDrill: (latestOnWeakest ?? finals.at(-1))?.feedback.drill ?? null,
      };
    },
  };
}
