// Builds eval/corpus/{answers,sentences,pairs}.jsonl and the counts in README.md from the hand-written,
// hand-labelled stories in eval/corpus/stories/*.txt. The mechanical variants (numbers said as words, "I"
// turned into "we", fillers, tangents, result removed, moved to another family's job) are derived here and
// their labels moved by the rules of docs/labelling-guide.md; the vague and keyword-stuffed retellings are
// written by hand in the story files. Deterministic: the same stories give byte-identical files.
//
//   npx tsx eval/corpus/build.ts           write the files
//   npx tsx eval/corpus/build.ts --check   exit 1 when the committed files differ from a fresh build
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import type { ScoreDimension } from '../../core/types.js';
import { numbersToWords } from './numbers.js';
import {
  CORPUS_DIR,
  ROLE_FAMILIES,
  VARIANTS,
  segmentSentences,
  type Agency,
  type CorpusAnswer,
  type CorpusPair,
  type CorpusSentence,
  type Job,
  type Labels,
  type RoleFamily,
  type Specificity,
  type Split,
  type StarRole,
  type Variant,
} from './schema.js';

const STORIES_DIR = path.join(CORPUS_DIR, 'stories');

interface Sentence {
  text: string;
  star: StarRole;
  agency: Agency;
  specificity: Specificity;
}
interface Retelling {
  labels: Labels;
  sentences: Sentence[];
}
interface Story {
  id: string;
  role: RoleFamily;
  question: string;
  /** A question of the same job that the story does not answer: the `wrong_question` variant's. */
  wrongQuestion: string;
  labels: Labels;
  sentences: Sentence[];
  vague?: Retelling;
  stuffed?: Retelling;
}
interface FamilyFile {
  role: RoleFamily;
  job: Job;
  moveTo: RoleFamily;
  tangents: string[];
  stories: Story[];
}

const STAR_CODES: Record<string, StarRole> = {
  S: 'situation',
  T: 'task',
  A: 'action',
  R: 'result',
  O: 'other',
};
const AGENCY_CODES: Record<string, Agency> = { p: 'personal', t: 'team', x: 'passive', n: 'none' };
const SPEC_CODES: Record<string, Specificity> = { s: 'specific', v: 'vague' };

function parseLabels(text: string, where: string): Labels {
  const n = text.trim().split(/\s+/).map(Number);
  if (n.length !== 5 || n.some((x) => !Number.isInteger(x) || x < 1 || x > 5)) {
    throw new Error(`${where}: labels are five scores 1-5 (star clarity impact conciseness relevance)`);
  }
  const [star, clarity, impact, conciseness, relevance] = n as [number, number, number, number, number];
  return { star, clarity, impact, conciseness, relevance };
}

function parseSentence(line: string, where: string): Sentence {
  const m = /^([STARO]) ([ptxn]) ([sv]) \| (.+)$/.exec(line);
  if (!m) throw new Error(`${where}: a sentence line is "<S|T|A|R|O> <p|t|x|n> <s|v> | text": ${line}`);
  return {
    star: STAR_CODES[m[1]!]!,
    agency: AGENCY_CODES[m[2]!]!,
    specificity: SPEC_CODES[m[3]!]!,
    text: m[4]!,
  };
}

