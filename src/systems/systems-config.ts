/**
 * The systems config file: which bike-share systems one deployment serves.
 * JSON or YAML (by extension), `{ "systems": [ … ] }`. No file means TfL alone.
 */
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { createRequire } from 'node:module';
import type YAMLLib from 'yaml';
import { z } from 'zod';
import { BikeBotError } from '../domain/errors.js';
import type { SystemInfo } from '../domain/station.js';
import type { SystemService } from '../domain/system-service.js';
import { TFL_SYSTEM } from '../feeds/tfl-parse.js';

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');

const GbfsFilesSchema = z
  .object({
    system_information: httpUrl.optional(),
    station_information: httpUrl,
    station_status: httpUrl,
    vehicle_types: httpUrl.optional(),
    system_pricing_plans: httpUrl.optional(),
  })
  .strict();

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a real date');

/**
 * Prices riders pay, for a feed that does not publish them (TfL). Someone copies them from
 * the operator and says when: BikeBot quotes the date with the prices, so a stale table
 * shows its age rather than passing for today's.
 */
const PricingSchema = z
  .object({
    checked: isoDay,
    url: httpUrl.optional(),
    plans: z
      .array(
        z
          .object({
            name: z.string().trim().min(1),
            price: z.number().finite().min(0),
            currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as GBP'),
            description: z.string().trim().min(1).optional(),
            per_minute: z.array(z.object({ start: z.number().min(0), rate: z.number().min(0), interval: z.number().positive(), end: z.number().optional() }).strict()).optional(),
          })
          .strict(),
      )
      .min(1, 'list at least one plan'),
  })
  .strict();

/** How riders reach the operator about a broken bike or a dock that will not release. */
const ContactSchema = z
  .object({
    phone: z.string().trim().min(3).optional(),
    url: httpUrl.optional(),
    email: z.string().email().optional(),
  })
  .strict()
  .refine((c) => c.phone !== undefined || c.url !== undefined || c.email !== undefined, 'give at least one of phone, url, email');

export const SystemEntrySchema = z
  .object({
    /** Becomes the prefix of every station id (`<id>:<station_id>`), so kept short and plain. */
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, "-" or "_" (at most 40), starting with a letter or digit'),
    kind: z.enum(['tfl', 'gbfs']),
    /** GBFS: the gbfs.json URL, or a folder URL ending in "/" for feeds without one. TfL: the API base (optional). */
    url: httpUrl.optional(),
    /** GBFS feeds without gbfs.json: the file URLs one by one. */
    files: GbfsFilesSchema.optional(),
    name: z.string().trim().min(1),
    timezone: z.string().refine(isTimeZone, 'not an IANA time zone (e.g. America/Chicago)'),
    language: z.string().regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, 'a language tag such as "en" or "fr"').optional(),
    aliases: z.array(z.string().trim().min(1)).optional(),
    /** [minLon, minLat, maxLon, maxLat]: the area this system serves, when its stations do not say it well. */
    bbox: z
      .tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number().min(-180).max(180), z.number().min(-90).max(90)])
      .refine(([w, s, e, n]) => w < e && s < n, 'bbox is [minLon, minLat, maxLon, maxLat] with min < max')
      .optional(),
    /** Prices and the operator's contact, where the feed does not publish them (TfL); a feed's own win. */
    pricing: PricingSchema.optional(),
    contact: ContactSchema.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.kind === 'gbfs' && !s.url && !s.files) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'a gbfs system needs "url" (gbfs.json, or a folder ending in "/") or "files"' });
    if (s.kind === 'tfl' && s.files) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['files'], message: '"files" is for gbfs systems only' });
  });

export const SystemsConfigSchema = z
  .object({ systems: z.array(SystemEntrySchema).min(1, 'list at least one system') })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.systems.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['systems', i, 'id'], message: `duplicate system id "${s.id}"` });
      seen.add(s.id);
    });
    if (c.systems.filter((s) => s.kind === 'tfl').length > 1) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['systems'], message: 'at most one tfl system' });
  });

export type SystemEntry = z.infer<typeof SystemEntrySchema>;
export type SystemsConfig = z.infer<typeof SystemsConfigSchema>;

/** TfL alone, described by the feed's own TFL_SYSTEM. */
export function defaultSystemsConfig(): SystemsConfig {
  return { systems: [{ ...TFL_SYSTEM, kind: 'tfl', aliases: [...TFL_SYSTEM.aliases] }] };
}

/** Validate an already-parsed value; `source` names it in the error. */
export function parseSystemsConfig(value: unknown, source = 'systems config'): SystemsConfig {
  const r = SystemsConfigSchema.safeParse(value);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `  ${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`);
  throw new BikeBotError('CONFIG_INVALID', `${source} is not valid:\n${lines.join('\n')}`);
}

const isYaml = (path: string) => /^\.ya?ml$/i.test(extname(path));

/** null → TfL only. A path that does not exist or does not parse is a CONFIG_INVALID error. */
export function loadSystemsConfig(path: string | null): SystemsConfig {
  if (path === null) return defaultSystemsConfig();
  if (!existsSync(path)) throw new BikeBotError('CONFIG_INVALID', `systems config ${path} does not exist (create it with "bikebot systems add <gbfs.json URL>")`);
  const text = readFileSync(path, 'utf8');
  let value: unknown;
  try {
    value = isYaml(path) ? yaml().parse(text) : JSON.parse(text);
  } catch (e) {
    throw new BikeBotError('CONFIG_INVALID', `systems config ${path} is not valid ${isYaml(path) ? 'YAML' : 'JSON'}: ${(e as Error).message}`, { cause: e });
  }
  return parseSystemsConfig(value, `systems config ${path}`);
}

/** Writes atomically (temp file + rename) so a crash never leaves half a config. */
export function saveSystemsConfig(path: string, cfg: SystemsConfig): void {
  const valid = parseSystemsConfig(cfg);
  const text = isYaml(path) ? yaml().stringify(valid) : JSON.stringify(valid, null, 2) + '\n';
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, 'utf8');
  renameSync(tmp, path);
}

export function toSystemInfo(s: SystemEntry): SystemInfo {
  const info: SystemInfo = { id: s.id, name: s.name, timezone: s.timezone, aliases: s.aliases ? [...s.aliases] : [] };
  if (s.pricing || s.contact) info.service = serviceOf(s);
  return info;
}

function serviceOf(s: SystemEntry): SystemService {
  const p = s.pricing;
  const c = s.contact;
  return {
    pricing: p
      ? {
          plans: p.plans.map((x) => ({ name: x.name, price: x.price, currency: x.currency, description: x.description ?? null, perMinute: (x.per_minute ?? []).map((r) => ({ start: r.start, rate: r.rate, interval: r.interval, end: r.end ?? null })) })),
          url: p.url ?? null,
          checked: p.checked,
          source: 'config',
        }
      : null,
    contact: c ? { phone: c.phone ?? null, url: c.url ?? null, email: c.email ?? null, source: 'config' } : null,
  };
}

/** The yaml package, loaded only for a YAML config: most deployments have none, and every command starts here. */
function yaml(): typeof YAMLLib {
  return createRequire(import.meta.url)('yaml') as typeof YAMLLib;
}
