// Quantities as a speaker says them: "2%", "fifteen hours", "one in fifty", "halved", "from two hours to
// twelve minutes", "weekly to daily". Number words and parts of speech come from compromise; what is ours is
// only which shapes count as a measured change.
import nlp from 'compromise';

export type QuantityKind = 'number' | 'ratio' | 'change' | 'multiplier' | 'frequency';

export interface Quantity {
  /** The words as written. */
  text: string;
  kind: QuantityKind;
  /** A number or a ratio's value (one in fifty: 0.02). */
  value?: number;
  /** A change's two ends, in one unit when both name a unit of time (seconds). */
  from?: number;
  to?: number;
  /** How many times larger or smaller the change is (≥ 1): halved 2, weekly to daily 7, 2 h → 12 min 10. */
  factor?: number;
  /** A number that measures nothing: an order ("first", "the 3rd") or a year ("in 2019"). */
  incidental?: true;
}

/** The part of compromise's View used here (its own types do not narrow through match()). */
export interface Doc {
  readonly found: boolean;
  readonly length: number;
  text(): string;
  json(options?: object): unknown;
  numbers(): Doc;
  match(pattern: string): Doc;
  forEach(fn: (m: Doc) => void): unknown;
}

/** Seconds in each unit of time, for comparing the two ends of "from two hours to twelve minutes". */
const SECONDS: Record<string, number> = {
  second: 1,
  sec: 1,
  minute: 60,
  min: 60,
  hour: 3600,
  hr: 3600,
  day: 86_400,
  week: 604_800,
  fortnight: 1_209_600,
  month: 2_629_800,
  quarter: 7_889_400,
  year: 31_557_600,
};

/** Periods of the frequency words, in days ("weekly to daily" is seven times as often). */
const PERIOD_DAYS: Record<string, number> = {
  hourly: 1 / 24,
  daily: 1,
  nightly: 1,
  weekly: 7,
  fortnightly: 14,
  biweekly: 14,
  monthly: 30,
  quarterly: 91,
  yearly: 365,
  annually: 365,
};
const FREQUENCY = `(${Object.keys(PERIOD_DAYS).join('|')})`;

/** Both ends bare hours of the clock: "from twelve to two", "from 9 to 5", "from 7am to 7pm". */
const CLOCK =
  /^from (?:[1-9]|1[0-2]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?:\s?[ap]\.?m\.?)? to (?:[1-9]|1[0-2]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?:\s?[ap]\.?m\.?)?$/i;
/** Words that say something went from one value to another, a word or two before the "from". */
const CHANGE_WORDS =
  /\b(?:go|goes|went|fall|falls|fell|drop|drops|dropped|rise|rises|rose|grow|grows|grew|cut|reduced?|brought|moved?|came|got|increased?|decreased?|shrank|climbed|jumped|improved?|lifted|raised|down|up)(?:\s+\S+){0,2}\s+$/i;
const changedFrom = (sentence: string, span: string): boolean => {
  const at = sentence.indexOf(span);
  return at >= 0 && CHANGE_WORDS.test(sentence.slice(0, at));
};

/** The multiplying verbs, by lemma (compromise matches every tense of `{halve}`). */
const MULTIPLIERS: [lemma: string, factor: number][] = [
  ['halve', 2],
  ['double', 2],
  ['triple', 3],
  ['quadruple', 4],
];

const unitSeconds = (unit: string | undefined): number | undefined => {
  if (!unit) return undefined;
  const singular = unit.toLowerCase().replace(/s$/, '');
  return SECONDS[singular];
};

/** Seconds in the first unit of time named in `words`, if any. */
const timeUnitIn = (words: string): number | undefined =>
  words
    .toLowerCase()
    .split(/[^a-z]+/)
    .map(unitSeconds)
    .find((s) => s !== undefined);

const numbersIn = (m: Doc): number[] =>
  (m.numbers().json() as { number?: { num?: number } }[])
    .map((n) => n.number?.num)
    .filter((n): n is number => typeof n === 'number' && Number.isFinite(n));

const factorOf = (a: number, b: number) =>
  a > 0 && b > 0 ? Math.max(a, b) / Math.min(a, b) : a !== b ? Number.POSITIVE_INFINITY : 1;

interface Span {
  start: number;
  end: number;
}
const offsetOf = (m: Doc): Span[] =>
  (m.json({ offset: true }) as { offset: { start: number; length: number } }[]).map((j) => ({
    start: j.offset.start,
    end: j.offset.start + j.offset.length,
  }));

/** The words of the `i`th match, without the punctuation around them. */
const words = (m: Doc, i: number): string =>
  ((m.json() as { text: string }[])[i]?.text ?? '').replace(/^\W+|[^\w%]+$/g, '');

