/**
 * Keys per namespace (the text up to and including the first ':', e.g.
 * "session:"), kept up to date as keys come and go, so a gauge such as
 * "conversations remembered" is read in O(1) instead of walking every key on
 * each scrape. Stores own one each; it is never shared.
 */
export class KeyCounts {
  private readonly counts = new Map<string, number>();

  /** "session:" for "session:chat:abc"; '' for a key without a colon. */
  static namespaceOf(key: string): string {
    const i = key.indexOf(':');
    return i < 0 ? '' : key.slice(0, i + 1);
  }

  /** True when prefix is a whole namespace, so count() can answer for it. */
  static isNamespace(prefix: string): boolean {
    return prefix.endsWith(':') && prefix.indexOf(':') === prefix.length - 1;
  }

  added(key: string, n = 1): void {
    const ns = KeyCounts.namespaceOf(key);
    this.counts.set(ns, (this.counts.get(ns) ?? 0) + n);
  }

  removed(key: string, n = 1): void {
    const ns = KeyCounts.namespaceOf(key);
    const left = (this.counts.get(ns) ?? 0) - n;
    if (left > 0) this.counts.set(ns, left);
    else this.counts.delete(ns);
  }

  get(namespace: string): number {
    return this.counts.get(namespace) ?? 0;
  }

  clear(): void {
    this.counts.clear();
  }
}
