/**
 * Checks GBFS documents against the official JSON Schemas (draft-07), shipped in
 * data/gbfs-schemas (Apache-2.0, see its README). A deviation is reported, never
 * fatal: what can be read is still served. Without a schemas folder validation is
 * skipped with a note.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type formatsModule from 'ajv-formats';

type Ajv = InstanceType<typeof AjvModule.default>;

/**
 * ajv and ajv-formats (CommonJS, their export on .default) take ~0.3 s to load: only a
 * process that validates GBFS loads them, when its validator is built.
 */
function newAjv(): Ajv {
  const require = createRequire(import.meta.url);
  const ajvModule = require('ajv') as typeof AjvModule & { default?: typeof AjvModule.default };
  const formats = require('ajv-formats') as typeof formatsModule & { default?: typeof formatsModule.default };
  const Ajv = ajvModule.default ?? (ajvModule as unknown as typeof AjvModule.default);
  const addFormats = formats.default ?? (formats as unknown as typeof formatsModule.default);
  // strict:false — the official schemas use keywords ajv's strict mode rejects (e.g. unknown formats in examples).
  // validateSchema:false — the official schemas are not checked against draft-07's meta-schema
  // first: compiling that meta-schema's validator was ~80 ms in one turn of a starting server.
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
  addFormats(ajv);
  return ajv;
}

export type SchemaVersion = 'v1.0' | 'v2.3' | 'v3.0';

/** The official schemas shipped with BikeBot (the same from src/ and from dist/). */
export const DEFAULT_SCHEMAS_DIR = fileURLToPath(new URL('../../data/gbfs-schemas/', import.meta.url));

/** `--gbfs-schemas`: a folder, "none" to turn validation off, or unset for the shipped schemas. */
export function schemasDirFrom(option: string | null | undefined): string | null {
  if (option === 'none') return null;
  return option ?? DEFAULT_SCHEMAS_DIR;
}

/** One kind of deviation, e.g. "/data/stations/N/is_renting must be boolean" × 1811. */
export interface Deviation {
  /** JSON pointer with array indexes replaced by N, so one rule broken by many stations is one line. */
  path: string;
  message: string;
  count: number;
}

export interface ValidationReport {
  /** GBFS file name without .json, e.g. station_status, gbfs_versions. */
  file: string;
  schema: SchemaVersion | null;
  /** Null when validation was skipped. */
  valid: boolean | null;
  errorCount: number;
  deviations: Deviation[];
  note?: string;
}

/**
 * Which schema a document claims. 1.0 had no `version` key, 1.1 is closest to 1.0;
 * 2.x is checked against 2.3 (the only 2.x schema kept) and 3.x against 3.0.
 */
export function schemaVersionFor(version: string | null | undefined): SchemaVersion {
  if (!version) return 'v1.0';
  const v = version.replace(/^v/i, '');
  if (v.startsWith('3.')) return 'v3.0';
  if (v.startsWith('2.')) return 'v2.3';
  return 'v1.0';
}

/**
 * What a GBFS source checks its documents with: at once (GbfsValidator: `systems add`,
 * tests) or later, off the event loop (GbfsValidatorThread: a server).
 */
export interface SchemaChecker {
  readonly note: string | null;
  /** doc: the document as parsed; body: as received. */
  check(file: string, doc: unknown, body: string): ValidationReport | Promise<ValidationReport>;
}

export class GbfsValidator implements SchemaChecker {
  private readonly ajv: Ajv | null;
  private readonly compiled = new Map<string, ValidateFunction | null>();
  readonly note: string | null;

  /** schemasDir: the folder with v1.0/, v2.3/, v3.0/; null or missing → every report is "skipped". */
  constructor(private readonly schemasDir: string | null) {
    if (!schemasDir || !existsSync(schemasDir)) {
      this.ajv = null;
      this.note = schemasDir ? `GBFS schemas not found at ${schemasDir}; schema validation skipped` : 'GBFS schema validation turned off';
      return;
    }
    this.ajv = newAjv();
    this.note = null;
  }

  validate(file: string, doc: unknown): ValidationReport {
    const version = typeof doc === 'object' && doc !== null ? (doc as { version?: unknown }).version : undefined;
    const schema = schemaVersionFor(typeof version === 'string' ? version : null);
    if (!this.ajv) return { file, schema: null, valid: null, errorCount: 0, deviations: [], note: this.note ?? undefined };
    const fn = this.compile(schema, file);
    if (!fn) return { file, schema, valid: null, errorCount: 0, deviations: [], note: `no ${schema} schema for ${file}` };
    const ok = fn(doc) as boolean;
    const errors = ok ? [] : (fn.errors ?? []);
    return { file, schema, valid: ok, errorCount: errors.length, deviations: summarize(errors) };
  }

  check(file: string, doc: unknown): ValidationReport {
    return this.validate(file, doc);
  }

