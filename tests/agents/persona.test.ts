// The interviewer persona on the coach graph's own output, with real retrieval (Chroma) and the offline
// coach: the same job and round give the same question, worded and introduced the persona's way. The model
// path is told the persona's tone (a FAKE chat model records the prompt: no hosted model runs here).
import { randomUUID } from 'node:crypto';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import type { BaseMessage } from '@langchain/core/messages';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { buildCoachGraph } from '../../agents/graph.js';
import { runCoach } from '../../agents/run.js';
import type { CoachContext } from '../../agents/context.js';
import { chunkText } from '../../ingestion/chunk.js';
import { HashingEmbedder } from '../../ingestion/embed.js';
import { ChunkStore } from '../../ingestion/store.js';
import type { Persona } from '../../core/types.js';
import { JOB } from '../support/client.js';

const store = new ChunkStore(inject('chromaUrl'), new HashingEmbedder());
const jobId = randomUUID();
const graph = buildCoachGraph();
const retrieve: CoachContext['retrieve'] = (j, q, k, kinds) => store.search(j, q, k, kinds);
const offline: CoachContext = {
  model: { kind: 'offline', name: 'offline-rubric-coach', tokenDelayMs: 0 },
  retrieve,
  k: 4,
};

beforeAll(async () => {
  await store.upsertDocument({
    jobId,
    documentId: 'jd',
    kind: 'jd',
    chunks: chunkText(JOB.description, { size: 400, overlap: 50 }),
  });
});

async function ask(persona: Persona | undefined, round: number, coach = offline) {
  const state = await runCoach(
    graph,
    {
      phase: 'ask',
      jobId,
      role: JOB.title,
      company: JOB.company,
      module: 'technical',
      round,
      ...(persona && { persona }),
    },
    coach,
    () => undefined,
  );
  return state.question;
}

describe('interviewer persona', () => {
  it('words the same question per persona, and introduces the first one', async () => {
    const [neutral, friendly, tough] = await Promise.all([
      ask('neutral', 1),
      ask('friendly', 1),
      ask('tough', 1),
    ]);
    // Neutral (the default) asks the composed question as it is.
    expect(await ask(undefined, 1)).toBe(neutral);
    expect(neutral).not.toMatch(/^Hi|straight to it|Take your time|Be specific/);
    expect(friendly).toMatch(
      /^Hi, thanks for making the time\..*I'd love to hear about this: .*Take your time\.$/s,
    );
    expect(tough).toMatch(
      /^Let's get straight to it\. I will push for specifics\. .*Be specific: .*in numbers\?$/s,
    );
    // Same question underneath: the neutral wording (its first letter aside) appears in the others.
    const core = neutral.slice(1, 60);
    expect(friendly).toContain(core);
    expect(tough).toContain(core);
  });

  it('introduces itself on the first question only', async () => {
    const friendly = await ask('friendly', 3);
    const tough = await ask('tough', 3);
    expect(friendly).not.toMatch(/^Hi/);
    expect(friendly).toMatch(/^I'd love to hear about this: /);
    expect(tough).not.toMatch(/straight to it/);
    expect(tough).toMatch(/Be specific: /);
  });

  it("tells a model the persona's tone", async () => {
    const prompts: string[] = [];
    class Recording extends FakeListChatModel {
      override async *_streamResponseChunks(
        messages: BaseMessage[],
        options: this['ParsedCallOptions'],
        runManager?: CallbackManagerForLLMRun,
      ) {
        prompts.push(messages.map((m) => String(m.content)).join('\n'));
        yield* super._streamResponseChunks(messages, options, runManager);
      }
    }
    const model: CoachContext = {
      ...offline,
      model: { kind: 'model', name: 'fake', chat: new Recording({ responses: ['Why this role?'] }) },
    };
    expect(await ask('tough', 1, model)).toBe('Why this role?');
    expect(prompts.at(-1)).toMatch(/demanding, terse interviewer/);
    expect(prompts.at(-1)).toMatch(/first question: open with a one-sentence introduction/);
    await ask('friendly', 2, model);
    expect(prompts.at(-1)).toMatch(/warm, encouraging interviewer/);
    expect(prompts.at(-1)).not.toMatch(/first question/);
  });
});
