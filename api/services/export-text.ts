// Text helpers shared by the session export (./export.ts) and the panel's part of it (./panel-export.ts).
import type { SCORE_DIMENSIONS } from '../../core/types.js';

export const DIMENSION_LABEL: Record<(typeof SCORE_DIMENSIONS)[number], string> = {
  star: 'STAR',
  clarity: 'Clarity',
  impact: 'Impact',
  conciseness: 'Conciseness',
  relevance: 'Relevance',
};

/** Escapes user text inline: characters that would become markup, and line starts that would become blocks. */
export function mdInline(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/([\\`*_[\]<>|])/g, '\\$1');
}
