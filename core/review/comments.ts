// A reviewer's comment has no row of its own (a submission keeps its comments in order), so its id is derived:
// the reviewer, the answer and the comment's place in that review. A submission never changes once saved, so
// the id is stable; it is a hash, so it names no reviewer to a candidate who sees them anonymously.
import { createHash } from 'node:crypto';

export function commentIdOf(reviewerId: string, answerId: string, index: number): string {
  return createHash('sha256').update(`${reviewerId}\n${answerId}\n${index}`).digest('base64url').slice(0, 22);
}
