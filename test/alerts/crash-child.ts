/**
 * The process the crash test kills: serves alerts, creates a recurring SMS rule,
 * polls when told to on stdin, and stops dead between persisting an alert and
 * sending it (prints PERSISTED, then waits forever for the SIGKILL).
 * argv: the serve options.
 */
import { createInterface } from 'node:readline';
import { loadConfig } from '../../src/config.js';
import { buildServedApp } from '../../src/serve.js';

const cfg = loadConfig({ argv: ['serve', ...process.argv.slice(2)], env: {} });
const served = await buildServedApp(cfg, {
  processMetrics: false,
  beforeAlertSend: async () => {
    process.stdout.write('PERSISTED\n');
    await new Promise(() => {});
  },
});
await served.core.pollers[0].pollNow();
const answer = await served.core.handleTurn({ channel: 'sms', conversationId: 'sms:crash-test-owner', replyTo: '+447700900555', text: 'text me every time there are 20 bikes at Phillimore Gardens' });
process.stdout.write(`READY ${answer.intent}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'poll') await served.core.pollers[0].pollNow();
}