  private compile(schema: SchemaVersion, file: string): ValidateFunction | null {
    const key = `${schema}/${file}`;
    if (this.compiled.has(key)) return this.compiled.get(key) as ValidateFunction | null;
    const path = join(this.schemasDir as string, schema, `${file}.json`);
    let fn: ValidateFunction | null = null;
    if (existsSync(path)) {
      const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      // Schemas of different versions share $ids; compiling without them keeps each self-contained.
      delete json.$id;
      fn = (this.ajv as Ajv).compile(json);
    }
    this.compiled.set(key, fn);
    return fn;
  }
}

/**
 * The schema check of a server, in a worker thread: Ajv's load (~0.3 s), each schema's
 * compile (~80 ms) and each large document's check (10-40 ms, more with thousands of
 * deviations to collect) held the event loop of a server starting with forty systems.
 * The worker reads the body as received; its report arrives later and is told as the
 * same check at once would tell it. The thread starts with the first check, and never
 * keeps the process alive.
 */
export class GbfsValidatorThread implements SchemaChecker {
  readonly note: string | null;
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, { file: string; resolve: (r: ValidationReport) => void }>();

  constructor(private readonly schemasDir: string | null) {
    this.note = !schemasDir ? 'GBFS schema validation turned off' : existsSync(schemasDir) ? null : `GBFS schemas not found at ${schemasDir}; schema validation skipped`;
  }

  check(file: string, _doc: unknown, body: string): Promise<ValidationReport> {
    if (this.note !== null) return Promise.resolve({ file, schema: null, valid: null, errorCount: 0, deviations: [], note: this.note });
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { file, resolve });
      worker.postMessage({ id, file, body });
    });
  }

  /** Stops the thread; checks still waiting are reported as not done. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
    this.fail('validation thread closed');
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // From dist/ the worker is the .js beside this file. From src/ (tests and benchmarks under
    // tsx) it is the .ts, and tsx's loader is not a worker's: the worker registers it first.
    const workerData = { schemasDir: this.schemasDir };
    const w = import.meta.url.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then((m) => m.register()).then(() => import(${JSON.stringify(new URL('./gbfs-validate-worker.ts', import.meta.url).href)}))`, { eval: true, workerData })
      : new Worker(new URL('./gbfs-validate-worker.js', import.meta.url), { workerData });
    w.unref();
    w.on('message', ({ id, report }: { id: number; report: ValidationReport }) => {
      const p = this.pending.get(id);
      this.pending.delete(id);
      p?.resolve(report);
    });
    const down = (why: string) => {
      if (this.worker === w) this.worker = null;
      this.fail(why);
    };
    w.on('error', (e) => down(`validation thread failed: ${e.message}`));
    w.on('exit', (code) => down(`validation thread exited (${code})`));
    this.worker = w;
    return w;
  }

  private fail(note: string): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.resolve({ file: p.file, schema: null, valid: null, errorCount: 0, deviations: [], note });
    }
  }
}

export function summarize(errors: ErrorObject[]): Deviation[] {
  const byKey = new Map<string, Deviation>();
  for (const e of errors) {
    const path = e.instancePath.replace(/\/\d+(?=\/|$)/g, '/N') || '/';
    const message = e.message ?? e.keyword;
    const key = `${path} ${message}`;
    const d = byKey.get(key);
    if (d) d.count++;
    else byKey.set(key, { path, message, count: 1 });
  }
  return [...byKey.values()].sort((a, b) => b.count - a.count || a.path.localeCompare(b.path));
}

/** One line per deviation, for `systems add` output and logs. */
export function formatReport(r: ValidationReport): string {
  if (r.valid === null) return `${r.file}: not validated (${r.note ?? 'no schema'})`;
  if (r.valid) return `${r.file}: valid against GBFS ${r.schema}`;
  const lines = r.deviations.slice(0, 5).map((d) => `  ${d.path} ${d.message} (×${d.count})`);
  if (r.deviations.length > 5) lines.push(`  … ${r.deviations.length - 5} more kinds`);
  return `${r.file}: ${r.errorCount} schema error(s) against GBFS ${r.schema}\n${lines.join('\n')}`;
}

/**
 * One system's deviations, told once per file and schema version: a feed that sends
 * 1/0 for booleans in every station every minute is one log line with counts, not
 * thousands. A new version (or a file that starts deviating) is told again.
 */
export class DeviationLog {
  private readonly told = new Set<string>();
  readonly latest = new Map<string, ValidationReport>();

  /** Returns the report when it is news (deviations not yet told for this file and version), else null. */
  take(r: ValidationReport): ValidationReport | null {
    this.latest.set(r.file, r);
    if (r.valid !== false) return null;
    const key = `${r.file}@${r.schema}`;
    if (this.told.has(key)) return null;
    this.told.add(key);
    return r;
  }
}
