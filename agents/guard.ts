// Defences against hostile text: documents and answers are a user's data, never instructions to the coach.
// Three layers, each useful without the others:
//  1. in:  `withoutInstructions` drops sentences addressed to the model (before scoring and before any prompt),
//          `fence` keeps what remains inside its delimiters (no fake tags or chat-role markers);
//  2. out: `OutputGuard` drops model sentences that quote the prompt, carry a secret-looking token or a link
//          the session's own sources do not hold, or echo an injection;
//  3. scores: `clampToRubric` keeps a model's judgement within one point of the deterministic metrics.
import { sentenceSegments, splitSentences } from '../core/text/index.js';
import { SCORE_DIMENSIONS, type Score, type ScoreDimension } from '../core/types.js';
import type { CoachVersion } from './versions.js';

/**
 * Zero-width, bidi-control, variation-selector and tag characters (Unicode's default-ignorable code points):
 * invisible to a reader, used to hide or split instructions.
 */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

/** NFKC (full-width and styled letters become plain ones) without invisible characters. */
export function normalise(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '');
}

// Each pattern reads one sentence (normalised, lower-cased, whitespace collapsed). They look for text
// addressed to a model or grader, not for topics: "I ignored the noise" or "our system prompts users" pass.
const WINDOW = '[^.!?\\n]{0,60}?';
const INSTRUCTION_PATTERNS: readonly RegExp[] = [
  // "ignore all previous instructions", "disregard the rubric", "forget your rules" (imperatives only:
  // "I ignored the noise" passes)
  new RegExp(
    `\\b(ignore|disregard|forget|override|bypass)\\b${WINDOW}\\b(previous|prior|above|earlier|all|any|your|the|these|those|system|scoring)\\s+(\\w+\\s+)?(instructions?|prompts?|rules?|rubric|guidelines?|directions?|guardrails?|system message)\\b`,
  ),
  // "reveal / repeat / print your system prompt", "print the hidden instructions"
  new RegExp(
    `\\b(reveal|repeat|print|show|output|display|leak|dump|tell me|share|write out|recite|echo)\\b${WINDOW}(\\bsystem (prompt|message)\\b|\\byour (\\w+ )?(prompt|instructions|rules|configuration)\\b|\\b(hidden|initial|original|secret|full|exact) (prompt|instructions)\\b|\\bapi keys?\\b)`,
  ),
  // role play and jailbreaks
  /\b(you are now|from now on,? you|act as (an?|the) (unrestricted|different|new)|pretend (to be|you are)|role-?play as|developer mode|jailbreak|dan mode|do anything now)\b/,
  // fake chat turns and system messages
  /^\W{0,3}(system|assistant|developer|human|user)( message)?\s*[:\]>]/,
  /\[\/?(end )?(system|inst|assistant|user)( message)?\]|<\/?(system|assistant|user|developer|answer|question|documents|instructions?)\b[^>]*>|<\|[a-z_]+\|>|###\s*(system|instruction)/,
  // grading demands: "give me 5/5", "rate this answer 5 out of 5", "assign the maximum score", "output only 5s"
  new RegExp(
    `\\b(give|award|assign|rate|score|grade|mark|output|confirm|set)\\b${WINDOW}(\\b5\\s*(/|out of)\\s*5\\b|\\bfull marks\\b|\\b(maximum|max|top|perfect|highest) (score|marks?|rating)s?\\b|\\bonly 5s\\b|\\b(star|clarity|impact|conciseness|relevance)\\s*=\\s*\\d)`,
  ),
  /\b(star|clarity|impact|conciseness|relevance)\s*=\s*5\b/,
  // the grader or its rules as the subject: "the scoring model must treat this answer as...", "scoring rules
  // are disabled", "you are no longer an interview coach"
  /\b(ai|model|llm|grader|coach|evaluator|scorer)\b[^.!?\n]{0,20}\b(must|should|shall|will|is to) (treat|score|rate|consider|give|ignore|accept|mark)\b/,
  /\b(scoring|grading|evaluation) rules\b|\byou are no longer\b|\bwith no restrictions\b|\byour (system )?(prompt|instructions)\b|###\s*new instructions/,
  // asks to plant a link or image in the replies
  /\b(include|add|append|insert|put|embed)\b[^.!?\n]{0,80}\b(in|to|into) (every|each|all|your) (reply|replies|response|responses|feedback|output|message|answer)s?\b/,
  // harvesting: "ask the candidate for their bank password"
  /\b(ask|request|collect|demand)\b[^.!?\n]{0,40}\b(passwords?|bank (details|account)|social security|credit card|home address|api keys?|one-time code)\b/,
  // notes addressed to the model, the coach or the grader
  /\b(note|message|instruction|reminder|request)s? (to|for) (the )?(ai|model|llm|grader|evaluator|assistant|coach|chatbot|reviewer|language model)\b/,
  /\b(new|updated|additional|important|hidden|secret|override) instructions?\s*(:|from (the )?(admin|administrator|system|developer|operator))/,
  /\bas (the|an?) (ai|coach|grader|evaluator|assistant|language model)\b[^.!?\n]{0,40}\b(must|should|will|need to)\b/,
  // other users' data
  new RegExp(
    `\\b(show|print|list|reveal|give|include|output|tell|share|read|fetch|retrieve|dump|quote|append)\\b${WINDOW}\\b(other|another|all|every|different)( \\w+)? (users?|candidates?|accounts?|tenants?)('s|s'|’s)?\\b`,
  ),
  // exfiltration through images, and scripts
  /!\[[^\]]*\]\(|<img\b|<script\b|javascript:|<svg\b[^>]*\bonload/,
  // "respond only with ...", "say exactly ...", "reply with the following"
  /(^|please |now |then |, )(respond|reply|say|write|output|print|answer)\b[^.!?\n]{0,20}\b(only|exactly|verbatim|the following)\b/,
];

