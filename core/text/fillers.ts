// The one list of filler words and the one judgement of when an ambiguous one ("like", "so", "you know")
// is filler, shared by clarity scoring of written answers (agents/rubric.ts) and speech feedback on spoken
// ones (voice/speech-metrics.ts), so the two cannot disagree on one answer.

/** Hesitation sounds: always fillers, whatever surrounds them; each spelling maps to one name. */
const HESITATIONS = new Map<string, string>([
  ['um', 'um'],
  ['umm', 'um'],
  ['ummm', 'um'],
  ['uhm', 'um'],
  ['uh', 'uh'],
  ['uhh', 'uh'],
  ['er', 'er'],
  ['erm', 'er'],
  ['ah', 'ah'],
  ['ahh', 'ah'],
]);

/** Adverbs that in an interview answer almost always pad rather than mean. */
const PADDING = new Set(['basically', 'actually', 'literally']);

/** Words before "kind of" / "sort of" that make it a noun phrase ("a kind of index"), not a hedge. */
const DETERMINERS = new Set([
  'a', 'an', 'the', 'this', 'that', 'these', 'those', 'what', 'which', 'some', 'any', 'every', 'each', 'one',
  'same', 'different', 'all', 'no', 'another', 'other', 'my', 'our', 'your', 'their', 'his', 'her', 'its',
]); // prettier-ignore

export interface Filler {
  /** The filler's name, lower case except "I mean": "um", "like", "you know". */
  word: string;
  /** Indexes of its words in the text split on whitespace (what the UI highlights). */
  indexes: number[];
  /** Character offsets of the filler in the text: `text.slice(start, end)` is the filler as written. */
  start: number;
  end: number;
}

interface Token {
  /** Lower case, without surrounding punctuation. */
  bare: string;
  /** Punctuation right before it ("—" in "—like"). */
  before: string;
  /** Punctuation right after it ("," in "like,"). */
  after: string;
  /** Offsets of the bare word in the text. */
  start: number;
  end: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(/\S+/g)) {
    const parts = /^([^\p{L}\p{N}']*)(.*?)([^\p{L}\p{N}']*)$/u.exec(m[0])!;
    const before = parts[1]!;
    const word = parts[2]!;
    const quotes = /^'*/.exec(word)![0].length;
    const bare = word.replace(/^'+|'+$/g, '');
    const start = m.index + before.length + quotes;
    tokens.push({ bare: bare.toLowerCase(), before, after: parts[3]!, start, end: start + bare.length });
  }
  return tokens;
}

const pauseAfter = (t: Token | undefined) => !t || /[,;:.!?—–-]/.test(t.after);
const sentenceEndAfter = (t: Token | undefined) => !t || /[.!?]/.test(t.after);

/**
 * The fillers in `text`, in order. The ambiguous ones count only where they do no grammatical work,
 * judged from the punctuation and the neighbours:
 * - "like": set off by a pause (", like, we", "Like, I", "—like") or next to a hesitation; "I like Go",
 *   "looks like a bug", "tools, like Kafka" are not.
 * - "so": opening the text ("So I joined…", the classic verbal run-up), set off by a comma ("So, …",
 *   ", so, …") or next to a hesitation; "so that", "so much", "and so we shipped" are not.
 * - "you know", "I mean": followed by a pause or at the end ("…, you know, …", "I mean, …"); "do you know
 *   why" and "what I mean is" are not.
 * - "kind of", "sort of": as hedges ("I kind of led it"), not after a determiner ("a kind of cache").
 * Without punctuation (some recognisers write none) only the unambiguous fillers and an opening "so" count.
 */
export function findFillers(text: string): Filler[] {
  const tokens = tokenize(text);
  const found: Filler[] = [];
  const add = (word: string, first: number, last = first) =>
    found.push({
      word,
      indexes: first === last ? [first] : [first, last],
      start: tokens[first]!.start,
      end: tokens[last]!.end,
    });
  const isHesitation = (i: number) => tokens[i] !== undefined && HESITATIONS.has(tokens[i]!.bare);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const hesitation = HESITATIONS.get(t.bare);
    if (hesitation) {
      add(hesitation, i);
    } else if (PADDING.has(t.bare)) {
      add(t.bare, i);
    } else if (t.bare === 'like') {
      // A comma before it alone is not enough: "tools, like Kafka" is a preposition.
      const setOff = /[,;:—–-]/.test(t.after) || /[—–-]/.test(t.before);
      if (setOff || isHesitation(i - 1) || isHesitation(i + 1)) add('like', i);
    } else if (t.bare === 'so') {
      const opens = i === 0;
      const commaSetOff = /,/.test(t.after) && (prev === undefined || pauseAfter(prev));
      if (opens || commaSetOff || isHesitation(i - 1) || isHesitation(i + 1)) add('so', i);
    } else if ((t.bare === 'you' && next?.bare === 'know') || (t.bare === 'i' && next?.bare === 'mean')) {
      const last = i + 1 === tokens.length - 1;
      if ((last || pauseAfter(next)) && next!.after !== '?') {
        add(t.bare === 'i' ? 'I mean' : 'you know', i, i + 1);
        i++;
      }
    } else if ((t.bare === 'kind' || t.bare === 'sort') && next?.bare === 'of' && !/[,.!?]/.test(t.after)) {
      if (!prev || !DETERMINERS.has(prev.bare) || sentenceEndAfter(prev)) {
        add(`${t.bare} of`, i, i + 1);
        i++;
      }
    }
  }
  return found;
}
