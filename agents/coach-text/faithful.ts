// Whether a model's rewrite of an answer stays the candidate's own: a "stronger answer" that adds a number
// or a name the candidate never said puts words in their mouth (a small model does this readily). Bracketed
// prompts ("[how much faster?]") are the coach's questions, not claims, and are left out of the check.

const outsideBrackets = (text: string) => text.replace(/\[[^\]]*\]/g, ' ');

/** The numbers and names of `rewrite` that `answer` does not contain (empty when it invents none). */
export function inventedFacts(rewrite: string, answer: string): string[] {
  const text = outsideBrackets(rewrite);
  const said = answer.toLowerCase();
  const numbers = (text.match(/\d[\d,.]*\d|\d/g) ?? []).filter((n) => !answer.includes(n));
  // A capitalised word after a lowercase word or a comma, mid-sentence, is a name (or a product, a place).
  const names = (text.match(/(?<=[a-z,] )[A-Z][\p{L}\d.&-]*/gu) ?? [])
    .map((n) => n.replace(/\.$/, ''))
    .filter((n) => !said.includes(n.toLowerCase()));
  return [...new Set([...numbers, ...names])];
}