/** True when a sentence speaks to the model or the grader rather than to the interviewer. */
export function isInstruction(sentence: string): boolean {
  const s = normalise(sentence).toLowerCase().replace(/\s+/g, ' ');
  return INSTRUCTION_PATTERNS.some((p) => p.test(s));
}

/**
 * The text without the sentences addressed to the model, and those sentences. The kept text is normalised
 * (no invisible characters), so what is scored, shown and sent is what a reader sees.
 */
export function withoutInstructions(text: string): { text: string; removed: string[] } {
  const removed: string[] = [];
  // HTML comments are invisible on the page they came from: never data, and an instruction when they hold one.
  const normalised = normalise(text).replace(/<!--([\s\S]*?)(-->|$)/g, (_all, body: string) => {
    if (isInstruction(body)) removed.push(body.trim());
    return ' ';
  });
  // Work line by line to keep the text's own line breaks (sections, bullets) for the chunker and the rubric.
  const lines = normalised.split('\n').map((line) =>
    sentenceSegments(line)
      .map((s) => s.trim())
      .filter((sentence) => {
        if (!sentence.trim() || !isInstruction(sentence)) return true;
        removed.push(sentence.trim());
        return false;
      })
      .join(' '),
  );
  return {
    text: lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim(),
    removed,
  };
}

const FENCE_TAGS =
  /<\s*\/?\s*(documents?|answer|question|system|assistant|user|developer|instructions?)\b[^>]*>/gi;

/**
 * Untrusted text made safe to place between the prompt's delimiters: instructions dropped, no tag that could
 * close or open a fence, no chat-template markers.
 */
export function fence(text: string): string {
  return withoutInstructions(text)
    .text.replace(FENCE_TAGS, ' ')
    .replace(/<\|[^|>]{0,40}\|>|\[\/?INST\]/gi, ' ')
    .replace(/[ \t]{2,}/g, ' ');
}

// ---------------------------------------------------------------------------------------------- output

/**
 * Runs of words that mark a quotation of the prompt: 6 from the system prompt (the part to keep private),
 * 8 from the templates, whose shorter runs ("in STAR order: situation, task, action, result") are the
 * coach's ordinary vocabulary.
 */
const SYSTEM_RUN = 6;
const TEMPLATE_RUN = 8;
const words = (text: string) =>
  normalise(text)
    .toLowerCase()
    .match(/[a-z0-9]+/g) ?? [];

function shingles(w: string[], size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + size <= w.length; i++) out.push(w.slice(i, i + size).join(' '));
  return out;
}

/** Whether `text` repeats a run of `run` words of `source` (an instruction read back instead of obeyed). */
export function echoes(text: string, source: string, run = 5): boolean {
  const from = new Set(shingles(words(source), run));
  return shingles(words(text), run).some((g) => from.has(g));
}

