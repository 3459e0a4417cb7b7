// Upload fuzzing: seeded malformed PDFs, DOCX files and audio recordings (tests/security/fuzz/corpus.ts) run
// through the upload readers exactly as the services run them (tests/security/fuzz/run.ts). Every case must
// end as parsed text (or decoded audio) or a typed rejection with a reason for the user, within the time
// limit, without an error escaping, and with memory bounded. The default suite runs a short form (300 cases);
// `npm run test:fuzz` runs FUZZ_CASES=3000. FUZZ_SEED picks another reproducible corpus.
import { beforeAll, describe, expect, it } from 'vitest';
import { fuzzCases, makeSeeds, type FuzzKind, type Seeds } from './fuzz/corpus.js';
import { AUDIO_TIMEOUT_MS, DOCUMENT_LIMITS, runFuzz, summarise } from './fuzz/run.js';

const TOTAL = Number(process.env.FUZZ_CASES ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const COUNTS: Record<FuzzKind, number> = {
  pdf: Math.round(TOTAL * 0.3),
  docx: Math.round(TOTAL * 0.5),
  audio: TOTAL - Math.round(TOTAL * 0.3) - Math.round(TOTAL * 0.5),
};
/** ffprobe's limit plus ffmpeg's, for one recording. */
const AUDIO_LIMIT_MS = 15_000 + AUDIO_TIMEOUT_MS;
const SETTLE_SLACK_MS = 2_000;

let seeds: Seeds;
beforeAll(async () => {
  seeds = await makeSeeds();
});

describe(`upload fuzzing (${TOTAL} cases, seed ${SEED})`, () => {
  it('the corpus is reproducible: the same seed gives the same bytes', () => {
    const digest = (seed: number) =>
      [...fuzzCases(seeds, seed, { pdf: 20, docx: 20, audio: 10 })].map(
        (c) => `${c.id}:${Buffer.from(c.bytes).toString('base64').length}`,
      );
    expect(digest(SEED)).toEqual(digest(SEED));
    expect(digest(SEED)).not.toEqual(digest(SEED + 1));
    expect(seeds.audio.length).toBeGreaterThanOrEqual(4); // WAV and the ffmpeg-encoded containers
  });

  it(
    'every malformed upload ends parsed or rejected with a reason, in time, with nothing escaping and memory bounded',
    async () => {
      const report = await runFuzz(fuzzCases(seeds, SEED, COUNTS), { concurrency: 4 });
      console.log(summarise(report));
      expect(report.outcomes).toHaveLength(TOTAL);
      expect(report.escaped).toEqual([]);
      const crashed = report.outcomes.filter((o) => o.result === 'crashed');
      expect(crashed, JSON.stringify(crashed.slice(0, 5))).toEqual([]);
      for (const o of report.outcomes) {
        if (o.result === 'rejected') {
          expect(o.code, o.case).toMatch(/^[a-z_]+$/);
          expect(o.reason.length, o.case).toBeGreaterThan(10);
        }
        const limit = o.kind === 'audio' ? AUDIO_LIMIT_MS : DOCUMENT_LIMITS.timeoutMs;
        expect(o.ms, `${o.case} took ${Math.round(o.ms)} ms`).toBeLessThan(limit + SETTLE_SLACK_MS);
      }
      // The corpus reaches both ends of every reader: some damage is survivable, most is not.
      for (const kind of ['pdf', 'docx', 'audio'] as const) {
        const mine = report.outcomes.filter((o) => o.kind === kind);
        expect(
          mine.some((o) => o.result === 'parsed'),
          `${kind}: nothing parsed`,
        ).toBe(true);
        expect(
          mine.some((o) => o.result === 'rejected'),
          `${kind}: nothing rejected`,
        ).toBe(true);
      }
      // Memory: PDF workers have their own 512 MB heap cap; the process must not grow without bound.
      expect(report.peakRssMb - report.startRssMb).toBeLessThan(1536);
      expect(report.endHeapMb - report.startHeapMb).toBeLessThan(256);
    },
    Math.max(120_000, TOTAL * 1_000),
  );
});
