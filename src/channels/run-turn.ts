import type { Answer } from '../domain/answer.js';
import { BikeBotError } from '../domain/errors.js';
import type { InboundMessage } from '../domain/message.js';
import type { HandleTurn } from '../dialog/turn-deps.js';

/**
 * Runs one turn with a deadline, so a stuck geocoder or store can never hold a
 * webhook open past the point where Twilio or the browser gives up anyway.
 */
export async function runTurn(handleTurn: HandleTurn, msg: InboundMessage, timeoutMs: number): Promise<Answer> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BikeBotError('OVERLOADED', `The answer took longer than ${timeoutMs} ms; please try again.`)), timeoutMs);
  });
  try {
    return await Promise.race([handleTurn(msg), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
