// Questions a person would say out loud, on postings written the way real ones arrive (Markdown, bullets,
// bold labels), chunked by the real chunker.
import { describe, expect, it } from 'vitest';
import { composeQuestion } from '../nodes/select_question.js';
import { framingWords, withoutFraming, wordQuestion } from '../persona.js';
import { MODULES, PERSONAS, type Module, type Persona } from '../../core/types.js';
import { QUESTION_BANK, candidatesFor } from './bank.js';
import {
  askState,
  FINANCE_POSTING,
  HR_POSTING,
  NURSE_POSTING,
  passagesOf,
  RETAIL_POSTING,
  SRE_POSTING,
  TEACHER_POSTING,
} from '../coach-text/jobs.fixture.js';
import { stripMarkdown } from '../coach-text/markdown.js';
import { requirementPhrases, requirementSentences } from '../coach-text/requirements.js';
import { familyByKeywords, type RoleFamily } from '../coach-text/role-family.js';
import { MAX_QUESTION_WORDS, withoutLead } from '../coach-text/question-wording.js';
import { sameQuestion } from '../coach-text/same-question.js';
import { contentTerms } from '../coach-text/text.js';

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
const sre = passagesOf(SRE_POSTING);
const jobText = stripMarkdown(SRE_POSTING).replace(/\s+/g, ' ').toLowerCase();

/** A whole session of `rounds` questions, each recorded as asked, as the workflow does. */
function session(
  module: Module,
  family: RoleFamily | null,
  persona: Persona = 'neutral',
  rounds = 8,
  jobId = 'job-1',
) {
  return sessionWithSeeds(module, family, persona, rounds, jobId).map((q) => q.text);
}

function sessionWithSeeds(
  module: Module,
  family: RoleFamily | null,
  persona: Persona,
  rounds: number,
  jobId = 'job-1',
) {
  const asked: { text: string; seed: string }[] = [];
  for (let round = 1; round <= rounds; round++) {
    const q = composeQuestion(
      askState({ jobId, passages: sre, module, round, asked: asked.map((a) => a.text), persona }),
      { family, framing: framingWords(persona) },
    );
    asked.push({ text: wordQuestion(persona, q.text, false), seed: q.seed.id });
  }
  return asked;
}

