import { createHmac, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';

/** 16 bytes = 128 bits: unguessable, so a conversation id is its own capability. */
const ID_BYTES = 16;
/** Ids drawn from one fill of the pool: one getrandom() call per 256 new conversations, not one each. */
const IDS_PER_FILL = 256;
/** The tag that proves the server issued an id: 64 bits of HMAC-SHA256. */
const TAG_BYTES = 8;

/**
 * 128 random bits at a time from the operating system's CSPRNG, via a pool refilled
 * 4 KiB at a time, because a randomBytes(16) per request was 5% of a busy server's
 * CPU; every byte is still used once only. Each call owns its own pool (no module state).
 */
function createRandomPool(): () => Buffer {
  const pool = Buffer.alloc(ID_BYTES * IDS_PER_FILL);
  let next = pool.length;
  return () => {
    if (next >= pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    const out = Buffer.from(pool.subarray(next, next + ID_BYTES));
    // Spent bytes are wiped so a later dump of the pool cannot reveal issued ids.
    pool.fill(0, next, next + ID_BYTES);
    next += ID_BYTES;
    return out;
  };
}

/** Plain random ids, 128 bits, base64url (22 characters). */
export function createConversationIds(): () => string {
  const random = createRandomPool();
  return () => random().toString('base64url');
}

/** Issue time in ms, as 12 lowercase hex digits: string order is time order. */
const TIME_DIGITS = 12;
const ISSUED_ID = /^[0-9a-f]{12}[A-Za-z0-9_-]{32}$/;

/**
 * Conversation ids for the chat API are issued by the server, never chosen by the
 * client: 128 random bits plus a 64-bit HMAC tag under a server secret. An id the
 * server did not issue (invented, guessed, truncated) fails the tag check and its
 * sender starts a new conversation under a fresh id, so nobody can step into
 * another person's session. The check needs no store round trip, and every
 * replica sharing the secret (kept in the store, see opt-out-list.ts) accepts the
 * others' ids. Sessions themselves still expire with their TTL.
 *
 * An id starts with its issue time (ms, hex), covered by the tag: sessions are
 * stored under the id, and ids in time order append to the end of SQLite's B-tree
 * rather than landing on a random page each, which halved the cost of storing a
 * session (and kept it flat as the table grows). The time tells whoever holds the
 * id only when their conversation started.
 */
export class ConversationIds {
  private readonly key: Buffer;
  private readonly random = createRandomPool();
  private readonly now: () => number;

  constructor(secret: string = randomBytes(32).toString('base64url'), opts: { now?: () => number } = {}) {
    // A key of its own, derived so that the phone-number hashes and these tags never share one.
    this.key = createHmac('sha256', secret).update('bikebot conversation ids v2').digest();
    this.now = opts.now ?? Date.now;
  }

  private tag(time: string, random: Buffer): Buffer {
    return createHmac('sha256', this.key).update(time).update(random).digest().subarray(0, TAG_BYTES);
  }

  issue(): string {
    const time = Math.max(0, Math.floor(this.now())).toString(16).padStart(TIME_DIGITS, '0').slice(-TIME_DIGITS);
    const random = this.random();
    return time + Buffer.concat([random, this.tag(time, random)]).toString('base64url');
  }

  /** True only for an id this server (or a replica sharing its secret) issued. */
  isIssued(id: string | undefined | null): id is string {
    if (typeof id !== 'string' || !ISSUED_ID.test(id)) return false;
    const raw = Buffer.from(id.slice(TIME_DIGITS), 'base64url');
    if (raw.length !== ID_BYTES + TAG_BYTES) return false;
    return timingSafeEqual(raw.subarray(ID_BYTES), this.tag(id.slice(0, TIME_DIGITS), raw.subarray(0, ID_BYTES)));
  }
}