/** One stories/<role>.txt: the family's job, its tangents and its stories. */
export function parseFamilyFile(role: RoleFamily, text: string): FamilyFile {
  const where = `stories/${role}.txt`;
  const lines = text.split('\n').map((l) => l.trimEnd());
  const job: Job = { title: '', requirements: [] };
  const tangents: string[] = [];
  let moveTo: RoleFamily | undefined;
  const stories: Story[] = [];
  let story: Story | undefined;
  let target: Sentence[] | undefined;
  lines.forEach((line, i) => {
    const at = `${where}:${i + 1}`;
    if (!line.trim()) return;
    if (line.startsWith('== ')) {
      story = {
        id: line.slice(3).trim(),
        role,
        question: '',
        wrongQuestion: '',
        labels: parseLabels('1 1 1 1 1', at),
        sentences: [],
      };
      stories.push(story);
      target = story.sentences;
    } else if (!story) {
      if (line.startsWith('job: ')) job.title = line.slice(5);
      else if (line.startsWith('req: ')) job.requirements.push(line.slice(5));
      else if (line.startsWith('moveto: ')) moveTo = line.slice(8).trim() as RoleFamily;
      else if (line.startsWith('t | ')) tangents.push(line.slice(4));
      else throw new Error(`${at}: unexpected line before the first story: ${line}`);
    } else if (line.startsWith('q: ')) story.question = line.slice(3);
    else if (line.startsWith('wrongq: ')) story.wrongQuestion = line.slice(8);
    else if (line.startsWith('labels: ')) story.labels = parseLabels(line.slice(8), at);
    else if (line.startsWith('vague: ') || line.startsWith('stuffed: ')) {
      const [kind, rest] = line.split(': ', 2) as ['vague' | 'stuffed', string];
      story[kind] = { labels: parseLabels(rest, at), sentences: [] };
      target = story[kind].sentences;
    } else target!.push(parseSentence(line, at));
  });
  if (!moveTo || !(ROLE_FAMILIES as readonly string[]).includes(moveTo) || moveTo === role) {
    throw new Error(`${where}: "moveto:" names another role family`);
  }
  if (tangents.length < 3) throw new Error(`${where}: at least three tangents`);
  for (const s of stories) {
    if (!s.question || !s.wrongQuestion || !s.sentences.length)
      throw new Error(`${where}: ${s.id} needs a question, a wrong question and sentences`);
    if (s.wrongQuestion === s.question) throw new Error(`${where}: ${s.id}'s wrong question is its question`);
  }
  return { role, job, moveTo, tangents, stories };
}

// ---- the mechanical variants ----------------------------------------------------------------------------

const clamp = (n: number) => Math.min(5, Math.max(1, n));

