// A panel session's export: who asked each question, then the panel's scorecards and debrief, as Markdown
// (the PDF is drawn from the same Markdown, see ./export.ts).
import { SCORE_DIMENSIONS } from '../../core/types.js';
import type { PanelistRef, SessionPanel } from '../../contract/index.js';
import { PANEL_ROLE_NAMES } from '../../agents/panel/template.js';
import { LEAN_NAMES } from '../../agents/panel/scorecard.js';
import { DIMENSION_LABEL, mdInline } from './export-text.js';
import { clock as clockOf } from '../../contract/clock.js';

/** "Sam (peer)". */
export const panelistLabel = (p: Pick<PanelistRef, 'name' | 'role'>) =>
  `${p.name} (${PANEL_ROLE_NAMES[p.role]})`;

interface RoundOf {
  id: string;
  round: number;
}

export function panelMarkdown(panel: SessionPanel, turns: readonly RoundOf[]): string[] {
  const out: string[] = [];
  const t = panel.template;
  const name = (id: string) => {
    const p = t.panelists.find((x) => x.id === id);
    return p ? mdInline(panelistLabel(p)) : mdInline(id);
  };
  const moment = (e: { turnId: string; atSec: number }) => {
    const round = turns.find((x) => x.id === e.turnId)?.round;
    return `${round ? `round ${round}, ` : ''}${clockOf(e.atSec)} into the interview`;
  };
  out.push(`## Panel: ${mdInline(t.title)}`, '');
  for (const p of t.panelists) {
    const used = panel.timeUsed?.[p.id];
    out.push(
      `- **${name(p.id)}**${used !== undefined ? `: ${clockOf(used)} of ${clockOf(p.timeBudgetSec)} used` : ''}`,
    );
  }
  out.push('');
  if (!panel.debrief) {
    if (panel.scorecards) out.push('_No answer was judged, so the panel wrote no scorecards._', '');
    return out;
  }
  const d = panel.debrief;
  out.push(
    '### Decision',
    '',
    `**${d.decision.outcome === 'hire' ? 'Hire' : 'No hire'}.** ${mdInline(d.decision.reason)}`,
    '',
  );
  const ids = t.panelists.map((p) => p.id).filter((id) => !d.absent.includes(id));
  out.push('### Where the panel agrees and disagrees', '');
  out.push(`| Dimension | ${ids.map(name).join(' | ')} | |`);
  out.push(`|---|${ids.map(() => '---|').join('')}---|`);
  for (const row of d.grid)
    out.push(
      `| ${DIMENSION_LABEL[row.dimension]} | ${ids.map((id) => row.scores[id] ?? '-').join(' | ')} | ${row.agreement} |`,
    );
  out.push('');
  for (const s of panel.scorecards ?? []) {
    out.push(`### Scorecard: ${name(s.panelistId)}, ${LEAN_NAMES[s.lean]}`, '');
    for (const dim of SCORE_DIMENSIONS) {
      const score = s.scores[dim];
      if (score !== undefined) out.push(`- **${DIMENSION_LABEL[dim]}:** ${score}/5`);
    }
    for (const e of s.evidence)
      if (e.quote)
        out.push(`- ${DIMENSION_LABEL[e.dimension]} ${e.score}/5, ${moment(e)}: "${mdInline(e.quote)}"`);
    out.push('');
  }
  if (d.dissent.length) {
    out.push('### Dissent', '');
    for (const x of d.dissent)
      out.push(
        `- ${name(x.panelistId)} leans ${LEAN_NAMES[x.lean]}${x.evidence?.quote ? `: "${mdInline(x.evidence.quote)}" (${moment(x.evidence)})` : ''}`,
      );
    out.push('');
  }
  out.push('### What would have changed the decision', '', mdInline(d.wouldHaveChanged.text), '');
  if (d.drills.length) {
    out.push('### Drills', '');
    for (const drill of d.drills)
      out.push(
        `- **${DIMENSION_LABEL[drill.dimension]}** (panel mean ${drill.meanScore.toFixed(1)}): go back to ${moment(drill.evidence)}${drill.evidence.quote ? `, "${mdInline(drill.evidence.quote)}"` : ''}`,
      );
    out.push('');
  }
  return out;
}
