/**
 * Runs the CLI from its one-file bundle (dist/bikebot.cjs, made by scripts/bundle.mjs at
 * build time) with a V8 code cache made at build time too (scripts/code-cache.mjs): a
 * start-up then reads two files and deserialises the functions the first answer needs,
 * instead of resolving, reading and compiling ~150–200 ES modules (and pre-parsing the
 * rest). Node 20 has no module compile cache for ES modules; vm.Script's cachedData is
 * the way to one, and it needs a script, hence the CommonJS bundle.
 *
 * Nothing here writes at run time: the caches sit beside the bundle in dist/ and are made
 * by the build from that very bundle (the build deletes older ones first). V8 itself
 * refuses a cache made by another V8, with other flags or for a source of another length,
 * and then compiles as usual: a refused cache costs the compile it would have saved, no more.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import vm from 'node:vm';

const DIST = dirname(fileURLToPath(import.meta.url));
export const BUNDLE_FILE = join(DIST, 'bikebot.cjs');

/**
 * The cache a command starts with. `serve` has its own (Fastify and the HTTP channels);
 * every other command shares `ask`'s (the core and the understanding), which also covers
 * what they have in common. A wrong pick (a question containing the word "serve") only
 * costs speed: any cache made from this bundle runs the same code.
 */
export function cacheFileFor(argv: readonly string[]): string {
  return join(DIST, `bikebot.${argv.includes('serve') ? 'serve' : 'ask'}.cache`);
}

/**
 * The bundle, unless `tsc` has written dist/cli.js since it was made (a build by tsc
 * alone, as an editor or a partial build does): then it would run older code, so the
 * modules in dist/ run instead.
 */
function freshBundle(): boolean {
  try {
    return statSync(BUNDLE_FILE).mtimeMs >= statSync(join(DIST, 'cli.js')).mtimeMs;
  } catch {
    return false;
  }
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

export interface BundleRun {
  /** Whether V8 took the cache (false: none, or refused). */
  cacheUsed: boolean;
}

/**
 * Runs the bundled CLI on the current process.argv and returns at once (the CLI carries
 * on asynchronously); null when there is no fresh bundle. With `writeCacheTo`, the
 * functions compiled by the time the process exits are written there as its code cache.
 */
export function runBundle(opts: { cacheFile?: string; writeCacheTo?: string } = {}): BundleRun | null {
  if (!freshBundle()) return null;
  // The build makes the bundle ASCII (scripts/bundle.mjs), where latin1 and UTF-8 read the
  // same text; Node 20 decodes 6 MB of UTF-8 in ~90 ms on this machine and latin1 in ~1 ms.
  const source = readFileSync(BUNDLE_FILE, 'latin1');
  const cachedData = opts.writeCacheTo ? undefined : readCache(opts.cacheFile ?? cacheFileFor(process.argv.slice(2)));
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: BUNDLE_FILE,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const out = opts.writeCacheTo;
  if (out) {
    process.once('exit', () => {
      // `serve` raises --heap-growing-percent; V8 refuses a cache made under flags other than
      // a starting process has, so the default goes back before the cache is taken.
      setFlagsFromString('--heap-growing-percent=0');
      writeFileSync(`${out}.tmp`, script.createCachedData());
      renameSync(`${out}.tmp`, out);
    });
  }
  const module = { exports: {} };
  (script.runInThisContext() as (...a: unknown[]) => void).call(module.exports, module.exports, createRequire(BUNDLE_FILE), module, BUNDLE_FILE, DIST);
  return { cacheUsed: cachedData !== undefined && !script.cachedDataRejected };
}
