// The panel's debrief, built only from the panelists' own scorecards (./scorecard.ts): where they agree and
// disagree, the decision under the template's rule, who dissented and why, what would have changed the
// decision, and the three things to drill, each linked to the moment in the interview it comes from.
import { SCORE_DIMENSIONS, type Score, type ScoreDimension } from '../../core/types.js';
import {
  LEAN_NAMES,
  LEAN_THRESHOLDS,
  leansHire,
  type Evidence,
  type Lean,
  type Scorecard,
} from './scorecard.js';
import { PANEL_ROLE_NAMES, panelistById, type DecisionRule, type PanelTemplate } from './template.js';

/** Scores this far apart on one dimension mean the panelists saw the answer differently. */
export const DISAGREEMENT_SPREAD = 2;

export interface GridRow {
  dimension: ScoreDimension;
  /** By panelist id: only the panelists who weigh the dimension and wrote a scorecard. */
  scores: Record<string, Score>;
  /** Highest score minus lowest (0 with one panelist). */
  spread: number;
  agreement: 'agree' | 'disagree';
}

export type Outcome = 'hire' | 'no_hire';

export interface Decision {
  outcome: Outcome;
  rule: DecisionRule;
  /** Panelists leaning hire (strong or not) and leaning no hire. */
  votes: { hire: number; noHire: number };
  /** The bar raiser whose no hire decided, under `bar_raiser_veto`. */
  vetoedBy?: string;
  /** The decision and why, in a sentence or two. */
  reason: string;
}

export interface Dissent {
  panelistId: string;
  lean: Lean;
  /** Their evidence that points most strongly their way: their highest score if they lean hire, else lowest. */
  evidence: Evidence | null;
}

/** One panelist's lean moved across the hire line, and the weighted score that would have taken. */
export interface LeanChange {
  panelistId: string;
  from: Lean;
  to: Lean;
  weightedMean: number;
  /** The weighted score the new lean needs: at least this for a hire, below it for a no hire. */
  threshold: number;
}

export interface Counterfactual {
  /** The fewest leans that flip the decision (the ones nearest the hire line when several would do). */
  changes: LeanChange[];
  text: string;
}

export interface Drill {
  dimension: ScoreDimension;
  /** The panelists' mean score on it. */
  meanScore: number;
  /** The weakest moment on the dimension across every scorecard. */
  evidence: Evidence;
}

export interface PanelDebrief {
  grid: GridRow[];
  decision: Decision;
  dissent: Dissent[];
  wouldHaveChanged: Counterfactual;
  drills: Drill[];
  /** Panelists without a scorecard: they never heard an answer on their competencies. */
  absent: string[];
}

export const MAX_DRILLS = 3;

/** "Sam (peer)". */
const who = (t: PanelTemplate, id: string) => {
  const p = panelistById(t, id);
  return `${p.name} (${PANEL_ROLE_NAMES[p.role]})`;
};

function checkScorecards(t: PanelTemplate, scorecards: readonly Scorecard[]) {
  if (scorecards.length === 0) throw new Error('a debrief needs at least one scorecard');
  const seen = new Set<string>();
  for (const s of scorecards) {
    panelistById(t, s.panelistId);
    if (seen.has(s.panelistId)) throw new Error(`two scorecards from panelist "${s.panelistId}"`);
    seen.add(s.panelistId);
  }
}

export function buildGrid(scorecards: readonly Scorecard[]): GridRow[] {
  return SCORE_DIMENSIONS.flatMap((dimension) => {
    const scores: Record<string, Score> = {};
    for (const s of scorecards) {
      const score = s.scores[dimension];
      if (score !== undefined) scores[s.panelistId] = score;
    }
    const values = Object.values(scores);
    if (values.length === 0) return [];
    const spread = Math.max(...values) - Math.min(...values);
    return [{ dimension, scores, spread, agreement: spread >= DISAGREEMENT_SPREAD ? 'disagree' : 'agree' }];
  });
}

/**
 * The decision from the leans alone. Consensus: one panelist, one vote, strong or not; hire only with more
 * hire votes than no hire votes, so a tie is a no hire (a panel that cannot agree to hire has not found
 * the evidence to). Bar raiser veto: the same, except that the bar raiser's no hire or strong no hire
 * decides alone; their hire cannot overturn a majority's no hire.
 */
export function decide(t: PanelTemplate, leans: readonly { panelistId: string; lean: Lean }[]): Decision {
  const hire = leans.filter((l) => leansHire(l.lean)).length;
  const votes = { hire, noHire: leans.length - hire };
  const tally = `${votes.hire} of ${leans.length} lean hire`;
  const majority: Outcome = votes.hire > votes.noHire ? 'hire' : 'no_hire';
  const barRaiser = leans.find((l) => panelistById(t, l.panelistId).role === 'bar_raiser');
  // A veto is only recorded when it overturned a hire; a bar raiser agreeing with a no hire is one vote.
  if (t.decisionRule === 'bar_raiser_veto' && barRaiser && !leansHire(barRaiser.lean) && majority === 'hire')
    return {
      outcome: 'no_hire',
      rule: t.decisionRule,
      votes,
      vetoedBy: barRaiser.panelistId,
      reason: `No hire: ${tally}, but ${who(t, barRaiser.panelistId)} leans ${LEAN_NAMES[barRaiser.lean]}, which vetoes the hire.`,
    };
  const why =
    votes.hire === votes.noHire
      ? `the panel is split ${votes.hire}–${votes.noHire}, and a tie is a no hire`
      : tally;
  const absentVeto =
    t.decisionRule === 'bar_raiser_veto' && !barRaiser
      ? ' The bar raiser wrote no scorecard, so nobody could veto.'
      : '';
  return {
    outcome: majority,
    rule: t.decisionRule,
    votes,
    reason: `${majority === 'hire' ? 'Hire' : 'No hire'}: ${why}.${absentVeto}`,
  };
}

