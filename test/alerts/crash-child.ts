/**
 * The process the crash tests kill: serves alerts, creates a recurring SMS rule,
 * polls when told to on stdin, and stops dead at one point of an alert's way
 * (prints STOPPED, then waits forever for the SIGKILL):
 *   send     between persisting an alert and sending it
 *   enqueue  between evaluating a snapshot and persisting its alerts
 * argv: the stop point, then the serve options.
 */
import { createInterface } from 'node:readline';
import { loadConfig } from '../../src/config.js';
import { buildServedApp } from '../../src/serve.js';

const stopAt = process.argv[2];
if (stopAt !== 'send' && stopAt !== 'enqueue') throw new Error('usage: crash-child.ts send|enqueue <serve options>');
const stop = async () => {
  process.stdout.write('STOPPED\n');
  await new Promise(() => {});
};
const cfg = loadConfig({ argv: ['serve', ...process.argv.slice(3)], env: {} });
const served = await buildServedApp(cfg, { processMetrics: false, ...(stopAt === 'send' ? { beforeAlertSend: stop } : { beforeAlertEnqueue: stop }) });
await served.core.pollers[0].pollNow();
const answer = await served.core.handleTurn({ channel: 'sms', conversationId: 'sms:crash-test-owner', replyTo: '+447700900555', text: 'text me every time there are 20 bikes at Phillimore Gardens' });
process.stdout.write(`READY ${answer.intent}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'poll') await served.core.pollers[0].pollNow();
}
