// Judging latency: one answer scored by the trained judge (MiniLM embeddings of its sentences, the job's
// requirement sentences and the question, then the features and the model), p50/p95 in ms, beside today's
// rubric (the coach's assess node, offline) in the same run. Two trained rows: "cold", every call embeds
// everything from scratch (the worst case: a first answer to a new job); and "job ready", the job's
// requirement sentences and the question embedded before the answer arrives (as in a session, where the
// question is asked before the answer and the job does not change), so only the answer's sentences are
// embedded while the clock runs. The machine's load average is printed: the cores may be shared. Run with `npm run bench:judge`;
// `JUDGE_BENCH_ANSWERS=50` to time fewer answers (default: every answer of the corpus's test split).
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { modelsDir } from '../core/models.mjs';
import { LocalMiniLmEmbedder } from '../ingestion/embed.js';
import { loadCorpus } from '../eval/corpus/schema.js';
import { judgeItemOf, rubricJudge, type Judge } from '../eval/judges.js';
import { judgeWith, loadRepoWeights } from '../agents/judgement/index.js';
import { cachedEmbedder } from '../agents/judgement/embedder.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const WARMUP = 5;
const TARGET_P95_MS = 150;

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

type Item = ReturnType<typeof judgeItemOf>;

async function time(judge: Judge, items: Item[], before?: (item: Item) => Promise<unknown>) {
  for (const item of items.slice(0, WARMUP)) await judge.score(item);
  const ms: number[] = [];
  for (const item of items) {
    await before?.(item);
    const start = performance.now();
    await judge.score(item);
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), max: ms[ms.length - 1]!, n: ms.length };
}

async function main() {
  const limit = Number(process.env.JUDGE_BENCH_ANSWERS ?? 0);
  const test = loadCorpus().answers.filter((a) => a.split === 'test');
  const items = (limit > 0 ? test.slice(0, limit) : test).map(judgeItemOf);
  // An embedder without the judgement's text cache: every answer pays for all its embeddings.
  const embedder = new LocalMiniLmEmbedder(modelsDir(ROOT));
  const weights = loadRepoWeights();
  const cold = judgeWith(weights, embedder);
  // Job ready: a text cache that is cleared and filled with the job and the question before each answer.
  let ready = cachedEmbedder(embedder);
  const warm = judgeWith(weights, { id: embedder.id, embed: (texts) => ready.embed(texts) });
  const prepare = async (item: Item) => {
    ready = cachedEmbedder(embedder);
    await ready.embed([item.job.title, ...item.job.requirements, item.question]);
  };
  const words = items.map((i) => i.answer.split(/\s+/).length).sort((a, b) => a - b);
  console.log(
    `judging one answer: ${items.length} test-split answers (${words[0]}–${words[words.length - 1]} words), ` +
      `${os.cpus().length} cores, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}, ` +
      new Date().toISOString(),
  );
  const rows: [string, Awaited<ReturnType<typeof time>>][] = [
    ['rubric (today)', await time(rubricJudge({}), items)],
    ['trained, cold', await time(cold, items)],
    ['trained, job ready', await time(warm, items, prepare)],
  ];
  console.log(`${'judge'.padEnd(26)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'max ms'.padStart(9)}`);
  for (const [name, r] of rows) {
    console.log(
      `${name.padEnd(26)}${r.p50.toFixed(1).padStart(9)}${r.p95.toFixed(1).padStart(9)}${r.max.toFixed(1).padStart(9)}`,
    );
  }
  for (const [name, r] of rows.slice(1)) {
    console.log(
      `${name} p95 ${r.p95.toFixed(1)} ms: ${r.p95 <= TARGET_P95_MS ? 'met' : 'MISSED'} (target ≤ ${TARGET_P95_MS} ms)`,
    );
  }
  console.log(
    `load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
