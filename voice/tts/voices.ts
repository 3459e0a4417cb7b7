// Each mock panelist speaks in a voice of their own, named "<engine>:<voice>" by their template
// (agents/panel/template.ts). Only one neural voice ships in a registry package (Piper en_US-joe-medium, a
// single speaker: see docs and README "Mock panel"), so a panel gets it for one panelist and espeak-ng
// variants (Debian's espeak-ng: "en-gb+m3", "en-us+f3"…, a different pitch, accent and timbre each) for
// the others. "piper:<name>" is the configured engine when that is Piper, whose one voice it names.
import { spawnSync } from 'node:child_process';
import type { TtsEngine } from '../types.js';
import { createEspeakTts } from './espeak.js';

/**
 * Whether Debian's espeak-ng is installed. `npm start` installs no system package, so on a machine set up by
 * it alone a panelist's espeak voice speaks in the configured engine instead of failing: the panel is heard,
 * in one voice.
 */
export const espeakInstalled = (binary = 'espeak-ng'): boolean =>
  spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;

export type VoiceChooser = (voice: string | undefined) => TtsEngine;

/** `fallback`: the configured engine (TTS_PROVIDER), for no voice, a Piper voice, or an engine not known here. */
export function voiceChooser(
  fallback: TtsEngine,
  makeEspeak: (voice: string) => TtsEngine = (voice) => createEspeakTts({ voice }),
  hasEspeak: () => boolean = espeakInstalled,
): VoiceChooser {
  const espeak = new Map<string, TtsEngine>();
  let installed: boolean | undefined;
  return (voice) => {
    const [engine, name] = voice?.split(':', 2) ?? [];
    if (engine !== 'espeak' || !name || !(installed ??= hasEspeak())) return fallback;
    let e = espeak.get(name);
    if (!e) espeak.set(name, (e = makeEspeak(name)));
    return e;
  };
}
