// Liveness, readiness and what this deployment runs.
import { z } from 'zod';
import { problemSchema } from './problem.js';
import { TTS_MAX_CHARS } from './limits.js';

export const healthSchema = z.object({ status: z.literal('ok') });

/** 200 when every dependency answers. */
export const readySchema = z
  .object({ status: z.literal('ready'), checks: z.record(z.string(), z.string()) })
  .meta({ id: 'Ready' });

/** 503: a problem naming the failing dependencies, with every check's outcome. */
export const notReadySchema = problemSchema
  .extend({ checks: z.record(z.string(), z.string()) })
  .meta({ id: 'NotReady' });

export const metaSchema = z
  .object({
    coach: z.object({ mode: z.enum(['offline', 'model']), model: z.string().nullable() }),
    embeddings: z.object({ model: z.string() }),
  })
  .meta({ id: 'Meta' });
export type Meta = z.infer<typeof metaSchema>;

export const ttsQuerySchema = z.object({
  text: z
    .string({ error: 'text is required (one query parameter)' })
    .trim()
    .min(1, 'text is empty')
    .max(TTS_MAX_CHARS, `text is longer than ${TTS_MAX_CHARS} characters`),
  voice: z
    .string()
    .regex(/^(piper|espeak):[A-Za-z0-9_+.-]{1,40}$/, 'voice is "<engine>:<voice>", like "espeak:en-gb+m3"')
    .optional()
    .meta({
      description:
        "a mock panelist's voice from their template: a variant of the Piper voice (piper:joe, piper:joe+low, piper:joe+high, piper:joe+higher) or an espeak-ng one; a voice this server cannot speak gets a stand-in; default: the configured voice",
    }),
});
