import type { Snapshot, Station } from './station.js';

/**
 * Is a new snapshot believable enough to replace the last good one? A feed can be
 * valid JSON and still be wrong: a truncated list (3 of 792 stations), every count
 * missing, every station reporting nothing docked and no space. Such a snapshot is
 * refused (FEED_SUSPECT) and the last good one keeps answering; the data is never
 * repaired or guessed at.
 */
export interface SnapshotCheckOptions {
  /** Refuse when more than this share of the last good snapshot's stations is gone (default 0.1). */
  maxStationLoss: number;
  /** Refuse when more than this share of in-service stations has missing or implausible counts (default 0.5). */
  maxBadCounts: number;
}

export const DEFAULT_SNAPSHOT_CHECK: Readonly<SnapshotCheckOptions> = { maxStationLoss: 0.1, maxBadCounts: 0.5 };

export type SuspectKind = 'empty' | 'stations_lost' | 'counts_bad';

export type SnapshotVerdict = { ok: true } | { ok: false; kind: SuspectKind; reason: string };

/** Why a station's counts cannot be believed, or null when they can. */
export function badCounts(s: Station): 'missing' | 'zeroed' | 'overfull' | null {
  if (s.bikes === null || s.emptyDocks === null) return 'missing';
  // Nothing docked and no free dock is possible for one station (all docks broken),
  // not for most of a network at once: that is a feed reporting zeros for "unknown".
  if (s.bikes === 0 && s.emptyDocks === 0) return 'zeroed';
  if (s.docks !== null && s.docks > 0 && s.bikes + s.emptyDocks > s.docks) return 'overfull';
  return null;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function checkSnapshot(next: Snapshot, lastGood: Snapshot | null | undefined, opts: SnapshotCheckOptions = DEFAULT_SNAPSHOT_CHECK): SnapshotVerdict {
  if (next.stations.length === 0) return { ok: false, kind: 'empty', reason: 'the feed lists no stations' };
  if (lastGood && lastGood.stations.length > 0) {
    const now = new Set(next.stations.map((s) => s.id));
    let lost = 0;
    for (const s of lastGood.stations) if (!now.has(s.id)) lost++;
    const share = lost / lastGood.stations.length;
    if (share > opts.maxStationLoss) {
      return { ok: false, kind: 'stations_lost', reason: `${lost} of ${lastGood.stations.length} known stations are missing (${pct(share)}, limit ${pct(opts.maxStationLoss)})` };
    }
  }
  // Without a last good snapshot there is nothing better to keep: stations whose counts
  // are unknown are still worth naming ("count unknown"), so only the loss of one is judged.
  if (!lastGood || lastGood.stations.length === 0) return { ok: true };
  // Closed stations legitimately report nothing; judge the ones in service.
  const inService = next.stations.filter((s) => s.installed && !s.locked);
  const judged = inService.length > 0 ? inService : next.stations;
  const tally = { missing: 0, zeroed: 0, overfull: 0 };
  for (const s of judged) {
    const b = badCounts(s);
    if (b) tally[b]++;
  }
  const bad = tally.missing + tally.zeroed + tally.overfull;
  const share = bad / judged.length;
  if (share > opts.maxBadCounts) {
    const parts = (Object.keys(tally) as Array<keyof typeof tally>).filter((k) => tally[k] > 0).map((k) => `${tally[k]} ${k}`);
    return { ok: false, kind: 'counts_bad', reason: `counts are missing or implausible at ${bad} of ${judged.length} stations in service (${parts.join(', ')}; ${pct(share)}, limit ${pct(opts.maxBadCounts)})` };
  }
  return { ok: true };
}
