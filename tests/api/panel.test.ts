// Mock panels over HTTP on the real stack (Temporal, PGlite, Chroma, the offline coach): templates (built-in
// and a user's own, validated, changed and deleted: the sessions made from one keep their copy), and a whole three-panelist interview in text: who asks each question, the
// hand-overs, every panelist's scorecard and the debrief streamed, stored and exported, and the metrics.
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER, apiClient, createReadyJob, type SseEvent } from '../support/client.js';
import { RAMBLING, smallPanel, startSmallPanel } from '../support/panel.js';
import { startStack, type TestStack } from '../support/stack.js';
import { workflowBundle } from '../../workflows/worker.js';
import { decodeWav } from '../../voice/wav.js';
import { medianPitch } from '../support/pitch.js';
import { sessionWorkflowId } from '../../workflows/messages.js';
import type {
  Analytics,
  PanelDebrief,
  PanelScorecard,
  PanelTemplateEntry,
  Session,
} from '../../contract/index.js';

let stack: TestStack;
let client: ReturnType<typeof apiClient>;
let jobId: string;

beforeAll(async () => {
  stack = await startStack();
  client = apiClient(stack.baseUrl);
  jobId = await createReadyJob(client);
}, 120_000);
afterAll(() => stack?.close());

/** Answers every question of a panel session with `answer` until it completes; returns every event. */
async function runPanel(id: string, answer = ANSWER): Promise<SseEvent[]> {
  return client.events(id, {
    timeoutMs: 120_000,
    until: (e) => {
      if (e.data.type === 'question')
        void client.call('POST', `/api/sessions/${id}/answers`, { text: answer, turnId: e.data.turnId });
      return e.data.type === 'state' && e.data.status === 'completed';
    },
  });
}

