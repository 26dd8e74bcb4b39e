/**
 * Turns of the event loop, handed out one at a time to work that would hold the loop
 * too long in one piece: a server polling forty GBFS systems gets their files back
 * together, and each one's parse, schema check, station build, swap-in and save,
 * chained by promises, ran back to back in one turn — hundreds of milliseconds in
 * which /healthz and every conversation waited. Each piece now waits for a turn of
 * its own: at most one piece per turn, however many are waiting, and I/O (requests,
 * responses) is served between any two.
 *
 *   await turns.turn();   // then do one piece (tens of ms at most) before awaiting anything
 *
 * The piece runs in the microtasks of its turn's setImmediate, so it must not await
 * before its work is done; its next await on I/O, or the next turn(), ends the piece.
 * Pieces run in the order they asked (FIFO), so one feed's pieces keep their order.
 * One queue per process, made where the server is assembled (no module state).
 */
export class TurnQueue {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  /** Resolves in a later turn of the event loop, once every piece that asked before has had its turn. */
  turn(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  /** Runs fn in a turn of its own (see turn()). */
  run<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.turn().then(fn);
  }

  /** Pieces waiting for a turn (diagnostics, tests). */
  get pending(): number {
    return this.waiting.length;
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(this.next);
  }

  private readonly next = (): void => {
    this.scheduled = false;
    const resolve = this.waiting.shift();
    // Scheduled before the piece runs: a setImmediate made during the check phase runs in
    // the next iteration of the loop, after its poll phase has served what arrived.
    this.schedule();
    resolve?.();
  };
}