/** Every quantity in `text`, changes first, then ratios, multipliers and the plain numbers not inside them. */
export const parseQuantities = (text: string): Quantity[] => quantitiesOf(nlp(text) as unknown as Doc);

/** parseQuantities over a sentence compromise has already tagged (tagging is most of the cost). */
export function quantitiesOf(doc: Doc): Quantity[] {
  const found: Quantity[] = [];
  const taken: Span[] = [];
  const free = (span: Span) => !taken.some((t) => span.start < t.end && t.start < span.end);
  const take = (m: Doc, make: (one: Doc) => Quantity | undefined) => {
    m.forEach((one) => {
      const [span] = offsetOf(one);
      if (!span || !free(span)) return;
      const q = make(one);
      if (!q) return;
      taken.push(span);
      found.push(q);
    });
  };

  // "from one in five to one in fifty": a change between two ratios.
  take(doc.match('from #Value (in|out of) #Value to #Value (in|out of) #Value'), (m) => {
    const [a, b, c, d] = numbersIn(m);
    if (a === undefined || !b || c === undefined || !d) return undefined;
    return { text: m.text(), kind: 'change', from: a / b, to: c / d, factor: factorOf(a / b, c / d) };
  });
  // "from two hours to twelve minutes", "from 2% to 0.04%", "from 40 to 12".
  take(doc.match('from #Value+ #Noun? to #Value+ #Noun?'), (m) => {
    const [a, b] = numbersIn(m);
    if (a === undefined || b === undefined) return undefined;
    // "opened a second till from twelve to two": hours of the clock, not a change, unless something went
    // from one to the other ("fell from 12 to 2").
    if (CLOCK.test(m.text()) && !changedFrom(doc.text(), m.text()))
      return { text: m.text(), kind: 'number', incidental: true };
    // The units of time in the order said: "from two hours to twelve minutes" → hour, minute; one unit said
    // once is both ends' ("from nine to three days").
    const units = m
      .text()
      .split(/\bto\b/i)
      .map((side) => timeUnitIn(side));
    const [from, to] = [a, b].map((n, i) => n * (units[i] ?? units[1 - i] ?? 1));
    return { text: m.text(), kind: 'change', from, to, factor: factorOf(from!, to!) };
  });
  // "weekly to daily", "from monthly to weekly".
  take(doc.match(`from? ${FREQUENCY} to ${FREQUENCY}`), (m) => {
    const words = m
      .text()
      .toLowerCase()
      .split(/\W+/)
      .filter((w) => w in PERIOD_DAYS);
    const [a, b] = words.map((w) => PERIOD_DAYS[w]!);
    if (a === undefined || b === undefined) return undefined;
    return { text: m.text(), kind: 'frequency', from: a, to: b, factor: factorOf(a, b) };
  });
  // "one in fifty", "three out of four".
  take(doc.match('#Value (in|out of) #Value'), (m) => {
    const [a, b] = numbersIn(m);
    if (a === undefined || !b) return undefined;
    return { text: m.text(), kind: 'ratio', value: a / b };
  });
  // "halved", "doubled", "cut it in half", "twice as fast", "three times faster".
  for (const [lemma, factor] of MULTIPLIERS) {
    take(doc.match(`{${lemma}}`), (m) => ({ text: m.text(), kind: 'multiplier', factor }));
  }
  take(doc.match('in half'), (m) => ({ text: m.text(), kind: 'multiplier', factor: 2 }));
  take(doc.match('twice (as|the|over) (#Adverb|#Adjective)?'), (m) => ({
    text: m.text(),
    kind: 'multiplier',
    factor: 2,
  }));
  take(doc.match('#Value times (faster|more|less|fewer|as|the|over|quicker|slower|smaller|bigger)'), (m) => {
    const [a] = numbersIn(m);
    return a ? { text: m.text(), kind: 'multiplier', factor: a } : undefined;
  });
  // Plain numbers: "2%", "fifteen hours", "$140,000", said with what they count ("six days", not "six").
  const withNoun = doc.match('#Value+ #Noun');
  const counted = new Map(offsetOf(withNoun).map((span, i) => [span.start, words(withNoun, i)]));
  take(doc.numbers(), (m) => {
    const [value] = numbersIn(m);
    if (value === undefined) return undefined;
    const incidental = m.match('(#Ordinal|#Year)').found;
    const text = counted.get(offsetOf(m)[0]!.start) ?? m.text();
    return { text, kind: 'number', value, ...(incidental && { incidental }) };
  });
  return found;
}

/** Whether a quantity states a change (from → to, a multiplier, a frequency), the strongest kind of result. */
export const isChange = (q: Quantity) =>
  q.kind === 'change' || q.kind === 'multiplier' || q.kind === 'frequency';
