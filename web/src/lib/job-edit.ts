// Editing a job: the form's fields, and the PATCH body with only what changed (a changed text is
// re-indexed, so an untouched one must not be sent).
import type { DocumentKind, Job, JobUpdate, Seniority } from './api';

export interface JobFields {
  title: string;
  company: string;
  seniority: Seniority | '';
  description: string;
  resume: string;
  notes: string;
}

/** The pasted text each field edits, by document kind. */
export const PASTED_FIELD: Partial<Record<DocumentKind, 'description' | 'resume' | 'notes'>> = {
  jd: 'description',
  resume: 'resume',
  notes: 'notes',
};

export function fieldsOf(
  job: Job,
  texts: Partial<Record<'description' | 'resume' | 'notes', string>>,
): JobFields {
  const seniority = (['entry', 'mid', 'senior', 'staff'] as const).find((s) => s === job.seniority) ?? '';
  return {
    title: job.title,
    company: job.company,
    seniority,
    description: texts.description ?? '',
    resume: texts.resume ?? '',
    notes: texts.notes ?? '',
  };
}

/** The fields that differ from `before`, trimmed as the API stores them; empty when nothing changed. */
export function changesOf(before: JobFields, after: JobFields): JobUpdate {
  const out: JobUpdate = {};
  if (after.title.trim() !== before.title) out.title = after.title.trim();
  if (after.company.trim() !== before.company) out.company = after.company.trim();
  if (after.seniority !== before.seniority) out.seniority = after.seniority || null;
  for (const k of ['description', 'resume', 'notes'] as const)
    if (after[k].trim() !== before[k].trim()) out[k] = after[k].trim();
  return out;
}
