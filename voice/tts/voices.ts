// Each mock panelist speaks in a voice of their own, named "<engine>:<voice>" by their template
// (agents/panel/template.ts). Only one neural voice ships in a registry package (Piper en_US-joe-medium, a
// single speaker: see README "Mock panel"), so the panel's voices are that speaker at other pitches:
//
//   piper:joe          the voice as it is (also "piper:en_US-joe-medium", its older name)
//   piper:joe+low      3 semitones lower (×0.84)
//   piper:joe+high     3 semitones higher (×1.19)
//   piper:joe+higher   6 semitones higher (×1.41)
//
// pitch and formants together, at the same tempo (./piper.ts, ./pitch.ts): one man's voice made to sound
// like a larger or smaller person, not different people. Three semitones apart is a clear step in pitch
// (not yet judged by listeners); the whole range stays within what whisper transcribes as well as the
// plain voice (tests/voice/panel-voices.test.ts).
//
// Templates saved before these names use Debian espeak-ng variants ("espeak:en-gb+m3"…). Where espeak-ng
// is installed they speak as before. Where it is not (`npm start` installs no system package) they take a
// Piper variant instead, and where the engine is not Piper a Piper variant takes an espeak-ng one: see
// `panelVoices`, which does it for a whole panel so that voices that differ stay different.
import { spawnSync } from 'node:child_process';
import type { TtsEngine } from '../types.js';
import { createEspeakTts } from './espeak.js';
import { isPiperTts, type PiperTts } from './piper.js';

/** The Piper variants by name (after "piper:"), plain voice first: their pitch factors. */
export const PIPER_VARIANTS: Readonly<Record<string, number>> = {
  joe: 1,
  'joe+low': 0.84,
  'joe+high': 1.19,
  'joe+higher': 1.41,
};
const PIPER_ORDER = Object.keys(PIPER_VARIANTS).map((name) => `piper:${name}`);
/** The voice's name before variants had names; it is the plain voice. */
const LEGACY_PIPER = 'piper:en_US-joe-medium';
/** The plain voice: the configured engine, whatever TTS_PROVIDER is. */
export const PLAIN_VOICE = 'piper:joe';

/**
 * espeak-ng variants that sound apart (a different pitch, accent and timbre each), in the order they stand
 * in for Piper variants where the engine is not Piper.
 */
const ESPEAK_ORDER = [
  'espeak:en-gb+m3',
  'espeak:en-us+f3',
  'espeak:en-gb+f2',
  'espeak:en-us+m2',
  'espeak:en-us+m7',
  'espeak:en-gb+f4',
];

/** The stand-in a voice would like where it cannot be spoken as named: close in pitch, where there is one. */
const PREFERRED: Readonly<Record<string, string>> = {
  'espeak:en-gb+m3': 'piper:joe+low',
  'espeak:en-us+m2': 'piper:joe+low',
  'espeak:en-us+m7': 'piper:joe+low',
  'espeak:en-us+f3': 'piper:joe+high',
  'espeak:en-gb+f2': 'piper:joe+higher',
  'espeak:en-gb+f4': 'piper:joe+higher',
  'piper:joe+low': 'espeak:en-gb+m3',
  'piper:joe+high': 'espeak:en-us+f3',
  'piper:joe+higher': 'espeak:en-gb+f2',
};

/** What this machine can speak: the Piper engine (TTS_PROVIDER=piper), Debian's espeak-ng. */
export interface VoiceMachine {
  piper: boolean;
  espeak: boolean;
}

const plain = (voice: string) => (voice === LEGACY_PIPER ? PLAIN_VOICE : voice);

/** Spoken as named here: a Piper variant by the Piper engine, an espeak-ng voice by espeak-ng. */
function speaks(voice: string, machine: VoiceMachine): boolean {
  if (voice === PLAIN_VOICE) return true; // the configured engine
  if (voice.startsWith('piper:')) return machine.piper && PIPER_ORDER.includes(voice);
  return voice.startsWith('espeak:') && machine.espeak && voice.length > 'espeak:'.length;
}

/**
 * The voices a panel is heard in on this machine, panelist by panelist: each voice that can be spoken as
 * named is kept (as it was written), and each other one takes a stand-in that no panelist of the panel has
 * yet (its preferred one, else the next in order). The stand-ins come in order of position in the panel, so the result is
 * the same every time and never gives two panelists one voice while there are voices to go round (four
 * Piper variants, six espeak-ng ones; a panel has at most four panelists). With neither Piper nor
 * espeak-ng (an OpenAI-compatible engine alone) there is nothing to stand in: the panel is heard in
 * the configured voice.
 */
export function panelVoices(voices: readonly string[], machine: VoiceMachine): string[] {
  const wanted = voices.map(plain);
  // A voice named twice (the plain one under its two names) is kept once.
  const kept = wanted.map((v, i) => speaks(v, machine) && wanted.indexOf(v) === i);
  const taken = new Set(wanted.filter((_, i) => kept[i]));
  const palette = machine.piper ? PIPER_ORDER : machine.espeak ? [PLAIN_VOICE, ...ESPEAK_ORDER] : [];
  return wanted.map((voice, i) => {
    if (kept[i]) return voices[i]!;
    const preferred = PREFERRED[voice];
    const from = preferred && palette.includes(preferred) ? palette.indexOf(preferred) : 0;
    for (let k = 0; k < palette.length; k++) {
      const candidate = palette[(from + k) % palette.length]!;
      if (!taken.has(candidate)) {
        taken.add(candidate);
        return candidate;
      }
    }
    return PLAIN_VOICE;
  });
}

/**
 * Whether Debian's espeak-ng is installed. `npm start` installs no system package, so on a machine set up by
 * it alone a panelist's espeak voice is spoken by a Piper variant.
 */
export const espeakInstalled = (binary = 'espeak-ng'): boolean =>
  spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;

let installed: boolean | undefined;
/** `espeakInstalled()`, asked once per process. */
export const espeakOnThisMachine = (): boolean => (installed ??= espeakInstalled());

export type VoiceChooser = (voice: string | undefined) => TtsEngine;

/**
 * The engine for one voice. `fallback`: the configured engine (TTS_PROVIDER), for no voice and the plain
 * one; when it is Piper it also speaks the variants. A voice alone has no panel to stay distinct within:
 * a panel's voices are put through `panelVoices` when its session starts, so what reaches here is spoken
 * as named, and only a session from before that is mapped voice by voice (to its preferred stand-in).
 */
export function voiceChooser(
  fallback: TtsEngine,
  makeEspeak: (voice: string) => TtsEngine = (voice) => createEspeakTts({ voice }),
  hasEspeak: () => boolean = espeakOnThisMachine,
): VoiceChooser {
  const engines = new Map<string, TtsEngine>();
  let machine: VoiceMachine | undefined;
  return (requested) => {
    if (!requested) return fallback;
    machine ??= { piper: isPiperTts(fallback), espeak: hasEspeak() };
    const voice = plain(panelVoices([requested], machine)[0]!);
    if (voice === PLAIN_VOICE) return fallback;
    let engine = engines.get(voice);
    if (!engine) {
      const [kind, name] = voice.split(':', 2) as [string, string];
      engine =
        kind === 'espeak'
          ? makeEspeak(name)
          : (fallback as PiperTts).variant({ name: name.slice('joe'.length), pitch: PIPER_VARIANTS[name]! });
      engines.set(voice, engine);
    }
    return engine;
  };
}
