import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { runChat } from '../../src/channels/cli-chat.js';
import type { InboundMessage } from '../../src/domain/message.js';
import { fixturePipeline } from './fixtures/pipeline.js';

function collect(stream: PassThrough): () => string {
  let out = '';
  stream.on('data', (c) => (out += c));
  return () => out;
}

test('a terminal conversation: numbered options, a choice by number, then quit', async () => {
  const { handleTurn } = fixturePipeline();
  const seen: InboundMessage[] = [];
  const input = new PassThrough();
  const output = new PassThrough();
  const text = collect(output);
  const done = runChat(async (m) => (seen.push(m), handleTurn(m)), { input, output }, { prompt: '> ' });
  input.write('bikes at waterloo\n');
  input.write('2\n');
  input.write('quit\n');
  input.write('this is never read\n');
  await done;
  const out = text();
  assert.match(out, /1\) Waterloo Station 1, Waterloo: 17 bikes/, 'a numbered family is listed in its own order, with counts');
  assert.match(out, /Waterloo Station 2, Waterloo/);
  assert.equal(seen.length, 2, 'quit ends the conversation');
  assert.equal(seen[0].conversationId, seen[1].conversationId, 'one conversation id throughout');
  assert.match(seen[0].conversationId, /^cli:/);
  assert.equal(seen[0].channel, 'cli');
});

test('EOF ends the chat; blank lines are not sent', async () => {
  const seen: string[] = [];
  const input = new PassThrough();
  const output = new PassThrough();
  const text = collect(output);
  const done = runChat(
    async (m) => {
      seen.push(m.text);
      return { intent: 'help', want: 'any', reply: 'Pick one', stations: [], options: [{ id: 'a', name: 'Alpha Street, Here' }, { id: 'b', name: 'Beta Road, There' }], place: null, dataAsOf: null, stale: false };
    },
    { input, output },
    { conversationId: 'cli:fixed', greeting: null },
  );
  input.end('\n   \nhelp\n');
  await done;
  assert.deepEqual(seen, ['help']);
  assert.match(text(), /  1\. Alpha Street, Here\n  2\. Beta Road, There/, 'options not in the reply are printed, numbered');
});
