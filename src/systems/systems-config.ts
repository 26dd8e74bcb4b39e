/**
 * The systems config file: which bike-share systems one deployment serves.
 * JSON or YAML (by extension), `{ "systems": [ … ] }`. No file means TfL alone.
 */
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { BikeBotError } from '../domain/errors.js';
import type { SystemInfo } from '../domain/station.js';
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
  })
  .strict();

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
    value = isYaml(path) ? YAML.parse(text) : JSON.parse(text);
  } catch (e) {
    throw new BikeBotError('CONFIG_INVALID', `systems config ${path} is not valid ${isYaml(path) ? 'YAML' : 'JSON'}: ${(e as Error).message}`, { cause: e });
  }
  return parseSystemsConfig(value, `systems config ${path}`);
}

/** Writes atomically (temp file + rename) so a crash never leaves half a config. */
export function saveSystemsConfig(path: string, cfg: SystemsConfig): void {
  const valid = parseSystemsConfig(cfg);
  const text = isYaml(path) ? YAML.stringify(valid) : JSON.stringify(valid, null, 2) + '\n';
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, 'utf8');
  renameSync(tmp, path);
}

export function toSystemInfo(s: SystemEntry): SystemInfo {
  return { id: s.id, name: s.name, timezone: s.timezone, aliases: s.aliases ? [...s.aliases] : [] };
}
