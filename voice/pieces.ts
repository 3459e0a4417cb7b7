// A streamed answer arrives in pieces cut at the candidate's pauses, and they are transcribed while the
// answer goes on. A short piece heard alone starts mid-thought, and whisper base guesses at its words
// ("and the latency fell" heard as "and Malayton's FL"); so short pieces are heard together with the next
// ones. Those groups feed the live transcript, which must keep up with the speaker. The final transcript
// is heard in longer groups (joined live groups), each once, while the answer goes on: whisper reads a
// longer stretch better, and only the last one is left when the answer ends. Pure (no I/O): the workflow
// groups the pieces as they arrive, the worker when the answer ends, and both get the same groups. Measured
// against the alternatives in bench/voice/segments.ts.

/**
 * Pieces shorter than this are heard together with the ones after them. whisper base guesses at a short
 * phrase heard alone ("I interviewed twenty riders," as "I intermute 20 riders."); with a few seconds of
 * speech it reads them about as well as the whole answer (bench/voice/segments.ts). The browser already
 * cuts no shorter (web/src/lib/voice/segmenter.ts, minSegmentMs) except at the end of an answer; this holds
 * for any client of the segment route.
 */
export const MIN_PIECE_SEC = 3;

/** A piece with less sound than this (the quiet after the last word) is silence: not sent to the recogniser. */
export const SILENT_PIECE_VOICED_SEC = 0.15;

/**
 * The final transcript hears live groups joined until they hold this much audio. Long enough for whisper to
 * read a group about as well as the whole answer, short enough that the last one (all that is left to
 * hear when the answer ends) takes well under a second at whisper base's real-time factor here (0.07).
 */
export const FINAL_GROUP_SEC = 10;

export interface PieceLength {
  /** Its length; unknown (sent by an older server): it stands alone, as every piece did before. */
  seconds?: number;
  /** How much of it is speech-level sound (voice/audio.ts voiceActivity), when known. */
  voicedSec?: number;
}

const isSilent = (p: PieceLength) => p.voicedSec !== undefined && p.voicedSec < SILENT_PIECE_VOICED_SEC;

/**
 * Which consecutive pieces are transcribed together: each group runs until it holds `minSec` of audio, or
 * up to a silent piece (a long pause: the thought before it is over), which is a group of its own.
 * `final`: the answer is finished, so a short group at the end is transcribed as it is; otherwise it waits
 * for the pieces still to come and is left out. A group once closed never changes as more pieces arrive, so
 * the groups heard while the answer is spoken are the final transcript's.
 */
export function groupPieces(
  pieces: readonly PieceLength[],
  { minSec = MIN_PIECE_SEC, final }: { minSec?: number; final: boolean },
): number[][] {
  const groups: number[][] = [];
  let open: number[] = [];
  let held = 0;
  const close = () => {
    if (open.length) groups.push(open);
    open = [];
    held = 0;
  };
  for (const [i, piece] of pieces.entries()) {
    if (isSilent(piece)) {
      close();
      groups.push([i]);
      continue;
    }
    open.push(i);
    held += piece.seconds ?? Infinity;
    if (held >= minSec) close();
  }
  if (final) close();
  return groups;
}

/** A group of the final transcript: its pieces, and the live groups it joins (consecutive). */
export interface FinalGroup {
  pieces: number[];
  live: number[][];
}

/**
 * The final transcript's groups: consecutive live groups (above) joined until they hold `FINAL_GROUP_SEC`,
 * a silent one standing alone. Each is made of whole live groups, so when the machine falls behind, the
 * live groups' transcripts can stand in for one. Like the live groups, one once closed never changes.
 */
export function finalGroups(pieces: readonly PieceLength[], { final }: { final: boolean }): FinalGroup[] {
  const live = groupPieces(pieces, { final });
  const lengths = live.map((group) => {
    const seconds = group.reduce((sum, i) => sum + (pieces[i]!.seconds ?? Infinity), 0);
    // A silent live group is a silent piece alone (groupPieces): it stays silent here.
    return group.length === 1 && isSilent(pieces[group[0]!]!) ? pieces[group[0]!]! : { seconds };
  });
  return groupPieces(lengths, { minSec: FINAL_GROUP_SEC, final }).map((joined) => {
    const groups = joined.map((g) => live[g]!);
    return { pieces: groups.flat(), live: groups };
  });
}
