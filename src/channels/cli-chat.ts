import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Answer } from '../domain/answer.js';
import { listsAllOptions } from './speech.js';
import type { HandleTurn } from '../dialog/turn-deps.js';

export interface ChatOptions {
  /** Default: a fresh random id, so two terminals never share a conversation. */
  conversationId?: string;
  prompt?: string;
  greeting?: string | null;
  /** Print when the counts were observed and whether they are stale (default true). */
  showDataAge?: boolean;
}

const QUIT = /^(quit|exit|bye|\/q|\/quit)$/i;

export function renderForTerminal(answer: Answer, showDataAge = true): string {
  const lines = [answer.reply.trim()];
  if (answer.options.length > 0 && !listsAllOptions(answer.reply, answer.options)) {
    answer.options.forEach((o, i) => lines.push(`  ${i + 1}. ${o.name}`));
  }
  if (showDataAge && answer.dataAsOf && answer.stale && !/\b(stale|old data)\b/i.test(answer.reply)) lines.push(`  (data observed ${answer.dataAsOf} is stale)`);
  return lines.join('\n');
}

/**
 * An interactive conversation in the terminal through the same turn handler (and so
 * the same sessions) as every other channel. Resolves on EOF or "quit".
 */
export async function runChat(handleTurn: HandleTurn, io: { input: Readable; output: Writable }, opts: ChatOptions = {}): Promise<void> {
  const conversationId = opts.conversationId ?? `cli:${randomBytes(12).toString('base64url')}`;
  const prompt = opts.prompt ?? 'you> ';
  const rl = createInterface({ input: io.input, output: io.output, terminal: false, crlfDelay: Infinity });
  const write = (s: string) => io.output.write(s);
  const greeting = opts.greeting === undefined ? 'BikeBot: ask about a docking station or place, e.g. "bikes at Waterloo". Type quit to leave.' : opts.greeting;
  if (greeting) write(greeting + '\n');
  write(prompt);
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (QUIT.test(line)) break;
      if (line !== '') {
        try {
          const answer = await handleTurn({ channel: 'cli', conversationId, text: line });
          write(renderForTerminal(answer, opts.showDataAge ?? true) + '\n');
        } catch (err) {
          write(`Sorry, something went wrong: ${(err as Error).message}\n`);
        }
      }
      write(prompt);
    }
  } finally {
    rl.close();
  }
  write('\n');
}
