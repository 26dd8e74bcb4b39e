import { randomBytes } from 'node:crypto';
import type { KvStore } from '../store/kv-store.js';
import { senderKey } from './twilio-common.js';

/**
 * Who has texted STOP. Every message we send by SMS — replies and, above all,
 * messages nobody asked for (alerts) — must check `isOptedOut` first; carriers
 * fine and block senders that text an opted-out number.
 *
 * Numbers are kept as keyed hashes, never in clear. The key is a secret of the
 * list's own (configured, or generated once and kept in the store beside the list),
 * not the Twilio auth token: rotating the token must not forget who said STOP.
 * The list lives in the shared KvStore, so it survives restarts and is the same
 * for every replica on Redis.
 */
export type OptOutStore = Pick<KvStore, 'get' | 'set' | 'delete' | 'setIfAbsent'>;

export const OPT_OUT_PREFIX = 'sms-optout:';
export const SERVER_SECRET_KEY = 'secret:server';
/** setIfAbsent needs a TTL; a century is "for as long as the store is kept". */
const FOREVER_MS = 100 * 365 * 86_400_000;

/**
 * The server's own secret (phone-number hashes, conversation-id tags): the configured
 * one, else the one in the store, else a new random one put there first-writer-wins
 * (replicas starting together agree on one). Never the Twilio auth token, which rotates.
 */
export async function serverSecret(store: OptOutStore, configured: string | null): Promise<string> {
  if (configured) return configured;
  const existing = await store.get(SERVER_SECRET_KEY);
  if (existing) return existing;
  await store.setIfAbsent(SERVER_SECRET_KEY, randomBytes(32).toString('base64url'), FOREVER_MS);
  const agreed = await store.get(SERVER_SECRET_KEY);
  if (!agreed) throw new Error('the store did not keep the server secret');
  return agreed;
}

export class OptOutList {
  private constructor(
    private readonly store: OptOutStore,
    private readonly secret: string,
  ) {}

  /** The list over `store`, keyed by `secret` (see serverSecret). */
  static withSecret(store: OptOutStore, secret: string): OptOutList {
    return new OptOutList(store, secret);
  }

  static async open(store: OptOutStore, configuredSecret: string | null = null): Promise<OptOutList> {
    return new OptOutList(store, await serverSecret(store, configuredSecret));
  }

  /** The hash a number is known by in logs, sessions and this list. */
  keyOf(phone: string): string {
    return senderKey(this.secret, phone);
  }

  async isOptedOut(phone: string): Promise<boolean> {
    return (await this.store.get(OPT_OUT_PREFIX + this.keyOf(phone))) !== null;
  }

  async optOut(phone: string, at: Date = new Date()): Promise<void> {
    await this.store.set(OPT_OUT_PREFIX + this.keyOf(phone), at.toISOString());
  }

  async optIn(phone: string): Promise<void> {
    await this.store.delete(OPT_OUT_PREFIX + this.keyOf(phone));
  }

  /**
   * For unprompted messages: runs `send` only when the number has not opted out,
   * and says whether it did. `await list.sendUnlessOptedOut(to, () => client.messages.create(…))`.
   */
  async sendUnlessOptedOut(phone: string, send: () => Promise<unknown>): Promise<boolean> {
    if (await this.isOptedOut(phone)) return false;
    await send();
    return true;
  }
}