/** The lean on the other side of the hire line nearest to this one. */
const across = (lean: Lean): Lean => (leansHire(lean) ? 'no_hire' : 'hire');

/** How far a panelist's weighted score is from the hire line: what moving their lean across would take. */
const distance = (s: Scorecard) => Math.abs(s.weightedMean - LEAN_THRESHOLDS.hire);

function counterfactual(
  t: PanelTemplate,
  scorecards: readonly Scorecard[],
  decision: Decision,
): Counterfactual {
  let best: Scorecard[] | null = null;
  const cost = (set: readonly Scorecard[]) => set.reduce((s, x) => s + distance(x), 0);
  // At most four panelists: every subset can be tried, fewest changes first, then the smallest score moves.
  for (let mask = 1; mask < 1 << scorecards.length; mask++) {
    const flipped = scorecards.filter((_, i) => mask & (1 << i));
    const leans = scorecards.map((s) => ({
      panelistId: s.panelistId,
      lean: flipped.includes(s) ? across(s.lean) : s.lean,
    }));
    if (decide(t, leans).outcome === decision.outcome) continue;
    if (
      !best ||
      flipped.length < best.length ||
      (flipped.length === best.length && cost(flipped) < cost(best))
    )
      best = flipped;
  }
  // Some set always flips it: every lean to hire makes a hire (no veto left), every lean to no hire a no
  // hire. So `best` is set.
  const changes = best!.map((s) => ({
    panelistId: s.panelistId,
    from: s.lean,
    to: across(s.lean),
    weightedMean: s.weightedMean,
    threshold: LEAN_THRESHOLDS.hire,
  }));
  const other = decision.outcome === 'hire' ? 'no hire' : 'hire';
  const said = changes.map((c) => {
    const score = leansHire(c.to)
      ? `a weighted score of at least ${c.threshold.toFixed(1)}`
      : `a weighted score under ${c.threshold.toFixed(1)}`;
    return `${who(t, c.panelistId)} had leaned ${LEAN_NAMES[c.to]} rather than ${LEAN_NAMES[c.from]} (${score}, not ${c.weightedMean.toFixed(1)})`;
  });
  return { changes, text: `The decision would have been ${other} if ${joinAnd(said)}.` };
}

const joinAnd = (xs: readonly string[]) =>
  xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)!}`;

function dissentOf(decision: Decision, scorecards: readonly Scorecard[]): Dissent[] {
  return scorecards
    .filter((s) => leansHire(s.lean) !== (decision.outcome === 'hire'))
    .map((s) => {
      const sign = leansHire(s.lean) ? 1 : -1;
      // Their strongest point: the highest score for a hire, the lowest for a no hire; earlier on ties.
      const evidence = s.evidence.reduce<Evidence | null>(
        (a, e) => (a === null || sign * (e.score - a.score) > 0 ? e : a),
        null,
      );
      return { panelistId: s.panelistId, lean: s.lean, evidence };
    });
}

function drillsOf(grid: readonly GridRow[], scorecards: readonly Scorecard[]): Drill[] {
  const mean = (r: GridRow) => {
    const xs = Object.values(r.scores);
    return xs.reduce((s, x) => s + x, 0) / xs.length;
  };
  return (
    grid
      .map((row) => ({ row, meanScore: mean(row) }))
      // Nothing to drill on a dimension every panelist gave a 5.
      .filter(({ meanScore }) => meanScore < 5)
      // Lowest first; the sort is stable, so ties keep the rubric's order.
      .sort((a, b) => a.meanScore - b.meanScore)
      .flatMap(({ row, meanScore }) => {
        const moments = scorecards.flatMap((s) => s.evidence).filter((e) => e.dimension === row.dimension);
        // A drill links to a moment; a scorecard written without evidence gives none to link to.
        if (moments.length === 0) return [];
        const evidence = moments.reduce((a, e) =>
          e.score < a.score || (e.score === a.score && e.atSec < a.atSec) ? e : a,
        );
        return [{ dimension: row.dimension, meanScore, evidence }];
      })
      .slice(0, MAX_DRILLS)
  );
}

export function buildDebrief(t: PanelTemplate, scorecards: readonly Scorecard[]): PanelDebrief {
  checkScorecards(t, scorecards);
  const grid = buildGrid(scorecards);
  const decision = decide(t, scorecards);
  return {
    grid,
    decision,
    dissent: dissentOf(decision, scorecards),
    wouldHaveChanged: counterfactual(t, scorecards, decision),
    drills: drillsOf(grid, scorecards),
    absent: t.panelists.map((p) => p.id).filter((id) => !scorecards.some((s) => s.panelistId === id)),
  };
}