describe('panel templates', () => {
  it('lists the five built-in panels, each with two to four panelists', async () => {
    const res = await client.call<PanelTemplateEntry[]>('GET', '/api/panel-templates');
    expect(res.status).toBe(200);
    const builtIn = res.json.filter((t) => t.builtIn);
    expect(builtIn.map((t) => t.id)).toEqual([
      'software-engineer',
      'sre-devops',
      'product-manager',
      'registered-nurse',
      'account-executive',
    ]);
    for (const t of builtIn) expect(t.panelists.length).toBeGreaterThanOrEqual(2);
  });

  it('makes a user’s own template, lists it after the built-in ones, and refuses its id twice', async () => {
    const made = await client.call<PanelTemplateEntry>('POST', '/api/panel-templates', smallPanel('mine'));
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ id: 'mine', builtIn: false });
    const list = await client.call<PanelTemplateEntry[]>('GET', '/api/panel-templates');
    expect(list.json.at(-1)).toMatchObject({ id: 'mine', builtIn: false, title: 'Three of us' });
    const again = await client.call<{ detail: string }>('POST', '/api/panel-templates', smallPanel('mine'));
    expect(again.status).toBe(409);
    expect(again.json.detail).toMatch(/already have a panel template with the id mine/);
    const builtInId = await client.call<{ detail: string }>(
      'POST',
      '/api/panel-templates',
      smallPanel('software-engineer'),
    );
    expect(builtInId.status).toBe(409);
    expect(builtInId.json.detail).toMatch(/built-in panel/);
  });

  it('refuses a body that is not a template with a 400, and a template the panel cannot run with a 422 listing every problem', async () => {
    const shape = await client.call<{ detail: string }>('POST', '/api/panel-templates', {
      id: 'x',
      title: 'No panelists',
    });
    expect(shape.status).toBe(400);
    expect(shape.type).toContain('application/problem+json');
    expect(shape.json.detail).toMatch(/panelists/);

    const t = smallPanel('unrunnable');
    t.panelists[0]!.competencies = [{ competency: 'juggling', weight: 3 }];
    t.panelists[1]!.voice = t.panelists[2]!.voice;
    t.panelists[2]!.role = 'peer';
    const semantic = await client.call<{ detail: string }>('POST', '/api/panel-templates', t);
    expect(semantic.status).toBe(422);
    expect(semantic.json.detail).toMatch(/"juggling" is not a competency of the question bank/);
    expect(semantic.json.detail).toMatch(/voice "espeak:en-gb\+m3" is used by two panelists/);
    expect(semantic.json.detail).toMatch(/bar_raiser_veto rule needs a panelist with the role bar_raiser/);
  });

  it('changes a user’s own template: checked as on create, its id kept, the change listed', async () => {
    expect((await client.call('POST', '/api/panel-templates', smallPanel('editable'))).status).toBe(201);
    const changed = smallPanel('editable', 'Edited loop');
    changed.panelists[1]!.timeBudgetSec = 420;
    changed.panelists[1]!.name = 'Bea';
    const put = await client.call<PanelTemplateEntry>('PUT', '/api/panel-templates/editable', changed);
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ id: 'editable', title: 'Edited loop', builtIn: false });
    const listed = (await client.call<PanelTemplateEntry[]>('GET', '/api/panel-templates')).json;
    const entry = listed.find((t) => t.id === 'editable')!;
    expect(entry.title).toBe('Edited loop');
    expect(entry.panelists[1]).toMatchObject({ name: 'Bea', timeBudgetSec: 420 });
    expect(listed.filter((t) => t.id === 'editable')).toHaveLength(1);

    const shape = await client.call<{ detail: string }>('PUT', '/api/panel-templates/editable', {
      id: 'editable',
      title: 'No panelists',
    });
    expect(shape.status).toBe(400);
    expect(shape.json.detail).toMatch(/panelists/);
    const renamed = await client.call<{ detail: string }>(
      'PUT',
      '/api/panel-templates/editable',
      smallPanel('other-id'),
    );
    expect(renamed.status).toBe(400);
    expect(renamed.json.detail).toMatch(/^id: a panel template keeps its id \(editable\)/);
    const unrunnable = smallPanel('editable');
    unrunnable.panelists[0]!.competencies = [{ competency: 'juggling', weight: 3 }];
    const semantic = await client.call<{ detail: string }>(
      'PUT',
      '/api/panel-templates/editable',
      unrunnable,
    );
    expect(semantic.status).toBe(422);
    expect(semantic.json.detail).toMatch(/"juggling" is not a competency of the question bank/);
    // None of the refused bodies changed it.
    const after = (await client.call<PanelTemplateEntry[]>('GET', '/api/panel-templates')).json;
    expect(after.find((t) => t.id === 'editable')).toEqual(entry);
  });

  it('deletes a user’s own template: gone from the list, a session on it refused, a second delete a 404', async () => {
    expect((await client.call('POST', '/api/panel-templates', smallPanel('deletable'))).status).toBe(201);
    const del = await client.call('DELETE', '/api/panel-templates/deletable');
    expect(del.status).toBe(204);
    const listed = (await client.call<PanelTemplateEntry[]>('GET', '/api/panel-templates')).json;
    expect(listed.map((t) => t.id)).not.toContain('deletable');
    const again = await client.call<{ detail: string }>('DELETE', '/api/panel-templates/deletable');
    expect(again.status).toBe(404);
    expect(again.json.detail).toBe('panel template deletable not found');
    const session = await client.call<{ detail: string }>('POST', '/api/sessions', {
      jobId,
      module: 'behavioral',
      mode: 'text',
      rounds: 6,
      panel: 'deletable',
    });
    expect(session.status).toBe(400);
    // Its id is free again.
    expect((await client.call('POST', '/api/panel-templates', smallPanel('deletable'))).status).toBe(201);
  });

  it('a built-in panel cannot be changed or deleted (403, saying why); an unknown id is a 404', async () => {
    const builtIn = async () =>
      (await client.call<PanelTemplateEntry[]>('GET', '/api/panel-templates')).json.find(
        (t) => t.id === 'software-engineer',
      );
    const before = await builtIn();
    const put = await client.call<{ detail: string }>(
      'PUT',
      '/api/panel-templates/software-engineer',
      smallPanel('software-engineer'),
    );
    expect(put.status).toBe(403);
    expect(put.type).toContain('application/problem+json');
    expect(put.json.detail).toMatch(/software-engineer is a built-in panel: it cannot be changed or deleted/);
    const del = await client.call<{ detail: string }>('DELETE', '/api/panel-templates/software-engineer');
    expect(del.status).toBe(403);
    expect(del.json.detail).toMatch(/built-in panel/);
    expect(await builtIn()).toEqual(before);
    expect(
      (await client.call('PUT', '/api/panel-templates/nobody-here', smallPanel('nobody-here'))).status,
    ).toBe(404);
    expect((await client.call('DELETE', '/api/panel-templates/nobody-here')).status).toBe(404);
  });

  it('refuses a session on a panel that does not exist with a 400', async () => {
    const res = await client.call<{ detail: string }>('POST', '/api/sessions', {
      jobId,
      module: 'behavioral',
      mode: 'text',
      rounds: 6,
      panel: 'nobody-here',
    });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(/panel template nobody-here does not exist/);
  });
});

