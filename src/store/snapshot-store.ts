import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BikeBotError } from '../domain/errors.js';
import { redact } from '../feeds/conditional-http.js';
import type { Snapshot, Station } from '../domain/station.js';
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
const recordSchema = <S extends z.ZodTypeAny>(station: S) =>
  z.object({
    format: z.literal(SNAPSHOT_FORMAT),
    snapshot: z.object({
      feedId: z.string().min(1),
      systemId: z.string().min(1),
      fetchedAt: z.string().min(1),
      asOf: z.string().nullable(),
      stations: z.array(station),
      service: ServiceSchema.optional(),
    }),
    source: z.string().optional(),
  });
const RecordSchema = recordSchema(StationSchema);
/** The record with its stations checked by storedStation() instead (they are most of it). */
const RecordShellSchema = recordSchema(z.unknown());

const isCount = (v: unknown) => v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 0);
const isCoord = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
const isText = (v: unknown) => typeof v === 'string';
const isName = (v: unknown) => typeof v === 'string' && v.length > 0;
const isTextOrNull = (v: unknown) => v === null || typeof v === 'string';
const isFlag = (v: unknown) => typeof v === 'boolean';

/**
 * StationSchema's check in plain code, with the same result (its known fields only):
 * zod took ~25 ms of a restart for London's 792 stations. Undefined for a station
 * that does not pass, which the caller then hands to zod for its message.
 */
function storedStation(x: unknown): Station | undefined {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return undefined;
  const o = x as Record<keyof Station, unknown>;
  if (!isName(o.id) || !isName(o.systemId) || !isText(o.name) || !isCoord(o.lat) || !isCoord(o.lon) || !isTextOrNull(o.terminalName)) return undefined;
  if (!isCount(o.bikes) || !isCount(o.standardBikes) || !isCount(o.ebikes) || !isCount(o.emptyDocks) || !isCount(o.docks) || !isCount(o.brokenDocks)) return undefined;
  if (!isFlag(o.installed) || !isFlag(o.locked) || !isFlag(o.temporary) || !isFlag(o.renting) || !isFlag(o.returning) || !isTextOrNull(o.asOf)) return undefined;
  return {
    id: o.id as string,
    systemId: o.systemId as string,
    name: o.name as string,
    lat: o.lat as number | null,
    lon: o.lon as number | null,
    terminalName: o.terminalName as string | null,
    bikes: o.bikes as number | null,
    standardBikes: o.standardBikes as number | null,
    ebikes: o.ebikes as number | null,
    emptyDocks: o.emptyDocks as number | null,
    docks: o.docks as number | null,
    brokenDocks: o.brokenDocks as number | null,
    installed: o.installed as boolean,
    locked: o.locked as boolean,
    temporary: o.temporary as boolean,
    renting: o.renting as boolean,
    returning: o.returning as boolean,
    asOf: o.asOf as string | null,
  };
}

/** The record's snapshot, or zod's first issue: stations by storedStation(), zod for what it refuses. */
function parseRecord(parsed: unknown): { snapshot: Snapshot } | { issue: z.ZodIssue | undefined } {
  const shell = RecordShellSchema.safeParse(parsed);
  if (shell.success) {
    const stations: Station[] = [];
    for (const raw of shell.data.snapshot.stations) {
      const st = storedStation(raw);
      if (st === undefined) break;
      stations.push(st);
    }
    if (stations.length === shell.data.snapshot.stations.length) return { snapshot: { ...shell.data.snapshot, stations } as Snapshot };
  }
  const full = RecordSchema.safeParse(parsed);
  return full.success ? { snapshot: full.data.snapshot as Snapshot } : { issue: full.error.issues[0] };
}

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
    const result = parseRecord(parsed);
    if (!('snapshot' in result)) {
      const issue = result.issue;
      this.onWarning(`stored snapshot ${key} is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown'}; ignoring it until the next fetch replaces it`);
      return null;
    }
    const snapshot = result.snapshot;
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

