#!/usr/bin/env node
// Part of `npm run build`, after tsc and the serializers: bundles dist/cli.js and everything it
// can load (except native better-sqlite3) into one CommonJS script, dist/bikebot.cjs, which
// bin/bikebot.js runs through vm.Script with V8 code caches (dist/bikebot.<command>.cache,
// made by scripts/code-cache.mjs). A start-up then reads one file and deserialises compiled
// code instead of resolving, reading and compiling ~200 ES modules one by one.
//
// Two things a bundler would otherwise break are kept as they are in dist/:
//  - import.meta.url: each module's own URL in dist/, so every path it makes relative to
//    itself (../package.json, ../../data/…, ./serializers.generated.cjs, createRequire of a
//    lazily required package) resolves as it does unbundled;
//  - the packed pronouncing dictionary, a /*! comment inside a function that is read back
//    from the function's source (src/domain/understand/cmu-dictionary.ts): esbuild drops
//    comments inside functions, so the comment is put back in place after bundling.
import { build } from 'esbuild';
import { readFileSync, rmSync, readdirSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const out = `${dist}bikebot.cjs`;
// Caches made from an earlier bundle must never meet this one.
for (const f of readdirSync(dist)) if (/^bikebot\..*\.cache$/.test(f)) rmSync(dist + f);

const DICTIONARY_MARK = '"__bikebot_cmu_dictionary__";';
let dictionaryComment = null;

await build({
  entryPoints: [`${dist}cli.js`],
  outfile: out,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Native code stays a require from node_modules, and so do big packages loaded only off
  // the first answer's path (Twilio's REST client and webhooks, Redis, rehearsal load):
  // twilio alone would be half the bundle, read by every start for nothing.
  external: ['better-sqlite3', 'twilio', 'ioredis', 'autocannon'],
  // import() of those becomes a require: the bundle runs in a vm.Script, and on Node 20 a function V8
  // compiles again later (after bytecode flushing) loses the script's dynamic-import loader, so
  // `rehearse` failed with ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING at `import('autocannon')`. They are CommonJS.
  supported: { 'dynamic-import': false },
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: "const __bikebotModuleUrl = (rel) => require('node:url').pathToFileURL(require('node:path').join(__dirname, rel)).href;" },
  plugins: [
    {
      name: 'bikebot-dist',
      setup(b) {
        b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, (a) => {
          let text = readFileSync(a.path, 'utf8');
          if (a.path.endsWith('cmu-dictionary.js')) {
            const start = text.indexOf('/*!\n');
            const end = text.indexOf('\n*/', start) + 3;
            if (start < 0 || end < 3) throw new Error('cmu-dictionary.js: the packed comment was not found');
            dictionaryComment = text.slice(start, end);
            text = text.slice(0, start) + DICTIONARY_MARK + text.slice(end);
          }
          // The helper, not `require` itself: a module may declare a `require` of its own.
          text = text.replaceAll('import.meta.url', `__bikebotModuleUrl(${JSON.stringify(relative(dist, a.path))})`);
          return { contents: text, loader: 'js' };
        });
      },
    },
  ],
});

let bundled = readFileSync(out, 'utf8');
if (bundled.startsWith('#!')) bundled = bundled.slice(bundled.indexOf('\n') + 1);
if (dictionaryComment === null || /[^\x00-\x7f]/.test(dictionaryComment) || bundled.split(DICTIONARY_MARK).length !== 2) throw new Error('bundle: the pronouncing dictionary mark is missing or repeated');
bundled = bundled.replace(DICTIONARY_MARK, () => dictionaryComment);
// esbuild escapes strings but leaves other characters in regular expressions and comments;
// escaped too, the file is ASCII and V8 keeps its 6 MB source as one-byte text, half the
// memory and faster to read (\uXXXX means the same code unit in a regular expression, with
// or without the u flag, and in a comment it is only text).
if (/\\[^\x00-\x7f]/.test(bundled)) throw new Error('bundle: an escaped non-ASCII character would change meaning if escaped again');
bundled = bundled.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
writeFileSync(out, bundled);
console.log(`bundled dist/cli.js → ${relative(process.cwd(), out)} (${(bundled.length / 1e6).toFixed(1)} MB)`);
