// Short requirement phrases of a job description: what a question may quote out loud. A phrase is one
// item of the posting ("experience running Kubernetes in production"), at most a dozen words, never a
// whole chunk: an interviewer names one thing the job needs, not a paragraph of it.
import type { ScoredChunk } from '../../ingestion/store.js';
import { stripMarkdown } from './markdown.js';
import { contentTerms, sentencesOf, wordCount } from './text.js';

export const MAX_PHRASE_WORDS = 12;

/** Openings that announce a requirement without being part of it. */
const LEAD_IN =
  /^(?:as (?:an? |the |our )?[^,]{1,50}?(?:,\s*(?:you will|you'll)?|\s+(?:you will|you'll))|(?:in this role,?\s*)?(?:you will|you'll|you have|you are|you bring|you can)|we(?: are|'re) looking for (?:an? [^,]{1,40}? to\b|(?:someone|a person|people|candidates)?\s*(?:with|who)?)|the ideal candidate (?:has|will|is)|candidates? (?:must|should|will) (?:have|be)|(?:must|should) have|responsibilities include|this role (?:requires|involves|includes)|requirements? (?:include|are)|ability to demonstrate)\s*:?\s*/i;

/** Parts of a posting that are about the employer or the application, not the work. */
const NOT_WORK =
  /equal opportunity|salary|compensation|benefits|\bapply\b|applications? (?:close|deadline|form|process)|closing date|visa|e-?mail (?:us|your)\b|\bpto\b|holidays?|pay range|per (?:hour|year)|background check|citizenship|relocation|https?:|\bto join (?:our|a|the|us)\b/i;

/** A credential to hold rather than work to do: no one is asked "when have you done that yourself?". */
const CREDENTIAL =
  /\b(?:degree|diploma|certificat(?:e|ion)|licen[cs]e|clearance|qualified (?:\w+ ){0,2}status|working towards it|level \d|CPA|CFA|CIPD|ACCA|CIMA|PMP|CISSP)\b/i;

/**
 * The employer describing itself: "Riverside Academy is a comprehensive school…", "We are a small team…",
 * "Fabrikam Manufacturing makes precision parts…", "We have been growing 15% a year".
 */
const EMPLOYER_BLURB =
  /^(?:we|[A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*){0,4})\s+(?:(?:is|are)\s+(?:a|an|the|one of)\b|(?:has|have) (?:been|grown)\b|(?:makes?|employs?|builds?|provides?|suppl(?:y|ies)|serves?|operates?|manufactures?|sells?|was founded|were founded)\b)/;

/** A heading on its own line ("Key qualifications"), which names a section rather than a requirement. */
const HEADING =
  /^(?:key |basic |preferred |minimum |desired )?(?:requirements?|responsibilities|qualifications?|duties|skills|about(?: us| the role| you)?|what you(?:'ll| will) (?:be )?do(?:ing)?|what we(?:'re| are) looking for|what we offer|why join us|who you are|nice to have|benefits|overview|summary|the role|the team)\b/i;

/**
 * A heading run into the line before it, as a chunk joins a posting's lines ("…to brand standards What we're
 * looking for"): said with its capital, so "the requirements of…" inside a sentence is not one.
 */
const RUN_IN_HEADING =
  /\s+(?=(?:What you(?:'ll| will) (?:be )?do(?:ing)?|What we(?:'re| are) looking for|What we offer|Why join us|Who you are|About (?:you|us|the role)|Nice to have|Key (?:responsibilities|requirements|skills))\b)/g;

