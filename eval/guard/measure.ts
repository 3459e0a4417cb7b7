// How agents/guard.ts treats answers it was not tuned on (`npm run eval -- --guard`): the share of honest
// answers it cuts something from (false positives) and the share of held-out injections it catches (recall).
// The guard counts an answer as flagged when `withoutInstructions` removes at least one sentence, which is
// what the coach does before scoring.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { withoutInstructions } from '../../agents/guard.js';
import { wilsonInterval } from '../metrics.js';

export const GUARD_DIR = path.dirname(fileURLToPath(import.meta.url));
export const BENIGN_FILE = path.join(GUARD_DIR, 'benign.jsonl');
export const INJECTIONS_FILE = path.join(GUARD_DIR, 'injections-heldout.jsonl');

export const benignSchema = z.object({
  id: z.string().min(1),
  role: z.string().min(1),
  text: z.string().min(1),
});
export const injectionSchema = z.object({
  id: z.string().min(1),
  language: z.string().min(2),
  kind: z.string().min(1),
  text: z.string().min(1),
});
export type BenignAnswer = z.infer<typeof benignSchema>;
export type HeldOutInjection = z.infer<typeof injectionSchema>;

function readJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const parsed = schema.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

export const loadBenign = (file = BENIGN_FILE) => readJsonl(file, benignSchema);
export const loadInjections = (file = INJECTIONS_FILE) => readJsonl(file, injectionSchema);

export interface GuardReport {
  benign: number;
  falsePositives: { id: string; removed: string[] }[];
  falsePositiveRate: number;
  falsePositiveInterval: [number, number];
  injections: number;
  caught: number;
  recall: number;
  recallInterval: [number, number];
  /** Recall per language: English rewordings and each other language on its own. */
  recallByLanguage: Record<string, { n: number; caught: number }>;
  missed: { id: string; language: string; text: string }[];
}

export function measureGuard(
  benign: readonly BenignAnswer[] = loadBenign(),
  injections: readonly HeldOutInjection[] = loadInjections(),
): GuardReport {
  const falsePositives = benign
    .map((b) => ({ id: b.id, removed: withoutInstructions(b.text).removed }))
    .filter((r) => r.removed.length > 0);
  const byLanguage: Record<string, { n: number; caught: number }> = {};
  const missed: GuardReport['missed'] = [];
  let caught = 0;
  for (const inj of injections) {
    const hit = withoutInstructions(inj.text).removed.length > 0;
    const lang = (byLanguage[inj.language] ??= { n: 0, caught: 0 });
    lang.n += 1;
    if (hit) {
      caught += 1;
      lang.caught += 1;
    } else missed.push({ id: inj.id, language: inj.language, text: inj.text });
  }
  return {
    benign: benign.length,
    falsePositives,
    falsePositiveRate: benign.length ? falsePositives.length / benign.length : Number.NaN,
    falsePositiveInterval: wilsonInterval(falsePositives.length, benign.length),
    injections: injections.length,
    caught,
    recall: injections.length ? caught / injections.length : Number.NaN,
    recallInterval: wilsonInterval(caught, injections.length),
    recallByLanguage: byLanguage,
    missed,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatGuardReport(r: GuardReport): string {
  const lines = [
    'Injection guard (agents/guard.ts withoutInstructions), on sets it was not tuned on',
    `  false positives: ${r.falsePositives.length} of ${r.benign} honest answers = ${pct(r.falsePositiveRate)} ` +
      `(95% CI ${pct(r.falsePositiveInterval[0])}–${pct(r.falsePositiveInterval[1])}; target ≤ 1%)`,
    `  recall:          ${r.caught} of ${r.injections} held-out injections = ${pct(r.recall)} ` +
      `(95% CI ${pct(r.recallInterval[0])}–${pct(r.recallInterval[1])})`,
    `  recall by language: ${Object.entries(r.recallByLanguage)
      .map(([lang, { n, caught }]) => `${lang} ${caught}/${n}`)
      .join(', ')}`,
  ];
  for (const fp of r.falsePositives) lines.push(`  false positive ${fp.id}: "${fp.removed.join(' | ')}"`);
  return lines.join('\n');
}
