import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { problemsOf, unplaced } from './problems';

describe('problemsOf', () => {
  it('sorts a 400’s "path: message" list to its fields', () => {
    const err = new ApiError(
      400,
      'Bad Request',
      'panelists.0.timeBudgetSec: Invalid input: expected number, received null; decisionRule: the decision rule is one of consensus, bar_raiser_veto',
    );
    expect(problemsOf(err)).toEqual({
      'panelists.0.timeBudgetSec': ['Invalid input: expected number, received null'],
      decisionRule: ['the decision rule is one of consensus, bar_raiser_veto'],
    });
  });

  it('sorts a 422’s lines to their fields; a line about the whole template has no field', () => {
    const err = new ApiError(
      422,
      'Unprocessable Content',
      'invalid panel template "mine":\n  panelists.1.competencies.0.competency: "juggling" is not a competency of the question bank\n  panelists: voice "espeak:en-us+f3" is used by two panelists\n  (template): something else',
    );
    const problems = problemsOf(err);
    expect(problems).toEqual({
      'panelists.1.competencies.0.competency': ['"juggling" is not a competency of the question bank'],
      panelists: ['voice "espeak:en-us+f3" is used by two panelists'],
      '': ['something else'],
    });
    expect(unplaced(problems, new Set(['panelists.1.competencies.0.competency', 'panelists']))).toEqual([
      'something else',
    ]);
  });

  it('puts a 409 on the id, and anything else above the form', () => {
    expect(
      problemsOf(new ApiError(409, 'Conflict', 'you already have a panel template with the id mine')),
    ).toEqual({
      id: ['you already have a panel template with the id mine'],
    });
    expect(problemsOf(new Error('offline'))).toEqual({ '': ['offline'] });
    expect(problemsOf(new ApiError(503, 'Service Unavailable', 'the database is down'))).toEqual({
      '': ['the database is down'],
    });
  });
});