/** Places a long item can be cut while keeping its head a phrase of its own. */
const CUTS = [
  /;/,
  /:/,
  /\s[—–]\s/,
  /\s-\s/,
  /,?\s+such as\s/i,
  /,?\s+including\s/i,
  /,?\s+e\.g\.\s/i,
  /\s\(/,
  // Not inside a number ("1,200").
  /,(?!\d)/,
  // A long item without punctuation: before its relative clause, else before its first preposition
  // ("use assessment data to spot students who…", "plan and teach engaging maths lessons to classes of…").
  /\s(?:who|which|that|where)\s/gi,
  /\s(?:to|across|for|of|with|in|on|at|by|from|through)\s/gi,
];

const FUNCTION_WORD_END =
  /\s+(?:and|or|of|to|in|on|for|with|the|a|an|as|at|by|from|that|which|who|our|your|their)$/i;

function tidy(phrase: string, cut: boolean): string {
  let p = phrase
    .replace(/^[^\p{L}\p{N}]+/u, '')
    .replace(/[\s.;:,!?)(]+$/u, '')
    .trim();
  // A parenthesis the phrase does not close is an aside cut short: "…Leeds plant (600 employees".
  p = p.replace(/\s*\([^)]*$/, '');
  // A word left dangling by a cut goes; one the item itself ends on stays ("…want to come back to").
  while (cut && FUNCTION_WORD_END.test(p)) p = p.replace(FUNCTION_WORD_END, '');
  // "Experience with AWS" reads as "experience with AWS" inside a sentence; "AWS experience" and a name
  // ("Riverside Academy…") keep their caps.
  if (/^[A-Z][a-z]/.test(p) && !/^\S+\s+[A-Z][a-z]/.test(p)) p = p.charAt(0).toLowerCase() + p.slice(1);
  return p;
}

/** The requirement phrase of one item of a posting, or null when it is not one short requirement. */
export function phraseOf(item: string): string | null {
  let text = item.replace(/^[^:\n]{1,40}:\s+(?=\S)/, (m) => (HEADING.test(m) ? '' : m)).trim();
  if (
    !text ||
    text.endsWith(':') ||
    NOT_WORK.test(text) ||
    EMPLOYER_BLURB.test(text) ||
    CREDENTIAL.test(text)
  )
    return null;
  if (HEADING.test(text) && wordCount(text) <= 4) return null;
  text = text.replace(LEAD_IN, '');
  const whole = text;
  // Two requirements in one item ("Strong Excel modelling skills; SQL a plus"): the first is the phrase.
  const [first] = text.split(/\s*;\s*/);
  if (wordCount(first!) >= 3) text = first!;
  for (const cut of CUTS) {
    if (wordCount(text) <= MAX_PHRASE_WORDS) break;
    // The first place to cut that leaves a head of three words or more.
    const head = (cut.global ? [...text.matchAll(cut)] : [cut.exec(text)]).find(
      (m) => m && m.index > 0 && wordCount(text.slice(0, m.index)) >= 3,
    );
    if (head) text = text.slice(0, head.index);
  }
  const phrase = tidy(text, text !== whole);
  const words = wordCount(phrase);
  if (words < 2 || words > MAX_PHRASE_WORDS || contentTerms(phrase).length < 2) return null;
  return phrase;
}

/** A passage's lines as a posting lays them out: chunks join a list's lines with spaces, so they are split again. */
function linesOf(text: string): string[] {
  return (
    text
      // A bold label followed by a list or a new sentence ("**What you'll do** As a...") is a heading of its own.
      .replace(/(\*\*|__)([A-Z][^*_\n]{0,48}?)\1:?(?=\s+(?:[-*•]\s|[A-Z0-9*_])|\s*$)/gm, '\n$2:\n')
      // A bullet inside a line starts an item too; a number only after a line's or a sentence's end ("1. Plan
      // lessons. 2. Teach"), so "students aged 11 to 16. Use data" stays one line.
      .replace(/\s+[-*•]\s+(?=[*_`[]*[A-Z0-9])/g, '\n- ')
      .replace(/(^|[.:;!?])\s*\d{1,2}[.)]\s+(?=[*_`[]*[A-Z])/gm, '$1\n- ')
      .replace(RUN_IN_HEADING, '\n')
      .split('\n')
  );
}

const sentencesOfLines = (lines: readonly string[]): string[] =>
  stripMarkdown(lines.join('\n'))
    .split('\n')
    .flatMap((line) => sentencesOf(line))
    .filter(Boolean);

/** A passage's text without the section heading its chunk starts with ("Requirements: ..."). */
function bodyOf(passage: ScoredChunk): string {
  const prefix = passage.section ? `${passage.section}: ` : '';
  return prefix && passage.text.startsWith(prefix) ? passage.text.slice(prefix.length) : passage.text;
}

/** Sections of a posting about the employer or the offer rather than the work ("About us", "Benefits"). */
const NOT_WORK_SECTION =
  /^(?:about\b(?!\s+(?:you|the role|the job|this role|the position)\b)|benefits|perks|what we offer|why join us|how to apply|our (?:company|mission|story|values)|who we are\b|equal opportunity)/i;

/**
 * A passage's lines about the work: not its headings, and not the lines under a heading on the employer or
 * the offer ("About us:", "Benefits:"), which a question should not quote nor the judgement read as the job.
 */
function workLines(passage: ScoredChunk): string[] {
  const kept: string[] = [];
  let skipping = NOT_WORK_SECTION.test(passage.section ?? '');
  for (const line of linesOf(bodyOf(passage))) {
    const plain = stripMarkdown(line).trim();
    // A heading names the section the lines after it are in ("About us:", "# Site Reliability Engineer").
    if (
      /^\s*#/.test(line) ||
      (plain.endsWith(':') && wordCount(plain) <= 6) ||
      (HEADING.test(plain) && wordCount(plain) <= 6 && !/[.!]$/.test(plain))
    ) {
      skipping = NOT_WORK_SECTION.test(plain);
      continue;
    }
    if (!skipping) kept.push(line);
  }
  return kept;
}

/**
 * The job's requirement sentences as the trained judgement reads a job (a title and what the job asks for,
 * as the labelled corpus gives one): the sentences of the postings' work lines, without the application's
 * small print. Read as every sentence retrieved, a posting cost 0.10 of dev relevance kappa against the same
 * job given cleanly.
 */
export function requirementSentences(passages: readonly ScoredChunk[], title = ''): string[] {
  const kept = passages.filter((p) => p.kind !== 'resume').flatMap(workLines);
  const seen = new Set([title.trim().toLowerCase()]);
  return sentencesOfLines(kept).filter((sentence) => {
    const key = sentence.toLowerCase();
    const keep =
      !seen.has(key) &&
      /\p{L}/u.test(sentence) &&
      wordCount(sentence) >= 3 &&
      !NOT_WORK.test(sentence) &&
      !(HEADING.test(sentence) && wordCount(sentence) <= 4);
    seen.add(key);
    return keep;
  });
}

export interface RequirementPhrase {
  phrase: string;
  passage: ScoredChunk;
}

/** Every requirement phrase of the job's passages (not the résumé), in retrieval order, once each. */
export function requirementPhrases(passages: readonly ScoredChunk[]): RequirementPhrase[] {
  const out: RequirementPhrase[] = [];
  const seen = new Set<string>();
  for (const passage of passages.filter((p) => p.kind !== 'resume')) {
    for (const item of sentencesOfLines(workLines(passage))) {
      const phrase = phraseOf(item);
      if (phrase && !seen.has(phrase.toLowerCase())) {
        seen.add(phrase.toLowerCase());
        out.push({ phrase, passage });
      }
    }
  }
  return out;
}

/**
 * The phrase that shares most terms with `about` (ties: the earlier, better retrieved one), or null when
 * none shares any: a question is not prefaced with a requirement on another subject.
 */
export function closestPhrase(
  phrases: readonly RequirementPhrase[],
  about: readonly string[],
): RequirementPhrase | null {
  const wanted = about.flatMap((k) => contentTerms(k));
  let best: { r: RequirementPhrase; score: number } | null = null;
  for (const r of phrases) {
    const own = contentTerms(r.phrase);
    const score = wanted.filter((w) => own.some((t) => t.startsWith(w) || w.startsWith(t))).length;
    if (!best || score > best.score) best = { r, score };
  }
  return best && best.score > 0 ? best.r : null;
}
