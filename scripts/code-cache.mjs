#!/usr/bin/env node
// Part of `npm run build`, after scripts/bundle.mjs: makes the V8 code caches bin/bikebot.js
// starts the bundle with (src/bundle-run.ts). Each is taken from a real run of the bundle
// on a small made-up London feed, after its first answer:
//   dist/bikebot.ask.cache    `ask --snapshot <feed> "<question>"`
//   dist/bikebot.serve.cache  `serve` against the replay server on that feed, after its first
//                             /api/chat answer (then SIGTERM, as a restart would meet it)
// so they hold the functions compiled up to a first answer, whatever the data. A failure
// here leaves no cache, and the bundle still runs (compiled as it starts), so it warns and
// does not stop the build.
//
//   node scripts/code-cache.mjs              make both
//   node scripts/code-cache.mjs --child …    (internal) run the bundle, writing its cache at exit
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const bin = fileURLToPath(new URL('../bin/bikebot.js', import.meta.url));

if (process.argv[2] === '--child') {
  const out = process.argv[3];
  process.argv.splice(2, 2);
  const { runBundle } = await import('../dist/bundle-run.js');
  if (!runBundle({ writeCacheTo: out })) throw new Error('no fresh bundle in dist/');
} else {
  const { cacheFileFor } = await import('../dist/bundle-run.js');
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-code-cache-'));
  try {
    const feed = join(dir, 'bikepoint.json');
    writeFileSync(feed, JSON.stringify(madeUpFeed()));
    const question = 'bikes at waterloo station 3';
    await run(['--child', cacheFileFor(['ask']), 'ask', '--snapshot', feed, '--data-dir', join(dir, 'ask'), question]);
    const [replayPort, port] = [await freePort(), await freePort()];
    const replay = spawn(process.execPath, [bin, 'replay-server', '--from', feed, '--host', '127.0.0.1', '--port', String(replayPort)], { stdio: 'ignore' });
    try {
      const serve = spawn(process.execPath, [here, '--child', cacheFileFor(['serve']), 'serve', '--tfl-url', `http://127.0.0.1:${replayPort}`, '--host', '127.0.0.1', '--port', String(port), '--data-dir', join(dir, 'serve'), '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
      const exited = new Promise((resolve) => serve.once('exit', resolve));
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (serve.exitCode !== null) throw new Error(`serve exited with ${serve.exitCode}`);
        if (Date.now() > deadline) throw new Error('serve gave no answer in 60 s');
        const ok = await fetch(`http://127.0.0.1:${port}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: question }) })
          .then(async (r) => r.ok && ((await r.json()).answer?.stations?.length ?? 0) > 0)
          .catch(() => false);
        if (ok) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      serve.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) throw new Error(`serve exited with ${code} after SIGTERM`);
    } finally {
      replay.kill('SIGTERM');
    }
    for (const c of ['ask', 'serve']) if (!existsSync(cacheFileFor([c]))) throw new Error(`no ${c} cache written`);
    console.log(`code caches made: ${cacheFileFor(['ask'])}, ${cacheFileFor(['serve'])}`);
  } catch (e) {
    console.warn(`code-cache: no code cache made (${e instanceof Error ? e.message : e}); the bundle runs without one`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [here, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.slice(2, 3)} exited with ${code}`))));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A few stations around Waterloo, with TfL's field names, so the made-up feed reads as London. */
function madeUpFeed() {
  const names = ['Waterloo Station 3, Waterloo', 'Waterloo Station 1, Waterloo', 'Waterloo Road, South Bank', 'Baylis Road, Waterloo', 'River Street , Clerkenwell', 'Phillimore Gardens, Kensington', 'Hyde Park Corner, Hyde Park', 'Belgrave Square, Belgravia'];
  const modified = '2026-01-01T08:00:00.000Z';
  return names.map((commonName, i) => ({
    id: `BikePoints_${i + 1}`,
    commonName,
    lat: 51.503 + i * 0.002,
    lon: -0.113 - i * 0.002,
    additionalProperties: [
      ['TerminalName', String(1000 + i)],
      ['Installed', 'true'],
      ['Locked', 'false'],
      ['NbBikes', String(i % 5)],
      ['NbEmptyDocks', String(10 - (i % 5))],
      ['NbDocks', '10'],
      ['NbStandardBikes', String(i % 5)],
      ['NbEBikes', '0'],
    ].map(([key, value]) => ({ key, value, modified })),
  }));
}