describe('requirement phrases', () => {
  it('are short items of the posting, without Markdown, in its own words', () => {
    const phrases = requirementPhrases(sre).map((r) => r.phrase);
    expect(phrases.length).toBeGreaterThanOrEqual(5);
    for (const p of phrases) {
      expect(words(p), p).toBeLessThanOrEqual(12);
      expect(p).not.toMatch(/[*_#`[\]|]/);
      expect(jobText).toContain(p.toLowerCase());
    }
    expect(phrases).toContain('automating infrastructure with infrastructure-as-code tools');
    // The employer's boilerplate (who they are, salary, how to apply) is not a requirement.
    expect(phrases.join(' ')).not.toMatch(/salary|apply|\$|digital services agency/i);
  });

  it("as the judgement reads a job: the posting's work, not its employer blurb, its headings or its small print", () => {
    const sentences = requirementSentences(sre, 'Site Reliability Engineer');
    expect(sentences).toContain('Automating infrastructure with infrastructure-as-code tools');
    // Responsibilities written as prose count as much as a list.
    expect(sentences.join(' ')).toMatch(/automate deployments and infrastructure/);
    expect(sentences.join(' ')).not.toMatch(
      /digital services agency|partner with federal|salary|apply|Qualifications/i,
    );
  });

  it("are a school's duties, not its blurb, the role's name or a credential (a user trial's posting)", () => {
    // The trial asked: This role calls for "riverside Academy is a comprehensive school of 1,100 students".
    const phrases = requirementPhrases(passagesOf(TEACHER_POSTING)).map((r) => r.phrase);
    expect(phrases.join(' | ')).not.toMatch(/riverside|academy|to join|qualified teacher status/i);
    // A long item is cut before its relative clause or its first preposition, not dropped.
    expect(phrases).toContain('plan and teach engaging maths lessons');
    expect(phrases).toContain('use assessment data to spot students');
    // "About you" lists what the job asks of the candidate; "About us" is the employer.
    expect(phrases).toContain('high expectations and a calm approach to behaviour management');
  });

  it("leave out an employer's blurb in any verb, the role's name in its lead-in, and credentials (user trials' postings)", () => {
    // Trials asked: This role calls for "as HR Business Partner you will support the leadership team", and
    // had "Fabrikam Manufacturing makes precision parts … and employs 1" to quote.
    const hr = requirementPhrases(passagesOf(HR_POSTING)).map((r) => r.phrase);
    expect(hr.join(' | ')).not.toMatch(/fabrikam|employs|business partner|CIPD|\(/i);
    expect(hr).toContain('support the leadership team of our Leeds plant');
    expect(hr).toContain('reduce first-year turnover among shift operators');
    const finance = requirementPhrases(passagesOf(FINANCE_POSTING)).map((r) => r.phrase);
    expect(finance.join(' | ')).not.toMatch(/northwind|growing|CPA|health, dental/i);
    expect(finance).toContain('partner with procurement');
    // Two requirements in one item: the first.
    expect(finance).toContain('Strong Excel modelling skills');
  });

  it('leave out headings written without a colon, also where a chunk ran them into the item before', () => {
    // A trial asked: This role calls for "what you'll be doing"; and "running visual merchandising to brand
    // standards What we're looking" was a phrase to quote.
    const phrases = requirementPhrases(passagesOf(RETAIL_POSTING)).map((r) => r.phrase);
    expect(phrases.join(' | ')).not.toMatch(/what you'll|what we're|why join|store manager/i);
    expect(phrases).toContain('running visual merchandising to brand standards');
    expect(phrases).toContain('strong commercial awareness');
    // "We're looking for a Store Manager to lead…": the work, not the role's name.
    expect(phrases).toContain('lead our Manchester store');
    // A phrase ends where its item does, not cut short of its last word.
    expect(phrases).toContain('creating a store customers want to come back to');
  });

  it('read a numbered list run into one line as its items, and a number ending a sentence as part of it', () => {
    const chunk = (text: string) => [{ ...sre[0]!, text, section: '' }];
    expect(
      requirementSentences(
        chunk('Requirements: 1. Plan lessons for students aged 11 to 16. 2. Answer parent emails.'),
      ),
    ).toEqual(['Plan lessons for students aged 11 to 16.', 'Answer parent emails.']);
    expect(requirementSentences(chunk('Teach students aged 11 to 16. Use data to close gaps.'))).toEqual([
      'Teach students aged 11 to 16.',
      'Use data to close gaps.',
    ]);
  });
});

describe('spoken questions', () => {
  it(`are at most ${MAX_QUESTION_WORDS} words with the persona's framing, free of Markdown, quoting at most one short phrase of the job`, () => {
    for (const module of MODULES)
      for (const persona of PERSONAS)
        for (const asked of session(module, 'sre', persona)) {
          expect(words(asked), asked).toBeLessThanOrEqual(MAX_QUESTION_WORDS);
          expect(asked).not.toMatch(/\*\*|__|#|`|\]\(/);
          const quotes = [...asked.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
          expect(quotes.length, asked).toBeLessThanOrEqual(1);
          for (const q of quotes) {
            expect(words(q)).toBeLessThanOrEqual(12);
            expect(jobText, asked).toContain(q.toLowerCase());
          }
        }
  });

  it('quote the job in most questions of a behavioral session, and cite the passage quoted', () => {
    let quoted = 0;
    const asked: string[] = [];
    for (let round = 1; round <= 6; round++) {
      const q = composeQuestion(askState({ passages: sre, round, asked: [...asked] }), { family: 'sre' });
      asked.push(q.text);
      const quote = /"([^"]+)"/.exec(q.text)?.[1];
      if (!quote) continue;
      quoted++;
      expect(stripMarkdown(q.citations[0]!.text).toLowerCase()).toContain(quote.toLowerCase());
    }
    expect(quoted).toBeGreaterThanOrEqual(4);
  });

  it('quote the job in every first question, whatever lead the job and round pick (a long title too)', () => {
    // The wordiest persona's framing leaves the least room; a three-word title makes the lead that names
    // the role the longest one. Whichever lead a job's seed picks, the phrase is still quoted.
    const framing = Math.max(...PERSONAS.map(framingWords));
    for (let i = 0; i < 60; i++) {
      const state = askState({ jobId: `job-${i}`, role: 'Senior Reliability Engineer', passages: sre });
      const { text } = composeQuestion(state, { family: 'sre', framing });
      const quote = /"([^"]+)"/.exec(text)?.[1];
      expect(quote, text).toBeTruthy();
      expect(jobText).toContain(quote!.toLowerCase());
      expect(words(text) + framing, text).toBeLessThanOrEqual(MAX_QUESTION_WORDS);
    }
  });

  it('quote a phrase on the question’s own subject when some wording leaves it room, not another that fits', () => {
    const posting = `## Platform Engineer
- Automating infrastructure with Terraform
- Partnering with sales and design teams`;
    // 11 words of framing: the longer wordings ("Can you describe…?", "Walk me through…") leave room for
    // the four-word phrase only, "Describe…" for the six-word one about partners.
    for (let i = 0; i < 20; i++) {
      const state = askState({ jobId: `job-${i}`, passages: passagesOf(posting), focus: ['collaboration'] });
      const { text, seed } = composeQuestion(state, { family: 'sre', framing: 11 });
      expect(seed.id).toBe('b-collab-04');
      expect(text).toContain('"partnering with sales and design teams"');
    }
  });

  it('quote a requirement the question speaks to, or none: never one on another subject', () => {
    // Trials read "This role calls for 'work with parents'. Tell me about a group project that went off track".
    const postings = { sre: SRE_POSTING, nursing: NURSE_POSTING, teaching: TEACHER_POSTING } as const;
    for (const [family, posting] of Object.entries(postings)) {
      const passages = passagesOf(posting);
      for (const jobId of ['job-1', 'job-2', 'job-3']) {
        const asked: string[] = [];
        for (let round = 1; round <= 8; round++) {
          const q = composeQuestion(askState({ jobId, passages, round, asked: [...asked] }), {
            family: family as RoleFamily,
          });
          asked.push(q.text);
          const quote = /"([^"]+)"/.exec(q.text)?.[1];
          if (!quote || q.seed.id.startsWith('jd-')) continue;
          const said = contentTerms(quote);
          const about = q.seed.keywords.flatMap((k) => contentTerms(k));
          expect(
            about.some((w) => said.some((t) => t.startsWith(w) || w.startsWith(t))),
            `${q.seed.id}: ${q.text}`,
          ).toBe(true);
        }
      }
    }
  });

  it('never quote the same requirement twice in a session, nor ask about the competency of either of the last two questions', () => {
    // A trial: a three-round session quoted "partner with procurement" in its first and third questions, both
    // about working with other teams.
    const postings = {
      finance: FINANCE_POSTING,
      sre: SRE_POSTING,
      nursing: NURSE_POSTING,
      teaching: TEACHER_POSTING,
    } as const;
    for (const [family, posting] of Object.entries(postings)) {
      const passages = passagesOf(posting);
      for (const jobId of ['job-1', 'job-2', 'job-3', 'job-4']) {
        const asked: string[] = [];
        const competencies: string[] = [];
        const quotes: string[] = [];
        for (let round = 1; round <= 5; round++) {
          const q = composeQuestion(askState({ jobId, passages, round, asked: [...asked] }), {
            family: family as RoleFamily,
          });
          asked.push(q.text);
          const quote = /"([^"]+)"/.exec(q.text)?.[1]?.toLowerCase();
          if (quote) {
            expect(quotes, `${family} ${jobId}: ${asked.join(' | ')}`).not.toContain(quote);
            quotes.push(quote);
          }
          // A question proving a requirement of the job has no competency of the bank.
          const competency = q.seed.id.startsWith('jd-') ? '' : q.seed.competency;
          if (competency)
            expect(competencies.slice(-2), `${family} ${jobId}: ${asked.join(' | ')}`).not.toContain(
              competency,
            );
          competencies.push(competency);
        }
      }
    }
  });

  it('start a new session on the competency the candidate is weakest in, even one the last session ended on', () => {
    const passages = passagesOf(FINANCE_POSTING);
    const lastSession = QUESTION_BANK.find((q) => q.competency === 'collaboration')!.text;
    const q = composeQuestion(
      askState({ passages, round: 1, asked: [lastSession], focus: ['collaboration'] }),
      { family: 'finance' },
    );
    expect(q.seed.competency).toBe('collaboration');
  });

  it('vary their wording across jobs and rounds, and say the same thing for the same job and round', () => {
    const first = (jobId: string) =>
      composeQuestion(askState({ jobId, passages: sre, round: 1 }), { family: 'sre' }).text;
    expect(first('job-a')).toBe(first('job-a'));
    const openings = new Set(
      Array.from({ length: 12 }, (_, i) =>
        first(`job-${i}`)
          .replace(/"[^"]*"/, '""')
          .split(' ')
          .slice(0, 3)
          .join(' '),
      ),
    );
    expect(openings.size).toBeGreaterThan(1);
  });

  it('are never asked twice in a session, however they were worded (compared by meaning)', () => {
    // Each asked text carries a persona's framing, a quoted lead and a reworded opening: the bank question
    // (or job requirement) underneath is still never the same twice.
    for (const module of MODULES) {
      const seeds = sessionWithSeeds(module, 'sre', 'friendly', 12).map((q) => q.seed);
      expect(new Set(seeds).size, seeds.join(' ')).toBe(seeds.length);
    }
    expect(
      sameQuestion(
        'Tell me about a time you asked for help.',
        'Can you tell me about a time you asked for help?',
      ),
    ).toBe(true);
    expect(
      sameQuestion(
        'Tell me about a time you asked for help.',
        'Tell me about a time you had to choose between competing priorities.',
      ),
    ).toBe(false);
  });

  it('tells a reworded question from the bank as already asked', () => {
    const q = QUESTION_BANK.find((x) => x.id === 'b-collab-03')!;
    const reworded =
      'This role calls for "monitoring". Can you tell me about a time you asked for help? How did you decide it was the right moment to ask?';
    expect(candidatesFor('behavioral', undefined, [reworded]).some((c) => c.id === q.id)).toBe(false);
    expect(candidatesFor('behavioral', undefined, []).some((c) => c.id === q.id)).toBe(true);
  });
});

