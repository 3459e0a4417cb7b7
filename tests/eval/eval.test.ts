// The labelled evaluation set and the harness over it (no MLflow here: see mlflow.test.ts).
import express from 'express';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assess, jobKeywords } from '../../agents/rubric.js';
import { createCoachModel } from '../../agents/provider.js';
import { loadConfig } from '../../core/config.js';
import { SCORE_DIMENSIONS } from '../../core/types.js';
import {
  CATEGORIES,
  bandError,
  formatReport,
  loadEvalSet,
  runEval,
  scoreAnswer,
  summarise,
  toCsv,
  type EvalReport,
  type EvalRow,
} from '../../scripts/eval.js';
import { ROOT, tempDir } from '../support/processes.js';

const items = loadEvalSet();

describe('the labelled evaluation set', () => {
  it('holds at least 60 answers, at least 10 in every category, with unique ids', () => {
    expect(items.length).toBeGreaterThanOrEqual(60);
    for (const c of CATEGORIES)
      expect(items.filter((i) => i.category === c).length).toBeGreaterThanOrEqual(10);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  });

  it('gives every dimension a band of one or two adjacent scores from 1 to 5', () => {
    for (const item of items) {
      for (const d of SCORE_DIMENSIONS) {
        const [lo, hi] = item.expected[d];
        expect(Number.isInteger(lo) && Number.isInteger(hi), `${item.id} ${d}`).toBe(true);
        expect(lo, `${item.id} ${d}`).toBeGreaterThanOrEqual(1);
        expect(hi, `${item.id} ${d}`).toBeLessThanOrEqual(5);
        expect(hi - lo, `${item.id} ${d}`).toBeGreaterThanOrEqual(0);
        expect(hi - lo, `${item.id} ${d}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('reuses a handful of realistic job descriptions of 3 to 6 lines', () => {
    const jds = new Set(items.map((i) => i.jobDescription));
    expect(jds.size).toBeGreaterThanOrEqual(5);
    expect(jds.size).toBeLessThanOrEqual(8);
    for (const jd of jds) {
      const lines = jd.split('\n').filter((l) => l.trim()).length;
      expect(lines).toBeGreaterThanOrEqual(3);
      expect(lines).toBeLessThanOrEqual(6);
    }
  });

  it('labels injected answers low and each one carries an injection attempt', () => {
    const injection =
      /ignore (all )?previous instructions|system prompt|\bsystem\b.*:|<system>|disregard the rubric|new instructions|5\/5|full marks|hidden instructions/i;
    for (const item of items.filter((i) => i.category === 'injected')) {
      expect(item.answer, item.id).toMatch(injection);
      for (const d of SCORE_DIMENSIONS) expect(item.expected[d][0], `${item.id} ${d}`).toBe(1);
    }
  });
});

describe('the evaluation harness', () => {
  const offline = {
    model: createCoachModel({ ...loadConfig({}), OFFLINE_TOKEN_DELAY_MS: 0 }),
    retrieve: async () => [],
    k: 1,
  };

  it("scores through the coach's assess node exactly as the rubric does with the job's keywords", async () => {
    for (const item of items) {
      const viaNode = await scoreAnswer(item, offline);
      const direct = assess(item.answer, jobKeywords(item.jobDescription, item.question));
      expect(viaNode.scores, item.id).toEqual(direct.scores);
    }
  });

  it('measures the error to a band: 0 inside, else the distance to the nearest edge', () => {
    expect(bandError(3, [2, 3])).toBe(0);
    expect(bandError(5, [2, 3])).toBe(2);
    expect(bandError(1, [4, 5])).toBe(3);
    const item = items[0]!;
    const row = (star: number): EvalRow => ({
      item: { ...item, expected: { ...item.expected, star: [4, 5] } },
      scores: { star: star as 1, clarity: 3, impact: 3, conciseness: 3, relevance: 3 },
      starFound: [],
      words: 10,
    });
    const s = summarise([row(5), row(2), row(4), row(3)]);
    expect(s.star).toEqual({ n: 4, agreement: 0.5, mae: 0.75 });
    expect(s.all.n).toBe(20);
  });

  it('writes a CSV that survives commas and quotes in a question', () => {
    const item = { ...items[0]!, question: 'Why "this", and why now?' };
    const csv = toCsv([
      {
        item,
        scores: { star: 4, clarity: 5, impact: 3, conciseness: 5, relevance: 4 },
        starFound: [],
        words: 9,
      },
    ]);
    const [header, line] = csv.trim().split('\n');
    expect(header).toMatch(
      /^id,category,words,star_parts_found,star,star_lo,star_hi,star_in_band,star_error,/,
    );
    expect(line!.endsWith(',"Why ""this"", and why now?"')).toBe(true);
  });

  describe('the offline rubric against the labels', () => {
    let report: EvalReport;
    beforeAll(async () => {
      report = await runEval({ env: {}, trackingUri: '', outDir: tempDir('eval') });
      console.log(formatReport(report));
    });

    it('covers every labelled answer and writes the per-answer table', () => {
      expect(report.provider).toBe('offline');
      expect(report.rows).toHaveLength(items.length);
      expect(readFileSync(report.csvPath, 'utf8').trim().split('\n')).toHaveLength(items.length + 1);
    });

    it('agrees with the human bands on impact at least 70% of the time', () => {
      expect(report.overall.impact.agreement).toBeGreaterThanOrEqual(0.7);
    });

    // First measured at 56% when STAR scored 1 + parts found (a story without its result got 4); the rubric
    // now caps a story missing its result or the candidate's action (85%). The labels were not changed.
    it('agrees with the human bands on STAR at least 70% of the time', () => {
      expect(report.overall.star.agreement).toBeGreaterThanOrEqual(0.7);
    });

    it('with a model endpoint, averages the model judgement in (a FAKE OpenAI-compatible server, since no model runs here)', async () => {
      // The fake judges every answer 5 on relevance and 1 on everything else, whatever it is sent.
      const verdict = JSON.stringify({
        star: { score: 1, reason: 'fake' },
        clarity: { score: 1, reason: 'fake' },
        impact: { score: 1, reason: 'fake' },
        conciseness: { score: 1, reason: 'fake' },
        relevance: { score: 5, reason: 'fake' },
      });
      const fake = express()
        .use(express.json())
        .post('/v1/chat/completions', (_req, res) => {
          res.json({
            id: 'fake',
            object: 'chat.completion',
            created: 0,
            model: 'fake-judge',
            choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: verdict } }],
          });
        });
      const server = fake.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      try {
        const { port } = server.address() as { port: number };
        const withModel = await runEval({
          env: { LLM_BASE_URL: `http://127.0.0.1:${port}/v1`, LLM_MODEL: 'fake-judge' },
          trackingUri: '',
          outDir: tempDir('eval'),
        });
        expect(withModel).toMatchObject({
          provider: 'openai-compatible',
          model: 'fake-judge',
          scorer: 'rubric + model judgement',
        });
        // The judgement is held within a point of the rubric before averaging (agents/guard.ts clampToRubric).
        const held = (rubric: number, judged: number) => Math.min(rubric + 1, Math.max(rubric - 1, judged));
        withModel.rows.forEach((row, i) => {
          const rubric = report.rows[i]!.scores;
          expect(row.scores.relevance).toBe(Math.round((rubric.relevance + held(rubric.relevance, 5)) / 2));
          expect(row.scores.star).toBe(Math.max(1, Math.round((rubric.star + held(rubric.star, 1)) / 2)));
        });
      } finally {
        server.close();
      }
    });

    it('exits 1 under --min-agreement for a listed dimension below it, 0 otherwise, 2 on a bad flag', async () => {
      const below = ['star', 'impact'].some((d) => report.overall[d as 'star'].agreement < 0.7);
      expect(await cli(['--min-agreement=0.7', '--dims=star,impact'])).toBe(below ? 1 : 0);
      expect(await cli(['--min-agreement=0'])).toBe(0);
      expect(await cli(['--dims=charm'])).toBe(2);
    });
  });
});

function cli(args: string[]): Promise<number | null> {
  const env = { ...process.env };
  delete env.MLFLOW_TRACKING_URI;
  delete env.LLM_BASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/eval.ts'), ...args], {
    cwd: ROOT,
    env,
    stdio: 'ignore',
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
