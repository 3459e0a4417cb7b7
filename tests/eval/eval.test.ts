// The labelled corpus (eval/corpus), the metrics and the harness over it (no MLflow here: see mlflow.test.ts).
import express from 'express';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { withoutInstructions } from '../../agents/guard.js';
import { assess, jobKeywords } from '../../agents/rubric.js';
import { SCORE_DIMENSIONS } from '../../core/types.js';
import { buildCorpus } from '../../eval/corpus/build.js';
import { integerToWords, numbersToWords } from '../../eval/corpus/numbers.js';
import {
  CORPUS_DIR,
  ROLE_FAMILIES,
  jobText,
  loadCorpus,
  segmentSentences,
} from '../../eval/corpus/schema.js';
import { loadBenign, loadInjections, measureGuard } from '../../eval/guard/measure.js';
import { constantJudge, judgeItemOf, lengthJudge, rubricJudge } from '../../eval/judges.js';
import { exactAgreement, quadraticWeightedKappa, withinOneAgreement } from '../../core/agreement.js';
import { pairAccuracy, wilsonInterval } from '../../eval/metrics.js';
import { formatReport, runEval, toSummaryCsv, type EvalReport } from '../../scripts/eval.js';
import { ROOT, tempDir } from '../support/processes.js';

const corpus = loadCorpus();
const byId = new Map(corpus.answers.map((a) => [a.id, a]));