describe('role families', () => {
  const CLINICAL = /clinical|patient|nurse|medication|ward\b/i;

  it('an SRE is never asked about clinical work, in any module, over a long session', () => {
    expect(familyByKeywords('Site Reliability Engineer', SRE_POSTING)).toBe('sre');
    for (const module of MODULES) {
      for (const asked of session(module, 'sre', 'neutral', 25)) expect(asked).not.toMatch(CLINICAL);
    }
    for (const module of MODULES) {
      const pool = candidatesFor(module, undefined, [], 1, 'sre');
      expect(pool.filter((q) => CLINICAL.test(q.text)).map((q) => q.id)).toEqual([]);
    }
  });

  it('a teacher is not asked how they run hiring interviews where the posting says nothing of hiring', () => {
    // A trial's maths teacher was asked "Tell me how you run an interview": "assessment data" and "SEN team"
    // matched the hiring questions' keywords "assess" and "team".
    const passages = passagesOf(TEACHER_POSTING);
    for (const jobId of ['job-1', 'job-2', 'job-3']) {
      const asked: string[] = [];
      for (let round = 1; round <= 8; round++) {
        const q = composeQuestion(
          askState({ jobId, passages, round, asked: [...asked], role: 'Maths Teacher' }),
          {
            family: 'teaching',
          },
        );
        asked.push(q.text);
        expect(q.seed.competency, q.text).not.toBe('hiring');
      }
    }
  });

  it('a nurse gets the nursing questions and none written for engineers', () => {
    expect(familyByKeywords('Registered Nurse', NURSE_POSTING)).toBe('nursing');
    const technical = candidatesFor('technical', undefined, [], 1, 'nursing');
    expect(technical.some((q) => q.id.startsWith('t-craft-nurse'))).toBe(true);
    expect(technical.some((q) => q.families?.includes('engineering'))).toBe(false);
    expect(technical.filter((q) => /\b(API|cache|database|deploy)/i.test(q.text))).toEqual([]);
  });

  it('every family has questions in every module', () => {
    for (const family of [
      'engineering',
      'sre',
      'nursing',
      'sales',
      'teaching',
      'finance',
      'hr',
      'retail',
    ] as const)
      for (const module of MODULES)
        expect(candidatesFor(module, undefined, [], 1, family).length, `${family} ${module}`).toBeGreaterThan(
          3,
        );
  });

  it('an unknown family asks only the questions any candidate can answer', () => {
    const pool = candidatesFor('technical', undefined, [], 1, null);
    expect(pool.length).toBeGreaterThan(0);
    expect(pool.every((q) => q.families === undefined)).toBe(true);
  });
});

