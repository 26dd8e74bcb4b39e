import { randomFillSync } from 'node:crypto';

/** 16 bytes = 128 bits: unguessable, so a conversation id is its own capability. */
const ID_BYTES = 16;
/** Ids drawn from one fill of the pool: one getrandom() call per 256 new conversations, not one each. */
const IDS_PER_FILL = 256;

/**
 * Issues new conversation ids: 128 bits from the operating system's CSPRNG each,
 * base64url (22 characters). The random bytes come from a pool refilled 4 KiB at a
 * time, because a randomBytes(16) per request was 5% of a busy server's CPU; every
 * byte is still used once only, so ids are exactly as unguessable as before. Each
 * call of createConversationIds owns its own pool (no module state).
 */
export function createConversationIds(): () => string {
  const pool = Buffer.alloc(ID_BYTES * IDS_PER_FILL);
  let next = pool.length;
  return () => {
    if (next >= pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    const id = pool.toString('base64url', next, next + ID_BYTES);
    // Spent bytes are wiped so a later dump of the pool cannot reveal issued ids.
    pool.fill(0, next, next + ID_BYTES);
    next += ID_BYTES;
    return id;
  };
}