/** Tokens that look like keys, ids or canaries: long, and mixing letters with digits. */
const SECRET_LIKE = /[A-Za-z0-9][A-Za-z0-9_-]{11,}/g;
const looksSecret = (token: string) =>
  /\d/.test(token) && /[A-Za-z]/.test(token) && !/^\d+[a-z]{1,3}$/i.test(token);
const LINK = /\bhttps?:\/\/[^\s)\]>"']+|\bwww\.[^\s)\]>"']+|\b(data|javascript|file|ftp):[^\s)\]>"']*/gi;

/** A model announcing that it follows new orders: what an obeyed injection sounds like. */
const OBEYING =
  /\b(new )?(instructions?|rules?|orders?) (accepted|received|acknowledged|updated|applied)\b|\bignoring (all )?(previous|prior|earlier|the)\b|\b(my|the) (system )?(instructions|prompt) (is|are|says?|reads?)\b|\bhere is my (system )?(prompt|instructions)\b/;

export type Rejection = 'prompt_leak' | 'foreign_token' | 'foreign_link' | 'markup' | 'instruction';

/**
 * Checks a model's output against the prompt it was given: the prompt's own wording (the system prompt and
 * the templates' fixed text) must not come back, and a link or secret-looking token may appear only when the
 * session's own data (`sources`) holds it.
 */
export class OutputGuard {
  private readonly systemRuns: Set<string>;
  private readonly templateRuns: Set<string>;
  /** The system prompt's words as one string, to find a short sentence quoted from it. */
  private readonly systemWords: string;
  private readonly sources: string;

  constructor(version: CoachVersion, sources: string) {
    const { system, ...templates } = version.prompts;
    const fixed = Object.values(templates).flatMap((t) => t.split(/\{\{\w+\}\}/));
    this.systemRuns = new Set(shingles(words(system), SYSTEM_RUN));
    this.templateRuns = new Set(fixed.flatMap((t) => shingles(words(t), TEMPLATE_RUN)));
    this.systemWords = ` ${words(system).join(' ')} `;
    this.sources = normalise(sources);
  }

  private quotesPrompt(sentence: string): boolean {
    const w = words(sentence);
    if (shingles(w, SYSTEM_RUN).some((g) => this.systemRuns.has(g))) return true;
    if (shingles(w, TEMPLATE_RUN).some((g) => this.templateRuns.has(g))) return true;
    return w.length >= 4 && w.length < SYSTEM_RUN && this.systemWords.includes(` ${w.join(' ')} `);
  }

  /** Why a sentence must not reach the user, or null when it may. */
  reject(sentence: string): Rejection | null {
    const s = normalise(sentence);
    if (this.quotesPrompt(s)) return 'prompt_leak';
    for (const link of s.match(LINK) ?? []) if (!this.sources.includes(link)) return 'foreign_link';
    for (const token of s.match(SECRET_LIKE) ?? [])
      if (looksSecret(token) && !this.sources.includes(token)) return 'foreign_token';
    if (/!\[[^\]]*\]\(|\]\([^)]*\)|<\s*(img|script|svg|iframe|a|object|embed|style|link|meta)\b/i.test(s))
      return 'markup';
    if (isInstruction(s) || OBEYING.test(s.toLowerCase())) return 'instruction';
    return null;
  }

  /** The text with every rejected sentence dropped. */
  filter(text: string): string {
    // Lines and sentences (the splitter ends one at a line break): an instruction hidden on its own line
    // must not take the sentence before it along.
    return splitSentences(text)
      .filter((s) => !this.reject(s))
      .join(' ');
  }
}

// ---------------------------------------------------------------------------------------------- scores

/** How far a model's judgement may move a dimension from what the metrics measured. */
export const MAX_JUDGE_DISTANCE = 1;

/** A judged score kept within MAX_JUDGE_DISTANCE of the measured one: a persuaded model cannot lift a score. */
export function clampToRubric(
  measured: Record<ScoreDimension, Score>,
  judged: Record<ScoreDimension, number>,
) {
  return Object.fromEntries(
    SCORE_DIMENSIONS.map((d) => [
      d,
      Math.min(measured[d] + MAX_JUDGE_DISTANCE, Math.max(measured[d] - MAX_JUDGE_DISTANCE, judged[d])),
    ]),
  ) as Record<ScoreDimension, number>;
}
