import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Conversation ids for the chat API are issued by the server, never chosen by the
 * client: 128 random bits plus a 64-bit HMAC tag under a server secret. An id the
 * server did not issue (invented, guessed, truncated) fails the tag check and its
 * sender starts a new conversation under a fresh id, so nobody can step into
 * another person's session. The check needs no store round trip, and every
 * replica sharing the secret (kept in the store, see opt-out-list.ts) accepts the
 * others' ids. Sessions themselves still expire with their TTL.
 */
export class ConversationIds {
  private readonly key: Buffer;

  constructor(secret: string = randomBytes(32).toString('base64url')) {
    // A key of its own, derived so that the phone-number hashes and these tags never share one.
    this.key = createHmac('sha256', secret).update('bikebot conversation ids v1').digest();
  }

  private tag(random: Buffer): Buffer {
    return createHmac('sha256', this.key).update(random).digest().subarray(0, 8);
  }

  issue(): string {
    const random = randomBytes(16);
    return Buffer.concat([random, this.tag(random)]).toString('base64url');
  }

  /** True only for an id this server (or a replica sharing its secret) issued. */
  isIssued(id: string | undefined | null): id is string {
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{32}$/.test(id)) return false;
    const raw = Buffer.from(id, 'base64url');
    if (raw.length !== 24) return false;
    return timingSafeEqual(raw.subarray(16), this.tag(raw.subarray(0, 16)));
  }
}
