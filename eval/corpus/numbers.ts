// Digits said as words, the way a transcript of a spoken answer has them: "$90,000" → "ninety thousand
// dollars", "0.04%" → "zero point zero four percent", "1 in 1,000" → "one in one thousand", "2022" → "twenty
// twenty-two". Used by the build script for the numbers_in_words variants.
const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

function belowThousand(n: number): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const parts: string[] = [];
  if (hundreds) parts.push(`${ONES[hundreds]} hundred`);
  if (rest) {
    const words =
      rest < 20 ? ONES[rest]! : TENS[Math.floor(rest / 10)]! + (rest % 10 ? `-${ONES[rest % 10]}` : '');
    parts.push(hundreds ? `and ${words}` : words);
  }
  return parts.join(' ');
}

/** A whole number from 0 to 999,999,999 in words. */
export function integerToWords(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 1e9) throw new Error(`no words for ${n}`);
  if (n === 0) return 'zero';
  const parts: string[] = [];
  const millions = Math.floor(n / 1e6);
  const thousands = Math.floor((n % 1e6) / 1000);
  const rest = n % 1000;
  if (millions) parts.push(`${belowThousand(millions)} million`);
  if (thousands) parts.push(`${belowThousand(thousands)} thousand`);
  if (rest)
    parts.push(rest < 100 && (millions || thousands) ? `and ${belowThousand(rest)}` : belowThousand(rest));
  return parts.join(' ');
}

function numberToWords(digits: string): string {
  const plain = digits.replace(/,/g, '');
  const [whole = '0', fraction] = plain.split('.');
  const n = Number(whole);
  // Years are said in pairs: 2022 → twenty twenty-two.
  if (!fraction && !digits.includes(',') && n >= 1900 && n <= 2099 && whole.length === 4) {
    const hi = Math.floor(n / 100);
    const lo = n % 100;
    return `${integerToWords(hi)} ${lo === 0 ? 'hundred' : lo < 10 ? `oh ${integerToWords(lo)}` : integerToWords(lo)}`;
  }
  const head = integerToWords(n);
  if (!fraction) return head;
  return `${head} point ${[...fraction].map((d) => ONES[Number(d)]).join(' ')}`;
}

const NUMBER = /(\$)?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(%|k\b|am\b|pm\b)?( \w+)?/g;
// After these words an amount is a quantity ("$40 a month"); before any other word it qualifies a noun ("a
// $90,000 deal"), where speech says "dollar".
const AFTER_QUANTITY =
  /^ (a|an|and|or|over|in|per|of|to|for|on|from|with|at|by|each|every|a|than|more|less|up|down|back|off|since|until|before|after|when|which|that|so|but|is|was|were|are)$/;

/** The text with every number said as words. */
export function numbersToWords(text: string): string {
  return text.replace(
    NUMBER,
    (_all, dollar: string | undefined, whole: string, frac = '', suffix = '', next = '') => {
      let words = numberToWords(whole + frac);
      if (suffix === 'k') words += ' thousand';
      if (suffix === 'am' || suffix === 'pm') words += ` ${suffix}`;
      if (suffix === '%') words += ' percent';
      if (dollar) words += next && !AFTER_QUANTITY.test(next) ? ' dollar' : ' dollars';
      return words + next;
    },
  );
}
