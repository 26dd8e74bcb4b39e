/**
 * What several replicas need from a shared store beyond get/set: leases (one holder
 * at a time, with expiry) and a broadcast channel. Only Redis provides it; a single
 * process (memory or SQLite) needs no coordination and polls on its own.
 */
export interface Coordination {
  /** SET NX PX: true when this token now holds the lease. */
  acquireLease(name: string, token: string, ttlMs: number): Promise<boolean>;
  /**
   * Extend the lease if this token holds it, or take it if nobody does (a Redis that
   * restarted empty); false when another token holds it.
   */
  renewLease(name: string, token: string, ttlMs: number): Promise<boolean>;
  /** Compare-and-delete: removes the lease only if this token holds it. */
  releaseLease(name: string, token: string): Promise<boolean>;
  /** The token holding the lease, or null. */
  leaseHolder(name: string): Promise<string | null>;
  /**
   * One more hit on a counter that lives windowMs from its first hit (INCR + PEXPIRE):
   * the hits so far in this window and the ms until it ends. Rate limits shared by
   * every replica, so a client cannot multiply its limit by their number.
   */
  countInWindow(name: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  publish(channel: string, message: string): Promise<void>;
  /** Messages on the channel reach the handler until the store closes; resubscribes after reconnects. */
  subscribe(channel: string, handler: (message: string) => void): Promise<void>;
}

export function hasCoordination(x: unknown): x is Coordination {
  return typeof (x as Coordination | null)?.acquireLease === 'function' && typeof (x as Coordination).subscribe === 'function';
}
