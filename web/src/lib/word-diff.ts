// A word-level diff (longest common subsequence) of two texts: what a rewrite kept, added and removed.

export type DiffOp = 'equal' | 'insert' | 'delete';
export interface DiffPart {
  op: DiffOp;
  text: string;
}

/** Splits text into words, keeping punctuation attached; whitespace is not a token. */
export function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}

/**
 * The word diff turning `before` into `after`, adjacent words of one kind merged into one part
 * (joined by single spaces). Deletions come before insertions at a change.
 */
export function wordDiff(before: string, after: string): DiffPart[] {
  const a = words(before);
  const b = words(after);
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: LCS length of a[i..] and b[j..].
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const parts: DiffPart[] = [];
  const push = (op: DiffOp, word: string) => {
    const prev = parts[parts.length - 1];
    if (prev && prev.op === op) prev.text += ` ${word}`;
    else parts.push({ op, text: word });
  };
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      push('equal', a[i]!);
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      push('delete', a[i++]!);
    } else {
      push('insert', b[j++]!);
    }
  }
  while (i < n) push('delete', a[i++]!);
  while (j < m) push('insert', b[j++]!);
  return parts;
}