describe('a three-panelist interview in text', () => {
  let id: string;
  let events: SseEvent[];

  beforeAll(async () => {
    id = await startSmallPanel(client, jobId);
    events = await runPanel(id);
  }, 180_000);

  const questions = () =>
    events
      .filter((e) => e.data.type === 'question')
      .map(
        (e) =>
          e.data as unknown as {
            turnId: string;
            text: string;
            panelist: { id: string; name: string; role: string };
            handOver?: string;
            timeUsed: Record<string, number>;
          },
      );

  it('every question names its panelist; each panelist asks, nobody three times in a row', () => {
    const qs = questions();
    expect(qs.length).toBeGreaterThanOrEqual(3);
    expect(qs.length).toBeLessThanOrEqual(6);
    for (const q of qs) expect(['ana', 'ben', 'cy']).toContain(q.panelist.id);
    expect(new Set(qs.map((q) => q.panelist.id))).toEqual(new Set(['ana', 'ben', 'cy']));
    for (let i = 2; i < qs.length; i++)
      expect(
        qs[i]!.panelist.id === qs[i - 1]!.panelist.id && qs[i]!.panelist.id === qs[i - 2]!.panelist.id,
      ).toBe(false);
    expect(qs[0]!).toMatchObject({ panelist: { id: 'ana', name: 'Ana', role: 'hiring_manager' } });
  });

  it('the floor passes out loud: a new speaker is handed over by name, and time used grows', () => {
    const qs = questions();
    expect(qs[0]!.handOver).toBeUndefined();
    for (let i = 1; i < qs.length; i++) {
      if (qs[i]!.panelist.id === qs[i - 1]!.panelist.id) continue;
      expect(qs[i]!.handOver).toContain(qs[i]!.panelist.name);
    }
    expect(qs[0]!.timeUsed).toEqual({ ana: 0, ben: 0, cy: 0 });
    expect(qs.at(-1)!.timeUsed.ana).toBeGreaterThan(20);
  });

  it('each panelist writes a scorecard, then the debrief streams; both are stored on the session', async () => {
    const cards = events.filter((e) => e.data.type === 'scorecard');
    const debriefs = events.filter((e) => e.data.type === 'panel_debrief');
    expect(cards.map((e) => (e.data.scorecard as PanelScorecard).panelistId).sort()).toEqual([
      'ana',
      'ben',
      'cy',
    ]);
    expect(debriefs).toHaveLength(1);
    // Scorecards come first: the debrief is built from them.
    expect(Math.max(...cards.map((e) => e.id))).toBeLessThan(debriefs[0]!.id);
    const debrief = debriefs[0]!.data.debrief as PanelDebrief;
    expect(['hire', 'no_hire']).toContain(debrief.decision.outcome);
    expect(debrief.decision.rule).toBe('bar_raiser_veto');
    expect(debrief.decision.votes.hire + debrief.decision.votes.noHire).toBe(3);
    expect(debrief.grid.map((r) => r.dimension)).toEqual([
      'star',
      'clarity',
      'impact',
      'conciseness',
      'relevance',
    ]);
    // Each drill links to a moment: a turn the candidate answered.
    const turnIds = questions().map((q) => q.turnId);
    for (const d of debrief.drills) expect(turnIds).toContain(d.evidence.turnId);
    expect(debrief.wouldHaveChanged.text).toMatch(/^The decision would have been/);

    const session = (await client.call<Session>('GET', `/api/sessions/${id}`)).json;
    expect(session.status).toBe('completed');
    expect(session.autoAdvance).toBe(true);
    expect(session.panel?.template.id).toBe('three-of-us');
    expect(session.panel?.debrief).toEqual(debrief);
    expect(session.panel?.scorecards).toHaveLength(3);
    expect(session.panel?.endReason).toBe('covered');
    expect(session.turns.map((t) => t.panelist?.id)).toEqual(questions().map((q) => q.panelist.id));
    expect(session.turns.every((t) => t.feedback)).toBe(true);
    const listed = await client.call<{ id: string; panel?: string }[]>('GET', '/api/sessions');
    expect(listed.json.find((x) => x.id === id)?.panel).toBe('Three of us');
  });

  it('every event once, in order: ids count up by one', () => {
    const ids = events.map((e) => e.id);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
  });

  it('feeds progress: the panel’s decision and its answers’ scores are in the analytics', async () => {
    const debrief = events.find((e) => e.data.type === 'panel_debrief')!.data.debrief as PanelDebrief;
    const analytics = await client.call<Analytics>('GET', '/api/analytics');
    const entry = analytics.json.sessions.find((s) => s.id === id)!;
    expect(entry.panel).toEqual({ title: 'Three of us', decision: debrief.decision.outcome });
    expect(entry.completed).toBe(true);
    expect(entry.scores).not.toBeNull();
  });

  it('exports the panel with its decision, grid, scorecards and drills as Markdown and PDF', async () => {
    const md = await fetch(`${stack.baseUrl}/api/sessions/${id}/export.md`);
    expect(md.status).toBe(200);
    const text = await md.text();
    expect(text).toContain('## Panel: Three of us');
    expect(text).toMatch(/### Decision\n\n\*\*(Hire|No hire)\.\*\*/);
    expect(text).toContain('| Dimension | Ana (hiring manager) | Ben (peer) | Cy (bar raiser) | |');
    expect(text).toMatch(/### Scorecard: Cy \(bar raiser\), (strong hire|hire|no hire|strong no hire)/);
    expect(text).toMatch(/## Round 1: Question \(Ana \(hiring manager\)\)/);
    expect(text).toContain('### What would have changed the decision');
    const pdf = await fetch(`${stack.baseUrl}/api/sessions/${id}/export.pdf`);
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('replays its recorded history with today’s workflow code: the director’s turns are deterministic', async () => {
    const history = await stack.temporal.workflow.getHandle(sessionWorkflowId(id)).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history);
  });

  it('a repeated create with the same Idempotency-Key but another panel is refused with a 422', async () => {
    const key = { 'idempotency-key': `panel-${id}` };
    const body = { jobId, module: 'behavioral', mode: 'text', rounds: 10, panel: 'three-of-us' };
    const first = await client.call<{ id: string }>('POST', '/api/sessions', body, key);
    expect(first.status).toBe(201);
    const same = await client.call<{ id: string }>('POST', '/api/sessions', body, key);
    expect(same.json.id).toBe(first.json.id);
    const other = await client.call('POST', '/api/sessions', { ...body, panel: 'software-engineer' }, key);
    expect(other.status).toBe(422);
    await client.call('POST', `/api/sessions/${first.json.id}/end`);
  });

  it('moves on by itself: retry and next are refused while the panel runs it', async () => {
    expect((await client.call('POST', `/api/sessions/${id}/next`)).status).toBe(409);
  });

  it('counts panels started and debriefed, and questions by role, in /metrics', async () => {
    const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/ih_panel_interviews_started_total\{template="custom"\} [1-9]/);
    expect(metrics).toMatch(/ih_panel_interviews_total\{template="custom",outcome="(hire|no_hire)"\} 1/);
    expect(metrics).toMatch(/ih_panel_questions_total\{role="bar_raiser",follow_up="false"\} [1-9]/);
  });
});

describe('a panel template changed, then deleted, while a session runs on it', () => {
  let id: string;
  let events: SseEvent[];

  beforeAll(async () => {
    expect(
      (await client.call('POST', '/api/panel-templates', smallPanel('short-lived', 'Short-lived'))).status,
    ).toBe(201);
    const created = await client.call<{ id: string }>('POST', '/api/sessions', {
      jobId,
      module: 'behavioral',
      mode: 'text',
      rounds: 10,
      panel: 'short-lived',
    });
    expect(created.status).toBe(201);
    id = created.json.id;
    // The session is running (its first question asked) when its template changes and goes.
    for (const deadline = Date.now() + 60_000; ;) {
      const s = (await client.call<Session>('GET', `/api/sessions/${id}`)).json;
      if (s.status === 'awaiting_answer') break;
      if (Date.now() > deadline) throw new Error(`the panel session stayed ${s.status}`);
      await new Promise((r) => setTimeout(r, 150));
    }
    const changed = smallPanel('short-lived', 'Renamed');
    changed.panelists[0]!.name = 'Zed';
    expect((await client.call('PUT', '/api/panel-templates/short-lived', changed)).status).toBe(200);
    expect((await client.call('DELETE', '/api/panel-templates/short-lived')).status).toBe(204);
    events = await runPanel(id);
  }, 180_000);

  it('runs to its debrief on the panel it started with, and still shows its panelists and debrief', async () => {
    const debrief = events.find((e) => e.data.type === 'panel_debrief')?.data.debrief as PanelDebrief;
    expect(debrief.decision.votes.hire + debrief.decision.votes.noHire).toBe(3);
    const names = events
      .filter((e) => e.data.type === 'question')
      .map((e) => (e.data as unknown as { panelist: { name: string } }).panelist.name);
    expect(new Set(names)).toEqual(new Set(['Ana', 'Ben', 'Cy']));
    const session = (await client.call<Session>('GET', `/api/sessions/${id}`)).json;
    expect(session.status).toBe('completed');
    expect(session.panel?.template).toMatchObject({ id: 'short-lived', title: 'Short-lived' });
    expect(session.panel?.template.panelists.map((p) => p.name)).toEqual(['Ana', 'Ben', 'Cy']);
    expect(session.panel?.debrief).toEqual(debrief);
    expect(session.panel?.scorecards).toHaveLength(3);
    const md = await (await fetch(`${stack.baseUrl}/api/sessions/${id}/export.md`)).text();
    expect(md).toContain('## Panel: Short-lived');
    const analytics = (await client.call<Analytics>('GET', '/api/analytics')).json;
    expect(analytics.sessions.find((s) => s.id === id)?.panel?.title).toBe('Short-lived');
  });
});

describe('a tough panelist cuts into a rambling answer', () => {
  let id: string;
  let events: SseEvent[];
  type Q = { turnId: string; text: string; probeOf?: string; panelist: { id: string } };

  beforeAll(async () => {
    id = await startSmallPanel(client, jobId);
    // Every answer rambles: only Cy (tough, may interrupt) cuts in, and only once.
    events = await runPanel(id, RAMBLING);
  }, 180_000);

  it('Cy cuts in once, on his own question; Ana (friendly) and Ben (neutral) let every answer run', () => {
    const cuts = events.filter((e) => e.data.type === 'interrupt').map((e) => e.data);
    expect(cuts).toHaveLength(1);
    const cut = cuts[0] as unknown as {
      turnId: string;
      panelist: { id: string };
      text: string;
      answer: string;
    };
    expect(cut.panelist).toEqual({ id: 'cy', name: 'Cy', role: 'bar_raiser' });
    expect(cut.text).toMatch(/stop you there|cut in|jump in/);
    expect(cut.answer).toBe(RAMBLING);
    const qs = events.filter((e) => e.data.type === 'question').map((e) => e.data as unknown as Q);
    expect(qs.find((q) => q.turnId === cut.turnId)?.panelist.id).toBe('cy');
    for (const q of qs.filter((q) => q.panelist.id !== 'cy')) expect(q.turnId).not.toBe(cut.turnId);
  });

  it('the cut-in is asked next as Cy’s follow-up, and the answers are coached together', async () => {
    const at = events.findIndex((e) => e.data.type === 'interrupt');
    const cut = events[at]!.data as unknown as { turnId: string; text: string; followUpTurnId: string };
    const next = events.slice(at + 1).find((e) => e.data.type === 'question')!.data as unknown as Q;
    expect(next).toMatchObject({
      turnId: cut.followUpTurnId,
      text: cut.text,
      probeOf: cut.turnId,
      panelist: { id: 'cy' },
    });
    const session = (await client.call<Session>('GET', `/api/sessions/${id}`)).json;
    const followUp = session.turns.find((t) => t.id === cut.followUpTurnId)!;
    expect(followUp).toMatchObject({ question: cut.text, probeOf: cut.turnId, panelist: { id: 'cy' } });
    expect(session.turns.find((t) => t.id === cut.turnId)?.feedback).toBeDefined();
  });

  it('counts the cut-in against Cy’s time and in /metrics', async () => {
    const session = (await client.call<Session>('GET', `/api/sessions/${id}`)).json;
    // Cy's question, the rambling answer (~58 s at 140 wpm), the cut-in and its answer.
    expect(session.panel?.timeUsed?.cy).toBeGreaterThan(110);
    const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/ih_panel_interruptions_total\{role="bar_raiser"\} [1-9]/);
  });

  it('replays its recorded history with today’s workflow code: the cut-in is decided from recorded data', async () => {
    const history = await stack.temporal.workflow.getHandle(sessionWorkflowId(id)).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history);
  });
});

describe('panelists’ voices', () => {
  const wav = async (query: string) => {
    const res = await fetch(
      `${stack.baseUrl}/api/tts?text=${encodeURIComponent('Tell me about a hard trade-off.')}${query}`,
    );
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      bytes: Buffer.from(await res.arrayBuffer()),
    };
  };

  it('speaks a panelist’s espeak-ng variant, which sounds different from another panelist’s and the default voice', async () => {
    const plain = await wav('');
    const british = await wav('&voice=espeak:en-gb%2Bm3');
    const american = await wav('&voice=espeak:en-us%2Bf3');
    for (const r of [plain, british, american]) {
      expect(r.status).toBe(200);
      expect(r.type).toBe('audio/wav');
    }
    expect(british.bytes.equals(american.bytes)).toBe(false);
    expect(british.bytes.equals(plain.bytes)).toBe(false);
    // The same voice again is the same audio (from the cache, whose WAV header has the real length).
    const again = await wav('&voice=espeak:en-gb%2Bm3');
    expect(again.bytes.subarray(44).equals(british.bytes.subarray(44))).toBe(true);
  });

  it('speaks the shipped panels’ Piper variants, each at a pitch of its own, ordered as named', async () => {
    // Two sentences (about 6 s): one short sentence's median pitch is too much a matter of its words.
    const text = encodeURIComponent(
      'Tell me about a hard trade-off you made on a team. What did you give up, and what did you get for it?',
    );
    const pitchOf = async (voice: string) => {
      const r = await fetch(`${stack.baseUrl}/api/tts?text=${text}&voice=${encodeURIComponent(voice)}`).then(
        async (res) => ({ status: res.status, bytes: Buffer.from(await res.arrayBuffer()) }),
      );
      expect(r.status, voice).toBe(200);
      const { samples, sampleRate } = decodeWav(r.bytes);
      return medianPitch(samples, sampleRate);
    };
    const pitches = [];
    for (const voice of ['piper:joe+low', 'piper:joe', 'piper:joe+high', 'piper:joe+higher'])
      pitches.push(await pitchOf(voice));
    // Three semitones apart (×1.19); measured 1.13–1.20 on this text (the model's own intonation varies by
    // run), so more than half of that step, a difference anyone hears, is required.
    for (let i = 1; i < pitches.length; i++)
      expect(pitches[i]! / pitches[i - 1]!, pitches.join(', ')).toBeGreaterThan(2 ** (1.5 / 12));
  });

  it('refuses a voice that is not "<engine>:<voice>" with a 400', async () => {
    const res = await wav('&voice=' + encodeURIComponent('espeak:--help; rm'));
    expect(res.status).toBe(400);
  });
});
