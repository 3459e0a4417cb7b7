// A coach version: the prompt set (templates with {{placeholders}}) plus, optionally, the model and its
// temperature. The repo ships agents/prompts/coach-prompts@1.json; the MLflow model registry serves others
// (agents/registry/coach-registry.ts). A version is validated when it is loaded, so a bad one never reaches a run.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The placeholders each template may use. The system prompt takes none. */
export const PROMPT_PLACEHOLDERS = {
  system: [],
  selectQuestion: ['role', 'company', 'module', 'seed', 'asked', 'passages'],
  critique: ['question', 'answer', 'rubric', 'passages'],
  rewrite: ['question', 'answer'],
  drill: ['weakest', 'question'],
  judge: ['metrics', 'question', 'answer', 'passages'],
} as const satisfies Record<string, readonly string[]>;

export type PromptName = keyof typeof PROMPT_PLACEHOLDERS;

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

const template = (name: PromptName) =>
  z
    .string()
    .max(20_000)
    .refine((text) => text.trim().length > 0, 'empty template')
    .superRefine((text, ctx) => {
      const allowed: readonly string[] = PROMPT_PLACEHOLDERS[name];
      for (const [, key] of text.matchAll(PLACEHOLDER)) {
        if (!allowed.includes(key!)) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown placeholder {{${key}}} (allowed: ${allowed.join(', ') || 'none'})`,
          });
        }
      }
    });

export const coachVersionSchema = z.object({
  version: z.string().trim().min(1).max(100),
  prompts: z.object({
    system: template('system'),
    selectQuestion: template('selectQuestion'),
    critique: template('critique'),
    rewrite: template('rewrite'),
    drill: template('drill'),
    judge: template('judge'),
  }),
  /** Overrides LLM_MODEL when set (only with an OpenAI-compatible endpoint; the offline coach has no model). */
  model: z.string().trim().min(1).max(200).optional(),
  /** Overrides LLM_TEMPERATURE when set. */
  temperature: z.number().min(0).max(2).optional(),
});

export type CoachVersion = z.infer<typeof coachVersionSchema>;

/** A version from JSON text or an object; throws a readable error when it is not a valid coach version. */
export function parseCoachVersion(input: unknown): CoachVersion {
  const value = typeof input === 'string' ? (JSON.parse(input) as unknown) : input;
  const parsed = coachVersionSchema.safeParse(value);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid coach version:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export const REPO_COACH_VERSION_FILE = new URL('./prompts/coach-prompts@1.json', import.meta.url);

/** The versioned prompt file in the repo: what the coach runs without MLflow, and the fallback with it. */
export const DEFAULT_COACH_VERSION: CoachVersion = parseCoachVersion(
  readFileSync(REPO_COACH_VERSION_FILE, 'utf8'),
);

/**
 * Fills `{{name}}` placeholders in one pass: a value is inserted verbatim and never scanned again, so text
 * from a user that happens to contain `{{answer}}` or `$&` stays as typed.
 */
export function renderTemplate(text: string, values: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`no value for the prompt placeholder {{${key}}}`);
    return value;
  });
}
