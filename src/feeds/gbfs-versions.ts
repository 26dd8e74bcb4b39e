/**
 * `gbfs_versions.json`: a system that publishes several GBFS versions side by side
 * lists them there. We read the newest one we support, whichever the configured
 * discovery URL happens to be.
 */
import { isObj, type GbfsEnvelope } from './gbfs-parse.js';

export interface VersionEntry {
  version: string;
  url: string;
}

/** Newest major version whose documents BikeBot reads (1.x, 2.x and 3.x). */
export const NEWEST_SUPPORTED_MAJOR = 3;

/** "v2.3" or "2.3" → [2, 3]; release candidates ("3.1-RC") and anything else → null. */
export function versionNumbers(v: string): number[] | null {
  const m = /^v?(\d+(?:\.\d+)*)$/i.exec(v.trim());
  return m ? m[1].split('.').map(Number) : null;
}

export function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The entries of data.versions that can be read (version string and http(s) URL); others are dropped. */
export function parseVersions(env: GbfsEnvelope): VersionEntry[] {
  const list = env.data.versions;
  if (!Array.isArray(list)) return [];
  return list.filter(isObj).flatMap((e) => (typeof e.version === 'string' && typeof e.url === 'string' && /^https?:\/\//i.test(e.url) ? [{ version: e.version, url: e.url }] : []));
}

/** The newest listed version we support, or null when none is. */
export function newestSupported(versions: readonly VersionEntry[]): VersionEntry | null {
  let best: { e: VersionEntry; n: number[] } | null = null;
  for (const e of versions) {
    const n = versionNumbers(e.version);
    if (!n || n[0] < 1 || n[0] > NEWEST_SUPPORTED_MAJOR) continue;
    if (!best || compareVersions(n, best.n) > 0) best = { e, n };
  }
  return best?.e ?? null;
}
