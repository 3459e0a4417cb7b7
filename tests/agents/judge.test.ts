// The model's structured judgement with a FAKE chat model (a hosted LLM cannot run here): malformed replies
// are asked again once, then dropped for the deterministic scores; a good reply is averaged in.
import { FakeListChatModel } from '@langchain/core/utils/testing';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatOpenAI } from '@langchain/openai';
import { describe, expect, it } from 'vitest';
import { combine, judge } from '../../agents/judge.js';
import { assess } from '../../agents/rubric.js';
import { ANSWER } from '../support/client.js';

const measured = assess(ANSWER, ['riders', 'booking']);
const valid = JSON.stringify({
  star: { score: 3, reason: 'Thin task.' },
  clarity: { score: 3, reason: 'Fine.' },
  impact: { score: 2, reason: 'One number.' },
  conciseness: { score: 3, reason: 'Short.' },
  relevance: { score: 1, reason: 'Off the role.' },
});
const input = {
  question: 'Tell me about a product win.',
  answer: ANSWER,
  passages: [],
  assessment: measured,
};

describe('model judgement', () => {
  it('asks again after a malformed reply and averages a valid one with the metrics', async () => {
    const model = new FakeListChatModel({
      responses: ['Sure! Here are the scores: star 5', `\`\`\`json\n${valid}\n\`\`\``],
    });
    const { judgement } = await judge(model, input);
    expect(judgement?.relevance).toEqual({ score: 1, reason: 'Off the role.' });
    const combined = combine(measured, judgement);
    // The judgement is held within a point of the metrics before averaging (agents/guard.ts clampToRubric).
    const held = Math.max(measured.scores.star - 1, Math.min(measured.scores.star + 1, 3));
    expect(combined.scores.star).toBe(Math.round((measured.scores.star + held) / 2));
    expect(combined.reasons.impact).toContain('Coach: One number.');
  });

  it('falls back to the deterministic scores when the model never answers in shape', async () => {
    const model = new FakeListChatModel({ responses: ['{"star": 9}', 'not json at all'] });
    const { judgement } = await judge(model, input);
    expect(judgement).toBeNull();
    expect(combine(measured, judgement)).toEqual(measured);
  });

  it('rejects scores outside 1-5 rather than trusting them, saying where (never quoting the reply)', async () => {
    const outOfRange = JSON.parse(valid) as Record<string, { score: number; reason: string }>;
    outOfRange.star!.score = 7;
    outOfRange.star!.reason = 'Quoting the answer: my secret project at Acme';
    const model = new FakeListChatModel({
      responses: [JSON.stringify(outOfRange), JSON.stringify(outOfRange)],
    });
    const outcome = await judge(model, input);
    expect(outcome.judgement).toBeNull();
    expect(outcome.problems).toHaveLength(2);
    expect(outcome.problems[0]).toMatch(/^star\.score: /);
    expect(outcome.problems.join(' ')).not.toContain('Acme');
  });

  it('counts a reply that is not JSON as invalid when a JSON schema was asked for (the client throws parsing it), and asks again', async () => {
    let calls = 0;
    await withFakeServer(
      () => ({ status: 200, content: ++calls === 1 ? 'Tell me about a time you improved a metric.' : valid }),
      async (chat) => {
        const outcome = await judge(chat, input);
        expect(outcome).toMatchObject({ mode: 'json_schema', problems: [expect.stringMatching(/not JSON/)] });
        expect(outcome.judgement?.relevance.score).toBe(1);
      },
    );
  });

  it('asks for a JSON schema first, and the next form when a server refuses it (FAKE server, answering like llama-cpp-python), remembering it', async () => {
    const formats: unknown[] = [];
    const scoreSchemas: unknown[] = [];
    await withFakeServer(
      (format) => {
        if (format?.schema) scoreSchemas.push(format.schema.properties.star.properties.score);
        formats.push(format?.type === 'json_object' && format.schema ? 'json_object+schema' : format?.type);
        // As llama-cpp-python 0.3 refuses it: a 500 whose message is a validation error on response_format.
        if (format?.type === 'json_schema') {
          const detail = "('body', 'response_format', 'type'): Input should be 'text' or 'json_object'";
          return { status: 500, error: `1 validation error: ${detail}` };
        }
        return { status: 200, content: valid };
      },
      async (chat) => {
        const first = await judge(chat, input);
        expect(first.mode).toBe('json_object_schema');
        expect(first.judgement?.relevance.score).toBe(1);
        expect((await judge(chat, input)).mode).toBe('json_object_schema');
        expect(formats).toEqual(['json_schema', 'json_object+schema', 'json_object+schema']);
        // Scores as an enum: llama-cpp-python's grammar keeps to one, not to an integer's minimum and maximum.
        expect(scoreSchemas[0]).toEqual({ type: 'integer', enum: [1, 2, 3, 4, 5] });
      },
    );
  });
});

type ResponseFormat = { type: string; schema?: { properties: { star: { properties: { score: unknown } } } } };

/**
 * A FAKE OpenAI-compatible /chat/completions (no model runs here) answering each request as `reply` says,
 * given the request's response_format; `use` gets a ChatOpenAI pointed at it.
 */
async function withFakeServer(
  reply: (
    format: ResponseFormat | undefined,
  ) => { status: 200; content: string } | { status: 500; error: string },
  use: (chat: ChatOpenAI) => Promise<void>,
): Promise<void> {
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const answer = reply((JSON.parse(raw) as { response_format?: ResponseFormat }).response_format);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      if (answer.status !== 200) return void res.end(JSON.stringify({ error: { message: answer.error } }));
      const message = { role: 'assistant', content: answer.content };
      res.end(
        JSON.stringify({
          id: 'x',
          object: 'chat.completion',
          created: 0,
          model: 'fake',
          choices: [{ index: 0, message, finish_reason: 'stop' }],
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as AddressInfo;
    await use(
      new ChatOpenAI({
        model: 'fake',
        apiKey: 'x',
        maxRetries: 0,
        configuration: { baseURL: `http://127.0.0.1:${port}/v1` },
      }),
    );
  } finally {
    server.close();
  }
}