describe('the labelled corpus', () => {
  it('is what build.ts makes from the hand-written stories (no hand edits to the generated files)', () => {
    const built = buildCorpus();
    const jsonl = (rows: readonly object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
    expect(jsonl(built.answers)).toBe(readFileSync(path.join(CORPUS_DIR, 'answers.jsonl'), 'utf8'));
    expect(jsonl(built.sentences)).toBe(readFileSync(path.join(CORPUS_DIR, 'sentences.jsonl'), 'utf8'));
    expect(jsonl(built.pairs)).toBe(readFileSync(path.join(CORPUS_DIR, 'pairs.jsonl'), 'utf8'));
  });

  it('holds at least 400 answers in all twelve role families and at least 1,500 labelled sentences', () => {
    expect(corpus.answers.length).toBeGreaterThanOrEqual(400);
    expect(corpus.sentences.length).toBeGreaterThanOrEqual(1500);
    expect(new Set(corpus.answers.map((a) => a.role))).toEqual(new Set(ROLE_FAMILIES));
    const bases = corpus.answers.filter((a) => a.variant === 'base');
    expect(bases.length).toBeGreaterThanOrEqual(70);
    // At least half told without the textbook cues.
    const cued = bases.filter((a) => /\b(my task was|as a result)\b/i.test(a.answer));
    expect(cued.length).toBeLessThanOrEqual(bases.length / 2);
    const words = bases.map((a) => a.answer.split(/\s+/).length);
    expect(Math.min(...words)).toBeLessThanOrEqual(40);
    expect(Math.max(...words)).toBeGreaterThanOrEqual(200);
  });

  it('indexes each answer sentence as Intl.Segmenter splits it', () => {
    const sentencesOf = new Map<string, string[]>();
    for (const s of corpus.sentences) {
      const list = sentencesOf.get(s.answerId) ?? [];
      list[s.index] = s.text;
      sentencesOf.set(s.answerId, list);
    }
    for (const a of corpus.answers) expect(sentencesOf.get(a.id), a.id).toEqual(segmentSentences(a.answer));
  });

  it('splits by story family: every variant shares its family split, each role in both, about 70/30', () => {
    const splitOfFamily = new Map<string, string>();
    for (const a of corpus.answers) {
      expect(splitOfFamily.get(a.family) ?? a.split, a.id).toBe(a.split);
      splitOfFamily.set(a.family, a.split);
    }
    const families = [...splitOfFamily.values()];
    const testShare = families.filter((s) => s === 'test').length / families.length;
    expect(testShare).toBeGreaterThan(0.25);
    expect(testShare).toBeLessThan(0.4);
    for (const role of ROLE_FAMILIES) {
      const splits = new Set(
        corpus.answers
          .filter((a) => a.family.length && a.variant === 'base' && a.role === role)
          .map((a) => a.split),
      );
      expect(splits, role).toEqual(new Set(['dev', 'test']));
    }
  });

  it('moves the labels of each mechanical variant by the guide: no result → impact 1, we → STAR down, ...', () => {
    for (const a of corpus.answers.filter((x) => x.variant !== 'base')) {
      const base = byId.get(a.family)!;
      if (a.variant === 'numbers_in_words') {
        expect(a.labels, a.id).toEqual(base.labels);
        expect(a.answer, a.id).not.toMatch(/\d/);
      }
      if (a.variant === 'no_result') expect(a.labels.impact, a.id).toBe(1);
      if (a.variant === 'we') {
        expect(a.labels.star, a.id).toBe(Math.max(1, base.labels.star - 1));
        expect(a.answer, a.id).not.toMatch(/\bI\b/);
      }
      if (a.variant === 'tangents')
        expect(a.labels.conciseness, a.id).toBe(Math.max(1, base.labels.conciseness - 2));
      if (a.variant === 'fillers') expect(a.labels.clarity, a.id).toBe(Math.max(1, base.labels.clarity - 2));
      if (a.variant === 'domain_moved') {
        expect(a.role, a.id).not.toBe(base.role);
        expect(a.answer, a.id).toBe(base.answer);
        expect(a.labels.relevance, a.id).toBeLessThanOrEqual(2);
      }
      if (a.variant === 'wrong_question') {
        expect(a.question, a.id).not.toBe(base.question);
        expect([a.answer, a.role], a.id).toEqual([base.answer, base.role]);
        expect(a.labels, a.id).toEqual({ ...base.labels, relevance: Math.min(base.labels.relevance, 2) });
      }
    }
  });

  it('draws minimal pairs within one family, the better answer labelled higher on the pair dimension', () => {
    expect(corpus.pairs.length).toBeGreaterThanOrEqual(200);
    for (const p of corpus.pairs) {
      const better = byId.get(p.better)!;
      const worse = byId.get(p.worse)!;
      expect(better.family).toBe(worse.family);
      expect(better.labels[p.dimension], `${p.better} > ${p.worse} on ${p.dimension}`).toBeGreaterThan(
        worse.labels[p.dimension],
      );
    }
    for (const d of SCORE_DIMENSIONS)
      expect(
        corpus.pairs.some((p) => p.dimension === d),
        d,
      ).toBe(true);
  });

  it('says numbers as a speaker would', () => {
    expect(integerToWords(1000)).toBe('one thousand');
    expect(integerToWords(140_000)).toBe('one hundred and forty thousand');
    expect(numbersToWords('from 2% to 0.04%')).toBe('from two percent to zero point zero four percent');
    expect(numbersToWords('a $90,000 deal that grew to $140,000.')).toBe(
      'a ninety thousand dollar deal that grew to one hundred and forty thousand dollars.',
    );
    expect(numbersToWords('about 1 in 1,000 in 2022')).toBe('about one in one thousand in twenty twenty-two');
  });
});

describe('the metrics', () => {
  it('computes quadratic weighted kappa as by hand', () => {
    // labels 1,2,3 scored 1,2,2 on five levels, weights (i-j)^2/16: observed disagreement 1/16; expected
    // from the margins (labels one each of 1,2,3; scores one 1, two 2s) (1/3)·(2 + 1 + 4 + 2)/16 = 3/16;
    // kappa = 1 - (1/16)/(3/16) = 2/3.
    expect(quadraticWeightedKappa([1, 2, 3], [1, 2, 2])).toBeCloseTo(2 / 3, 12);
    expect(quadraticWeightedKappa([1, 3, 5, 2], [1, 3, 5, 2])).toBe(1);
    // A constant score agrees only by chance.
    expect(quadraticWeightedKappa([1, 2, 3, 4, 5], [3, 3, 3, 3, 3])).toBe(0);
    // Reversed order disagrees more than chance.
    expect(quadraticWeightedKappa([1, 2, 4, 5], [5, 4, 2, 1])).toBeLessThan(0);
    expect(quadraticWeightedKappa([3, 3], [3, 3])).toBeNaN();
    expect(() => quadraticWeightedKappa([1, 2], [1, 6])).toThrow(/whole scores/);
  });

  it('computes exact and within-one agreement and counts a tie as a misordered pair', () => {
    expect(exactAgreement([1, 2, 3, 4], [1, 3, 3, 1])).toBe(0.5);
    expect(withinOneAgreement([1, 2, 3, 4], [1, 3, 3, 1])).toBe(0.75);
    expect(
      pairAccuracy([
        { better: 4, worse: 3 },
        { better: 3, worse: 3 },
        { better: 2, worse: 3 },
        { better: 5, worse: 1 },
      ]),
    ).toBe(0.5);
    const [lo, hi] = wilsonInterval(3, 373);
    expect(lo).toBeGreaterThan(0);
    expect(hi).toBeLessThan(0.03);
  });

  it('fits the constant and length-only baselines on the labels they are given (dev), not on test', async () => {
    const dev = corpus.answers.filter((a) => a.split === 'dev');
    // Relabel dev so that STAR is 1 everywhere: both baselines must follow the labels they are fit on.
    const relabelled = dev.map((a) => ({ ...a, labels: { ...a.labels, star: 1 } }));
    const item = judgeItemOf(corpus.answers.find((a) => a.split === 'test')!);
    expect((await constantJudge(relabelled).score(item)).star).toBe(1);
    expect((await lengthJudge(relabelled).score(item)).star).toBe(1);
    expect((await constantJudge(dev).score(item)).star).toBeGreaterThan(1);
    // Length alone decides: the same words in another order score the same.
    const length = lengthJudge(dev);
    const reversed = { ...item, answer: item.answer.split(' ').reverse().join(' ') };
    expect(await length.score(reversed)).toEqual(await length.score(item));
  });

  it("scores today's rubric through the coach's assess node exactly as the rubric does with the job's keywords", async () => {
    const rubric = rubricJudge({});
    for (const a of corpus.answers.filter((x) => x.split === 'test').slice(0, 40)) {
      const direct = assess(a.answer, jobKeywords(jobText(a.job), a.question));
      expect(await rubric.score(judgeItemOf(a)), a.id).toEqual(direct.scores);
    }
  });
});

describe('npm run eval on the test split', () => {
  let report: EvalReport;
  let printed: string;
  beforeAll(async () => {
    report = await runEval({ env: {}, trackingUri: '', outDir: tempDir('eval') });
    printed = formatReport(report);
    console.log(printed);
  });

  it('reads only the test split and prints every baseline row and the trained judge (agents/judgement)', () => {
    expect(report.answers.length).toBe(corpus.answers.filter((a) => a.split === 'test').length);
    expect(report.answers.every((a) => a.split === 'test')).toBe(true);
    expect(report.pairs.every((p) => byId.get(p.better)!.split === 'test')).toBe(true);
    for (const name of [
      'constant (dev mode)',
      'length only (fit on dev)',
      'rubric (today)',
      'trained judge',
    ]) {
      expect(
        printed.split('\n').filter((l) => l.startsWith(name)),
        name,
      ).toHaveLength(4);
    }
    for (const block of [
      'quadratic weighted kappa',
      'exact agreement',
      'within one level',
      'minimal-pair accuracy',
    ]) {
      expect(printed).toContain(block);
    }
    expect(report.skipped).toEqual([]);
    const trained = report.results.find((r) => r.name.startsWith('trained judge'))!;
    expect(trained.baseline).toBe(false);
    expect(printed).toMatch(/^targets .*\n( {2}trained judge .*\n){5}/m);
    for (const d of SCORE_DIMENSIONS) expect(trained.metrics[d].qwk, d).toBeGreaterThan(0.5);
  });

  it('measures a constant score as chance (kappa 0) and never orders a pair', () => {
    const constant = report.results.find((r) => r.name === 'constant (dev mode)')!;
    for (const d of SCORE_DIMENSIONS) {
      expect(constant.metrics[d].qwk, d).toBe(0);
      expect(constant.metrics[d].pairAccuracy, d).toBe(0);
    }
  });

  it('writes the per-answer and summary tables with a line for every test answer and judge dimension', () => {
    const lines = readFileSync(report.csvPath, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(report.answers.length + 1);
    expect(lines[0]).toMatch(/^id,family,role,variant,words,label_star,/);
    expect(lines[0]).toContain('rubric_today_relevance');
    const summary = readFileSync(report.summaryCsvPath, 'utf8');
    expect(summary).toBe(toSummaryCsv(report));
    expect(summary.trim().split('\n')).toHaveLength(1 + report.results.length * SCORE_DIMENSIONS.length);
  });

  it('adds the trained judge as a row when agents/judgement exports createTrainedJudge (a FAKE module here)', async () => {
    // A stand-in module: the real one is built elsewhere; this checks only the plug.
    const dir = tempDir('judge');
    const file = path.join(dir, 'index.mjs');
    writeFileSync(
      file,
      `export function createTrainedJudge() {
        return { name: 'fake trained judge', score: async (item) => {
          const s = item.answer.split(/\\s+/).length > 60 ? 4 : 2;
          return { star: s, clarity: 3, impact: s, conciseness: 3, relevance: 3 };
        } };
      }\n`,
    );
    const withJudge = await runEval({
      env: {},
      trackingUri: '',
      outDir: dir,
      trainedJudgeModule: pathToFileURL(file),
    });
    expect(withJudge.skipped).toEqual([]);
    expect(withJudge.results.map((r) => r.name)).toContain('fake trained judge');
    const text = formatReport(withJudge);
    expect(text).toMatch(/^fake trained judge/m);
    expect(text).toMatch(/fake trained judge star: MISSED/);

    const broken = path.join(dir, 'broken.mjs');
    writeFileSync(broken, 'export const nothing = 1;\n');
    await expect(
      runEval({ env: {}, trackingUri: '', outDir: dir, trainedJudgeModule: pathToFileURL(broken) }),
    ).rejects.toThrow(/does not export createTrainedJudge/);
  });

  it('with a model endpoint, scores the rubric row with the model judgement averaged in (a FAKE OpenAI-compatible server, since no model runs here)', async () => {
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
      const offline = report.results.find((r) => r.name === 'rubric (today)')!;
      const combined = withModel.results.find((r) => r.name === 'rubric + model (today)')!;
      // The judgement is held within a point of the rubric before averaging (agents/guard.ts clampToRubric).
      const held = (rubric: number, judged: number) => Math.min(rubric + 1, Math.max(rubric - 1, judged));
      for (const a of report.answers) {
        const rubric = offline.scores.get(a.id)!;
        const row = combined.scores.get(a.id)!;
        expect(row.relevance).toBe(Math.round((rubric.relevance + held(rubric.relevance, 5)) / 2));
        expect(row.star).toBe(Math.max(1, Math.round((rubric.star + held(rubric.star, 1)) / 2)));
      }
    } finally {
      server.close();
    }
  });
});

describe('the command line', () => {
  it('orders an outside set of pairs with --pairs, and exits 2 on a bad flag or a bad pairs file', async () => {
    const dir = tempDir('pairs');
    const job = {
      title: 'Site Reliability Engineer',
      requirements: ['Automate deploys.', 'Lead incidents.', 'Define SLOs.'],
    };
    const file = path.join(dir, 'outside.jsonl');
    writeFileSync(
      file,
      [
        {
          job,
          question: 'Tell me about a time you made deploys safer.',
          dimension: 'impact',
          better:
            'I added canary releases with automatic rollback. Rollbacks went from one in five releases to one in fifty, and we shipped daily instead of weekly.',
          worse: 'I added canary releases with automatic rollback.',
        },
      ]
        .map((p) => JSON.stringify(p))
        .join('\n') + '\n',
    );
    const ok = await cli(['--pairs', file]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/outside pairs \(1 from .*outside\.jsonl\)/);
    expect(ok.stdout).toMatch(/^ {2}rubric \(today\)\s+\d+%/m);

    const bad = path.join(dir, 'bad.jsonl');
    writeFileSync(
      bad,
      JSON.stringify({ job, question: 'q', better: 'a', worse: 'b', dimension: 'charm' }) + '\n',
    );
    const refused = await cli(['--pairs', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/bad\.jsonl:1/);
    expect((await cli(['--dims=charm'])).code).toBe(2);
  });

  it('measures the guard with --guard on at least 300 honest answers and the held-out injections', async () => {
    const benign = loadBenign();
    const injections = loadInjections();
    expect(benign.length).toBeGreaterThanOrEqual(300);
    const words = /\b(address|password|instructions?|system|ignor\w*)\b/i;
    expect(benign.filter((b) => words.test(b.text)).length).toBeGreaterThanOrEqual(150);
    expect(new Set(injections.map((i) => i.language)).size).toBeGreaterThanOrEqual(10);
    const measured = measureGuard(benign, injections);
    const flagged = benign.filter((b) => withoutInstructions(b.text).removed.length > 0).map((b) => b.id);
    expect(measured.falsePositives.map((f) => f.id)).toEqual(flagged);
    const caught = injections.filter((i) => withoutInstructions(i.text).removed.length > 0).length;
    expect(measured.caught).toBe(caught);
    const run = await cli(['--guard']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`false positives: ${flagged.length} of ${benign.length} honest answers`);
    expect(run.stdout).toContain(`recall:          ${caught} of ${injections.length} held-out injections`);
  });
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.MLFLOW_TRACKING_URI;
  delete env.LLM_BASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/eval.ts'), ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}
