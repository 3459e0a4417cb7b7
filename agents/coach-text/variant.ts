// Deterministic variety: the same seed (a session's job and round, a turn's answer) always picks the same
// wording, so a retried activity says exactly what its first attempt said, while different turns vary.
import { createHash } from 'node:crypto';

export function pick<T>(options: readonly T[], ...seed: readonly (string | number)[]): T {
  if (options.length === 0) throw new Error('pick: no options');
  const digest = createHash('sha1').update(seed.join('\u0000')).digest();
  return options[digest.readUInt32BE(0) % options.length]!;
}
