// The earlier words a recogniser is primed with (whisper's prompt). Whisper keeps at most 224 prompt
// tokens and reads the end of it most: the last sentence or two carry the topic, the names and the
// spelling of numbers, which is what a short segment needs; more only costs decoding time.
const CONTEXT_WORDS = 40;

/** The end of `text` (at most CONTEXT_WORDS words), or undefined when there is none. */
export function contextPrompt(...texts: (string | undefined)[]): string | undefined {
  const words = texts.join(' ').split(/\s+/).filter(Boolean);
  return words.length ? words.slice(-CONTEXT_WORDS).join(' ') : undefined;
}