describe('what a spoken question asks', () => {
  it('reads back as the composed question under every persona, and without its quote of the job', () => {
    let grounded = 0;
    for (const persona of PERSONAS) {
      const asked: string[] = [];
      for (let round = 1; round <= 8; round++) {
        const composed = composeQuestion(
          askState({ jobId: 'job-1', passages: sre, module: 'mixed', round, asked, persona }),
          { family: null, framing: framingWords(persona) },
        ).text;
        const spoken = wordQuestion(persona, composed, round === 1);
        asked.push(spoken);
        expect(withoutFraming(spoken), spoken).toBe(composed);
        const bare = withoutLead(composed);
        expect(composed.endsWith(bare), composed).toBe(true);
        if (bare !== composed) {
          grounded++;
          expect(bare, composed).not.toContain('"');
        }
      }
    }
    expect(grounded, 'questions that quote the job before asking').toBeGreaterThan(0);
  });

  it('keeps a question whose quote is what it asks about, and text no persona or lead wrote', () => {
    const proof =
      'The job asks for "on-call for payment APIs". Tell me about a time you did that: what you did, and what changed.';
    expect(withoutLead(proof)).toBe(proof);
    expect(withoutLead('This role calls for "SLOs".')).toBe('This role calls for "SLOs".');
    expect(withoutFraming('Why do you want this job?')).toBe('Why do you want this job?');
    expect(
      withoutLead('The Site Reliability Engineer job mentions "error budgets". How have you used SLOs?'),
    ).toBe('How have you used SLOs?');
  });
});
