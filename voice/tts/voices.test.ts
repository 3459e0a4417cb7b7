import { describe, expect, it } from 'vitest';
import { PANEL_TEMPLATES } from '../../agents/panel/templates.js';
import { PANEL_VOICES } from '../../contract/words.js';
import type { TtsEngine } from '../types.js';
import type { PiperTts, PiperVariant } from './piper.js';
import { espeakInstalled, panelVoices, voiceChooser, type VoiceMachine } from './voices.js';

/** A fake engine: it speaks nothing, its name says which voice it would be. */
const fakeEngine = (name: string): TtsEngine => ({
  name,
  async *synthesize() {},
  async close() {},
});

/** A fake Piper engine, whose variants are fakes named by their pitch. */
const fakePiper = (name = 'piper'): PiperTts => ({
  ...fakeEngine(name),
  variant: (v: PiperVariant) => fakePiper(`piper${v.name} ×${v.pitch}`),
});

const PIPER_ONLY: VoiceMachine = { piper: true, espeak: false };
const PIPER_AND_ESPEAK: VoiceMachine = { piper: true, espeak: true };
const ESPEAK_ONLY: VoiceMachine = { piper: false, espeak: true };
const NEITHER: VoiceMachine = { piper: false, espeak: false };

describe('a panelist’s voice', () => {
  it('is a Piper variant when the engine is Piper: one engine per variant, the plain voice is the engine itself', () => {
    const piper = fakePiper();
    const choose = voiceChooser(piper, fakeEngine, () => false);
    expect(choose('piper:joe+low').name).toBe('piper+low ×0.84');
    expect(choose('piper:joe+high').name).toBe('piper+high ×1.19');
    expect(choose('piper:joe+higher').name).toBe('piper+higher ×1.41');
    expect(choose('piper:joe+high')).toBe(choose('piper:joe+high'));
    expect(choose('piper:joe')).toBe(piper);
    expect(choose('piper:en_US-joe-medium')).toBe(piper);
    expect(choose(undefined)).toBe(piper);
  });

  it('without espeak-ng, three panelists of a template saved with espeak-ng voices get three distinct voices', () => {
    const choose = voiceChooser(fakePiper(), fakeEngine, () => false);
    const saved = ['piper:en_US-joe-medium', 'espeak:en-us+f3', 'espeak:en-gb+m3'];
    const names = panelVoices(saved, PIPER_ONLY).map((v) => choose(v).name);
    expect(names).toEqual(['piper', 'piper+high ×1.19', 'piper+low ×0.84']);
  });

  it('is the espeak-ng variant where espeak-ng is installed, one engine per variant; espeak-ng is asked once', () => {
    let asked = 0;
    const choose = voiceChooser(
      fakePiper(),
      (v) => fakeEngine(`espeak ${v}`),
      () => (asked++, true),
    );
    expect(choose('espeak:en-gb+m3').name).toBe('espeak en-gb+m3');
    expect(choose('espeak:en-gb+m3')).toBe(choose('espeak:en-gb+m3'));
    expect(choose('espeak:en-us+f3').name).toBe('espeak en-us+f3');
    expect(choose('piper:joe+low').name).toBe('piper+low ×0.84');
    expect(asked).toBe(1);
  });

  it('is an espeak-ng stand-in for a Piper variant when the engine is espeak-ng or a remote one', () => {
    const configured = fakeEngine('configured');
    const choose = voiceChooser(
      configured,
      (v) => fakeEngine(`espeak ${v}`),
      () => true,
    );
    expect(choose('piper:joe')).toBe(configured);
    expect(choose('piper:joe+low').name).toBe('espeak en-gb+m3');
    expect(choose('piper:joe+high').name).toBe('espeak en-us+f3');
    expect(choose('piper:joe+higher').name).toBe('espeak en-gb+f2');
  });

  it('is the configured voice when there is neither Piper nor espeak-ng: the panel is heard in one voice', () => {
    const configured = fakeEngine('configured');
    const choose = voiceChooser(
      configured,
      (v) => fakeEngine(`espeak ${v}`),
      () => false,
    );
    for (const voice of ['piper:joe+high', 'espeak:en-gb+m3', 'piper:joe'])
      expect(choose(voice)).toBe(configured);
  });

  it('tells whether a program is installed by running it', () => {
    expect(espeakInstalled('no-such-espeak-binary')).toBe(false);
    expect(espeakInstalled('node')).toBe(true);
  });
});

describe('a panel’s voices on a machine', () => {
  const distinct = (voices: string[]) => new Set(voices).size === voices.length;

  it('keep the shipped templates’ voices as they are where Piper speaks, and they are all Piper variants', () => {
    for (const t of PANEL_TEMPLATES) {
      const voices = t.panelists.map((p) => p.voice);
      expect(voices.every((v) => v.startsWith('piper:joe'))).toBe(true);
      expect(panelVoices(voices, PIPER_ONLY)).toEqual(voices);
    }
  });

  it('stay distinct on every machine for every panel of up to four voices the template form offers', () => {
    const offered = [...PANEL_VOICES, 'espeak:en-us+m5', 'piper:unknown'];
    const panels: string[][] = [];
    const pick = (from: number, panel: string[]) => {
      if (panel.length >= 2) panels.push(panel);
      if (panel.length === 4) return;
      for (let i = from; i < offered.length; i++) pick(i + 1, [...panel, offered[i]!]);
    };
    pick(0, []);
    expect(panels.length).toBeGreaterThan(500);
    for (const machine of [PIPER_ONLY, PIPER_AND_ESPEAK, ESPEAK_ONLY])
      for (const panel of panels) {
        const heard = panelVoices(panel, machine);
        expect(distinct(heard), `${panel.join(' ')} → ${heard.join(' ')}`).toBe(true);
        // …and the same every time, whatever was asked before.
        expect(panelVoices(panel, machine)).toEqual(heard);
      }
  });

  it('give stand-ins by position: the first voice that cannot be spoken gets its preferred one, a later one the next free', () => {
    expect(panelVoices(['espeak:en-gb+m3', 'espeak:en-us+m2', 'piper:joe+low'], PIPER_ONLY)).toEqual([
      'piper:joe+high',
      'piper:joe+higher',
      'piper:joe+low',
    ]);
    expect(panelVoices(['espeak:en-gb+m3', 'espeak:en-us+m2'], PIPER_ONLY)).toEqual([
      'piper:joe+low',
      'piper:joe+high',
    ]);
  });

  it('keep the plain voice once when a panel names it by both its names', () => {
    expect(panelVoices(['piper:en_US-joe-medium', 'piper:joe'], PIPER_ONLY)).toEqual([
      'piper:en_US-joe-medium',
      'piper:joe+low',
    ]);
  });

  it('are all the configured voice where there is neither Piper nor espeak-ng', () => {
    expect(panelVoices(['piper:joe+high', 'espeak:en-gb+m3'], NEITHER)).toEqual(['piper:joe', 'piper:joe']);
  });
});
