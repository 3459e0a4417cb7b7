// The one term tokenizer: the shared vocabulary of every lexical part (BM25, the hashing embedder, MMR
// similarity, job keywords and their coverage in an answer, grounding of generated questions).

/** Function words: they carry no topic. */
const FUNCTION_WORDS =
  'a an and are as at be been but by can could did do does for from had has have i if in into is it its me my of on or our so than that the their them then there these they this those to us was we were will with would you your';

/**
 * The words interview questions are phrased with ("Tell me about a time you improved…", "How would you
 * handle…"): a question repeats them, so without this list they would top every job's keywords and an
 * answer would "cover the job" by echoing the question. Inflections are listed because the stemmer is crude.
 */
const QUESTION_WORDS =
  'what when where which who whom whose why how tell told about describe explain walk through share give example examples time times improve improved improves improving handle handled handling should';

export const STOPWORDS: ReadonlySet<string> = new Set(`${FUNCTION_WORDS} ${QUESTION_WORDS}`.split(' '));

/** Strips common English suffixes from longer plain words, so "migrations" and "migrated" meet. */
export function stem(word: string): string {
  // Names with dots, digits or signs ("node.js", "k8s") are not English words to stem.
  if (word.length <= 4 || !/^[a-z]+$/.test(word)) return word;
  return word.replace(/(ingly|edly|ing|ed|es|s|ly)$/, '') || word;
}

/** Lowercased words without stopwords. Keeps technical names whole: "c++", "c#", "node.js". */
const contentWords = (text: string): string[] =>
  (text.toLowerCase().match(/[a-z0-9][a-z0-9+#.]*[a-z0-9+#]|[a-z0-9]/g) ?? []).filter(
    (w) => !STOPWORDS.has(w),
  );

/** The stems of a text's content words: what texts are matched on. */
export const terms = (text: string): string[] => contentWords(text).map(stem);

/**
 * Each term of a text with the word it was first said as ("servic" → "services"): terms are for matching,
 * words for what a person reads.
 */
export function termWords(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const word of contentWords(text)) if (!out.has(stem(word))) out.set(stem(word), word);
  return out;
}
