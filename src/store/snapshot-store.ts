import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BikeBotError } from '../domain/errors.js';
import { redact } from '../feeds/conditional-http.js';
import type { Snapshot } from '../domain/station.js';
import type { KvStore } from './kv-store.js';

/** Bumped when the stored shape changes; older or newer records are ignored, never misread. */
export const SNAPSHOT_FORMAT = 1;
export const SNAPSHOT_KEY_PREFIX = 'snapshot:';

const count = z.number().int().min(0).nullable();
const coord = z.number().finite().nullable();
const StationSchema = z.object({
  id: z.string().min(1),
  systemId: z.string().min(1),
  name: z.string(),
  lat: coord,
  lon: coord,
  terminalName: z.string().nullable(),
  bikes: count,
  standardBikes: count,
  ebikes: count,
  emptyDocks: count,
  docks: count,
  brokenDocks: count,
  installed: z.boolean(),
  locked: z.boolean(),
  temporary: z.boolean(),
  renting: z.boolean(),
  returning: z.boolean(),
  asOf: z.string().nullable(),
});
const PlanSchema = z.object({
  name: z.string(),
  price: z.number().finite().min(0),
  currency: z.string(),
  description: z.string().nullable(),
  perMinute: z.array(z.object({ start: z.number(), rate: z.number(), interval: z.number(), end: z.number().nullable() })),
});
/** The feed's prices and operator contact (optional: older records and TfL have none). */
const ServiceSchema = z.object({
  pricing: z.object({ plans: z.array(PlanSchema), url: z.string().nullable(), checked: z.string().nullable(), source: z.enum(['feed', 'config']) }).nullable(),
  contact: z.object({ phone: z.string().nullable(), url: z.string().nullable(), email: z.string().nullable(), source: z.enum(['feed', 'config']) }).nullable(),
});
const RecordSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  snapshot: z.object({
    feedId: z.string().min(1),
    systemId: z.string().min(1),
    fetchedAt: z.string().min(1),
    asOf: z.string().nullable(),
    stations: z.array(StationSchema),
    service: ServiceSchema.optional(),
  }),
  source: z.string().optional(),
});

/**
 * Snapshots are keyed by the source they came from (the feed URL), so a replay or
 * demo run and the live feed never stand in for each other: `snapshot:tfl@<hash>`.
 * The hash keeps credentials in query strings out of key names.
 */
export function snapshotKey(feedId: string, source?: string | null): string {
  if (!source) return SNAPSHOT_KEY_PREFIX + feedId;
  return `${SNAPSHOT_KEY_PREFIX}${feedId}@${createHash('sha256').update(source).digest('hex').slice(0, 16)}`;
}

export interface SnapshotStoreOptions {
  /** Told about stored snapshots that were unreadable and so ignored (logged by the caller). */
  onWarning?: (message: string) => void;
}

/**
 * The last good snapshot per feed, so a restarted process can answer at once
 * (with the data's real age) while its first fetch is still running. A record that
 * no longer validates is treated as absent: the next good fetch overwrites it.
 */
export class SnapshotStore {
  private readonly onWarning: (message: string) => void;

  constructor(
    private readonly kv: KvStore,
    opts: SnapshotStoreOptions = {},
  ) {
    this.onWarning = opts.onWarning ?? (() => {});
  }

  async save(snapshot: Snapshot, source?: string | null): Promise<void> {
    if (!snapshot.feedId) throw new BikeBotError('INVALID_INPUT', 'a snapshot needs a feedId to be saved');
    await this.kv.set(snapshotKey(snapshot.feedId, source), JSON.stringify({ format: SNAPSHOT_FORMAT, snapshot, ...(source ? { source: redact(source) } : {}) }));
  }

  /** The stored snapshot of this feed from this source (none given: the unkeyed record of older versions). */
  async load(feedId: string, source?: string | null): Promise<Snapshot | null> {
    return this.loadKey(snapshotKey(feedId, source), feedId);
  }

  private async loadKey(key: string, feedId: string): Promise<Snapshot | null> {
    const raw = await this.kv.get(key);
    if (raw === null) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      this.onWarning(`stored snapshot ${key} is not valid JSON (${(e as Error).message}); ignoring it until the next fetch replaces it`);
      return null;
    }
    const format = (parsed as { format?: unknown } | null)?.format;
    if (format !== SNAPSHOT_FORMAT) {
      this.onWarning(`stored snapshot ${key} has format ${JSON.stringify(format ?? null)}, this version reads ${SNAPSHOT_FORMAT}; ignoring it until the next fetch replaces it`);
      return null;
    }
    const result = RecordSchema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      this.onWarning(`stored snapshot ${key} is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown'}; ignoring it until the next fetch replaces it`);
      return null;
    }
    const snapshot = result.data.snapshot;
    if (snapshot.feedId !== feedId) {
      this.onWarning(`stored snapshot ${key} says it is feed "${snapshot.feedId}"; ignoring it`);
      return null;
    }
    return snapshot;
  }

  /** Every readable stored snapshot, whatever its source, in key order. */
  async loadAll(): Promise<Snapshot[]> {
    const keys = await this.kv.keys(SNAPSHOT_KEY_PREFIX);
    const out: Snapshot[] = [];
    for (const key of keys) {
      const s = await this.loadKey(key, key.slice(SNAPSHOT_KEY_PREFIX.length).split('@')[0]);
      if (s) out.push(s);
    }
    return out;
  }
}