/** "I" turned into "we": the candidate's own actions become the team's. */
export function toWe(text: string): string {
  const swaps: [RegExp, string][] = [
    [/\bI wasn't\b/g, 'we weren’t'],
    [/\bI was\b/g, 'we were'],
    [/\bI am\b/g, 'we are'],
    [/\bI'm\b/g, "we're"],
    [/\bI've\b/g, "we've"],
    [/\bI'd\b/g, "we'd"],
    [/\bI'll\b/g, "we'll"],
    [/\bI\b/g, 'we'],
    [/\bmyself\b/g, 'ourselves'],
    [/\bmy\b/g, 'our'],
    [/\bMy\b/g, 'Our'],
    [/\bme\b/g, 'us'],
    [/\bmine\b/g, 'ours'],
  ];
  let out = text;
  for (const [from, to] of swaps) out = out.replace(from, to);
  out = out.replace(/\bwe weren’t\b/g, "we weren't");
  // A sentence that began with "I" begins with "We".
  return out.replace(/^we\b/, 'We');
}

const FILLER_OPENERS = ['Um, ', 'So, like, ', 'And, you know, ', 'Basically, ', 'I mean, ', 'So, um, '];

/** Fillers on two sentences in three, the way a nervous speaker adds them. */
function withFillers(text: string, i: number): string {
  if (i % 3 === 2) return text;
  const opener = FILLER_OPENERS[i % FILLER_OPENERS.length]!;
  // "I", acronyms ("SLOs") and names keep their capital; other sentence openers lose it.
  const keep = /^(I\b|[A-Z]\w*[A-Z]|Docker|Kafka|Postgres)/.test(text);
  const body = keep ? text : text.charAt(0).toLowerCase() + text.slice(1);
  const spoken = opener + body;
  // Every other filled sentence also trails off with "you know".
  return i % 2 === 1 ? spoken.replace(/[.]$/, ', you know.') : spoken;
}

const hashUnit = (s: string) => createHash('sha256').update(s).digest().readUInt32BE(0) / 2 ** 32;

/** Families held out for test within each role family: the share, rounded, of each role's stories. */
export const TEST_SHARE = 0.3;

/**
 * Split by story family, stratified by role family: within each role the families with the lowest
 * sha256("split:" + id) go to test (round(30%) of them, at least one), the rest to dev. Deterministic, and
 * every role family is in both splits.
 */
export function assignSplits(familiesByRole: Map<RoleFamily, string[]>): Map<string, Split> {
  const split = new Map<string, Split>();
  for (const ids of familiesByRole.values()) {
    const ranked = [...ids].sort((a, b) => hashUnit(`split:${a}`) - hashUnit(`split:${b}`));
    const test = Math.max(1, Math.round(ids.length * TEST_SHARE));
    ranked.forEach((id, i) => split.set(id, i < test ? 'test' : 'dev'));
  }
  return split;
}

/** Which dimensions a variant's rule lowers: the only ones a minimal pair is drawn on. */
export const PAIR_DIMENSIONS: Record<Exclude<Variant, 'base'>, ScoreDimension[]> = {
  no_result: ['impact', 'star'],
  numbers_in_words: [],
  we: ['star', 'impact'],
  tangents: ['conciseness', 'clarity'],
  fillers: ['clarity', 'conciseness'],
  domain_moved: ['relevance'],
  wrong_question: ['relevance'],
  vague: ['impact', 'star'],
  stuffed: ['star', 'relevance', 'impact'],
};

interface Built {
  answer: CorpusAnswer;
  sentences: Sentence[];
}

function variantsOf(
  story: Story,
  family: FamilyFile,
  families: Map<RoleFamily, FamilyFile>,
  n: number,
  split: Split,
): Built[] {
  const base = story.labels;
  const make = (
    variant: Variant,
    sentences: Sentence[],
    labels: Labels,
    job = family.job,
    role = family.role,
    question = story.question,
  ) => ({
    answer: {
      id: variant === 'base' ? story.id : `${story.id}~${variant}`,
      family: story.id,
      role,
      job,
      question,
      answer: sentences.map((s) => s.text).join(' '),
      variant,
      labels,
      split,
    },
    sentences,
  });
  const out: Built[] = [make('base', story.sentences, base)];
  const s = story.sentences;

  if (s.some((x) => /\d/.test(x.text))) {
    out.push(
      make(
        'numbers_in_words',
        s.map((x) => ({ ...x, text: numbersToWords(x.text) })),
        base,
      ),
    );
  }
  const kept = s.filter((x) => x.star !== 'result');
  if (kept.length < s.length && kept.length > 0) {
    out.push(make('no_result', kept, { ...base, impact: 1, star: Math.min(base.star, 3) }));
  }
  if (s.some((x) => x.agency === 'personal')) {
    out.push(
      make(
        'we',
        s.map((x) => ({ ...x, text: toWe(x.text), agency: x.agency === 'personal' ? 'team' : x.agency })),
        { ...base, star: clamp(base.star - 1), impact: base.impact >= 3 ? base.impact - 1 : base.impact },
      ),
    );
  }
  {
    // Two tangents: after the opening sentence and before the last one.
    const t1: Sentence = {
      text: family.tangents[n % family.tangents.length]!,
      star: 'other',
      agency: 'none',
      specificity: 'vague',
    };
    const t2: Sentence = { ...t1, text: family.tangents[(n + 1) % family.tangents.length]! };
    const padded =
      s.length >= 3 ? [s[0]!, t1, ...s.slice(1, -1), t2, s[s.length - 1]!] : [s[0]!, t1, t2, ...s.slice(1)];
    out.push(
      make('tangents', padded, {
        ...base,
        conciseness: clamp(base.conciseness - 2),
        clarity: clamp(base.clarity - 1),
      }),
    );
  }
  if (base.clarity > 2) {
    out.push(
      make(
        'fillers',
        s.map((x, i) => ({ ...x, text: withFillers(x.text, i) })),
        { ...base, clarity: clamp(base.clarity - 2), conciseness: clamp(base.conciseness - 1) },
      ),
    );
  }
  {
    const other = families.get(family.moveTo)!;
    out.push(
      make('domain_moved', s, { ...base, relevance: Math.min(base.relevance, 2) }, other.job, other.role),
    );
  }
  // The same story, job and sentence labels, told in answer to a question it does not answer.
  out.push(
    make(
      'wrong_question',
      s,
      { ...base, relevance: Math.min(base.relevance, 2) },
      family.job,
      family.role,
      story.wrongQuestion,
    ),
  );
  if (story.vague) out.push(make('vague', story.vague.sentences, story.vague.labels));
  if (story.stuffed) out.push(make('stuffed', story.stuffed.sentences, story.stuffed.labels));
  return out;
}

export function buildCorpus(storiesDir = STORIES_DIR): {
  answers: CorpusAnswer[];
  sentences: CorpusSentence[];
  pairs: CorpusPair[];
} {
  const families = new Map<RoleFamily, FamilyFile>();
  for (const file of readdirSync(storiesDir)
    .filter((f) => f.endsWith('.txt'))
    .sort()) {
    const role = file.replace(/\.txt$/, '') as RoleFamily;
    if (!(ROLE_FAMILIES as readonly string[]).includes(role))
      throw new Error(`stories/${file}: not a role family`);
    families.set(role, parseFamilyFile(role, readFileSync(path.join(storiesDir, file), 'utf8')));
  }
  const splits = assignSplits(
    new Map([...families].map(([role, f]) => [role, f.stories.map((s) => s.id)] as const)),
  );
  const answers: CorpusAnswer[] = [];
  const sentences: CorpusSentence[] = [];
  const pairs: CorpusPair[] = [];
  for (const role of ROLE_FAMILIES) {
    const family = families.get(role);
    if (!family) throw new Error(`stories/${role}.txt is missing`);
    family.stories.forEach((story, n) => {
      const built = variantsOf(story, family, families, n, splits.get(story.id)!);
      for (const { answer, sentences: labelled } of built) {
        // The sentence index is the Segmenter's, so every labelled sentence must be exactly one segment.
        const segments = segmentSentences(answer.answer);
        const texts = labelled.map((x) => x.text.trim());
        if (segments.length !== texts.length || segments.some((seg, i) => seg !== texts[i])) {
          throw new Error(`${answer.id}: Intl.Segmenter splits it as ${JSON.stringify(segments)}`);
        }
        answers.push(answer);
        labelled.forEach((x, index) =>
          sentences.push({
            answerId: answer.id,
            index,
            text: x.text,
            star: x.star,
            agency: x.agency,
            specificity: x.specificity,
          }),
        );
      }
      const baseAnswer = built[0]!.answer;
      for (const { answer } of built.slice(1)) {
        for (const dimension of PAIR_DIMENSIONS[answer.variant as Exclude<Variant, 'base'>]) {
          if (baseAnswer.labels[dimension] > answer.labels[dimension]) {
            pairs.push({ better: baseAnswer.id, worse: answer.id, dimension });
          }
        }
      }
    });
  }
  return { answers, sentences, pairs };
}

const jsonl = (rows: readonly object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

function countTable(
  answers: CorpusAnswer[],
  key: (a: CorpusAnswer) => string,
  keys: readonly string[],
): string {
  const rows = keys.map((k) => {
    const of = answers.filter((a) => key(a) === k);
    const dev = of.filter((a) => a.split === 'dev').length;
    return `| ${k} | ${of.length} | ${dev} | ${of.length - dev} |`;
  });
  return ['| | answers | dev | test |', '| --- | ---: | ---: | ---: |', ...rows].join('\n');
}

export function readme(corpus: ReturnType<typeof buildCorpus>): string {
  const { answers, sentences, pairs } = corpus;
  const families = [...new Set(answers.map((a) => a.family))];
  const splitOf = (id: string) => answers.find((a) => a.id === id)!.split;
  const devFamilies = families.filter((f) => splitOf(f) === 'dev').length;
  const words = answers.filter((a) => a.variant === 'base').map((a) => a.answer.split(/\s+/).length);
  const cued = answers.filter(
    (a) => a.variant === 'base' && /\b(my task was|as a result)\b/i.test(a.answer),
  ).length;
  const bySplit = (split: Split) => pairs.filter((p) => splitOf(p.better) === split).length;
  return `# Labelled answer corpus (synthetic)

**This set is synthetic.** Every answer was written by the project's engineers, with a language model's
help in drafting, in the way people answer out loud; none comes from a real candidate or interview. It was
written and labelled against [the labelling guide](../../docs/labelling-guide.md) before any scorer was
measured on it, and split into dev and test before any tuning.

## How it was made

1. The guide came first: anchored levels 1–5 for STAR, clarity, impact, conciseness and relevance, the
   sentence labels, and the rules by which each kind of minimal variant moves the labels.
2. For each of ${ROLE_FAMILIES.length} role families one job (a title and 3–6 requirement sentences) and six
   base stories, each answering an interview question for that job, in a spread of quality: strong,
   ordinary, vague, rambling, and weak or off the job. Each base story's five scores and every sentence's
   labels (STAR role, agency, specificity) were set by reading, against the guide
   (\`stories/<role>.txt\`). ${cued} of ${words.length} base stories use the textbook cues "my task was" or
   "as a result"; base stories run from ${Math.min(...words)} to ${Math.max(...words)} words.
3. Minimal variants of each story: \`build.ts\` derives the mechanical ones (\`numbers_in_words\`, \`we\`,
   \`fillers\`, \`tangents\` from a hand-written list per role family, \`no_result\`, \`domain_moved\` to a
   dissimilar family's job, \`wrong_question\`: the story told in answer to a hand-written question of the same
   job that it does not answer) and moves their labels by the guide's rules; \`vague\` and \`stuffed\`
   retellings are written by hand with labels set by reading. The \`wrong_question\` variants were added
   later than the rest (for issue 15: the judgement read fit to the job but not to the question), written and
   labelled before any scorer was measured on them, in the same story families and so the same splits.
4. Minimal pairs (\`pairs.jsonl\`) are the base story against its variant on each dimension that the
   variant's rule lowers, where the two labels differ.

Rebuild with \`npx tsx eval/corpus/build.ts\` (deterministic; \`--check\` verifies the committed files).

## Split rule

By story family, never by answer, stratified by role family: within each role family the stories are ranked
by the first four bytes of \`sha256("split:" + family)\` and the lowest round(30%) of them (two of six) go to
**test**, the rest to **dev**. All the variants of a story share its split (a \`domain_moved\` variant keeps
its story's split though it is judged against another family's job), so no test story is seen in any form
during tuning. The split is
written into every line of \`answers.jsonl\`. The test split is read only to report (\`npm run eval\`).

## Counts

${answers.length} answers in ${families.length} story families (${devFamilies} dev, ${families.length - devFamilies} test),
${sentences.length} labelled sentences, ${pairs.length} minimal pairs (${bySplit('dev')} dev, ${bySplit('test')} test).

By role family (of the job the answer is judged against):

${countTable(answers, (a) => a.role, ROLE_FAMILIES)}

By variant:

${countTable(answers, (a) => a.variant, VARIANTS)}

## Files

- \`answers.jsonl\`: \`{id, family, role, job: {title, requirements}, question, answer, variant, labels: {star,
  clarity, impact, conciseness, relevance}, split}\`
- \`sentences.jsonl\`: \`{answerId, index, text, star, agency, specificity}\`; \`index\` is the sentence's
  position as split by \`Intl.Segmenter\` (sentence granularity, locale \`en\`)
- \`pairs.jsonl\`: \`{better, worse, dimension}\`, both answers of one family

## Limits

One writer's voice, one job per role family, and the mechanical variants are regular in a way real speech is
not (the same filler openers, tangents from a short list). Figures on this set say how a scorer follows the
guide on answers like these; they are not a measurement on real candidates.
`;
}

async function main(): Promise<void> {
  const corpus = buildCorpus();
  // The README is written in the repo's Markdown style, so `prettier --check` passes on a fresh build.
  const readmePath = path.join(CORPUS_DIR, 'README.md');
  const style = (await resolveConfig(readmePath)) ?? {};
  const files: Record<string, string> = {
    'answers.jsonl': jsonl(corpus.answers),
    'sentences.jsonl': jsonl(corpus.sentences),
    'pairs.jsonl': jsonl(corpus.pairs),
    'README.md': await format(readme(corpus), { ...style, filepath: readmePath }),
  };
  if (process.argv.includes('--check')) {
    const stale = Object.entries(files).filter(([name, text]) => {
      try {
        return readFileSync(path.join(CORPUS_DIR, name), 'utf8') !== text;
      } catch {
        return true;
      }
    });
    if (stale.length) {
      console.error(`stale: ${stale.map(([n]) => n).join(', ')}; run npx tsx eval/corpus/build.ts`);
      process.exitCode = 1;
    }
    return;
  }
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(CORPUS_DIR, name), text);
  console.log(
    `${corpus.answers.length} answers, ${corpus.sentences.length} sentences, ${corpus.pairs.length} pairs`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
