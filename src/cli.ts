#!/usr/bin/env node
/**
 * The `bikebot` command: ask, chat, serve, eval, replay-server, systems.
 * Config is parsed once here; each command builds only what it needs.
 */
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, optionsHelp, type Config } from './config.js';
import { buildCore, errText } from './app.js';
import { isBikeBotError } from './domain/errors.js';
import type { Answer } from './domain/answer.js';
import { VERSION, USER_AGENT } from './version.js';
import { ageS } from './util/age.js';

const USAGE = `bikebot ${VERSION} — bike-share docking stations, by chat, SMS and phone

Usage:
  bikebot ask "<question>" [--json] [--batch]   answer one question (or one per stdin line with --batch)
  bikebot chat                                  talk in the terminal
  bikebot serve                                 run the HTTP server (API, web chat, Twilio, Lex, MCP at /mcp) and poll the feeds
  bikebot mcp                                   serve the MCP tools to an AI assistant over stdio (logs go to stderr)
  bikebot eval <file.jsonl>                     measure understanding on a labelled set
  bikebot replay-server --from <dir|file>       serve recorded TfL (and --gbfs) data on loopback, for tests and demos
  bikebot systems list | search <words>          show configured systems, or find any GBFS city in the catalogue
  bikebot systems add <url or name> | update    add a system (by gbfs.json URL, or a name/city from the catalogue); refresh the catalogue
  bikebot rehearse [default | ci | <file.yaml>] start replicas, Redis and the replay server on loopback, run a
                                                load-and-fault scenario, print a table, write an HTML report;
                                                exits 1 when a promise broke

Options (each also as a BIKEBOT_* environment variable):
${optionsHelp()}`;

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--version' || argv[0] === 'version') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  const cfg = loadConfig();
  if (cfg.help || cfg.command === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  switch (cfg.command) {
    case 'ask':
      return ask(cfg);
    case 'chat':
      return chat(cfg);
    case 'serve':
      return serve(cfg);
    case 'mcp':
      return mcp(cfg);
    case 'eval':
      return evaluate(cfg);
    case 'replay-server':
      return replayServer(cfg);
    case 'systems':
      return systems(cfg);
    case 'rehearse': {
      const { rehearseCommand } = await import('./rehearse/rehearse-command.js');
      return rehearseCommand(cfg);
    }
    default:
      process.stderr.write(`bikebot: unknown command "${cfg.command}"\n\n${USAGE}\n`);
      return 2;
  }
}

function printAnswer(cfg: Config, a: Answer): void {
  if (cfg.json) {
    process.stdout.write(JSON.stringify(a) + '\n');
    return;
  }
  process.stdout.write(a.reply + '\n');
  a.options.forEach((o, i) => {
    if (!a.reply.includes(o.name)) process.stdout.write(`  ${i + 1}. ${o.name}\n`);
  });
}

async function ask(cfg: Config): Promise<number> {
  const core = await buildCore(cfg, { mode: 'oneshot' });
  try {
    if (cfg.batch) {
      // One process, data loaded once; every line is its own conversation, answered in order.
      const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
      let n = 0;
      for await (const line of rl) {
        n++;
        let answer: Answer;
        try {
          answer = await core.handleTurn({ channel: 'cli', conversationId: `batch:${n}`, text: line });
        } catch (e) {
          answer = { intent: 'unknown', want: 'any', reply: 'Sorry, something went wrong with that question.', stations: [], options: [], place: null, dataAsOf: null, stale: false };
          core.logger.error({ err: errText(e), line: n }, 'batch line failed');
        }
        process.stdout.write(JSON.stringify(answer) + '\n');
      }
      return 0;
    }
    const text = cfg.args.join(' ');
    if (!text.trim()) {
      process.stderr.write('bikebot ask: give a question, e.g. bikebot ask "bikes at Waterloo"\n');
      return 2;
    }
    printAnswer(cfg, await core.handleTurn({ channel: 'cli', conversationId: 'ask', text }));
    return 0;
  } finally {
    await core.close();
  }
}

async function chat(cfg: Config): Promise<number> {
  const { runChat } = await import('./channels/cli-chat.js');
  const core = await buildCore(cfg, { mode: 'live' });
  core.start();
  // A first run has nothing stored: wait for the first fetch rather than greet with "no data yet".
  if (!(await core.whenData(cfg.requestTimeoutS * 1000))) process.stderr.write('bikebot: no station data yet; answers will come once the first fetch succeeds.\n');
  try {
    await runChat(core.handleTurn, { input: process.stdin, output: process.stdout });
    return 0;
  } finally {
    await core.close();
  }
}

/** How long after listening `serve` loads the metrics registry (see Metrics). */
const METRICS_AFTER_MS = 2_000;

/**
 * How far V8 lets the old generation grow past what the last full collection kept,
 * in percent, for the long-running server. V8's own factor is up to 4×: with ~30 MB
 * live, a server under steady load fills the old space with garbage (promoted
 * request objects, evicted rate-limit and geocoder cache entries) for minutes before
 * one mark-compact, so its RSS climbs ~0.8 MB/s and then falls by 70 MB (measured:
 * no full collection in 70 s at 1,000 req/s). At 20 % a full, mostly concurrent
 * collection comes every 20–40 s at that rate, and memory stays near what is live.
 */
const SERVE_HEAP_GROWING_PERCENT = 20;

async function serve(cfg: Config): Promise<number> {
  // Read by V8 at each full collection, so setting it before start-up builds the index applies throughout.
  setFlagsFromString(`--heap-growing-percent=${SERVE_HEAP_GROWING_PERCENT}`);
  const { buildServedApp } = await import('./serve.js');
  const { startServer, installGracefulShutdown } = await import('./server.js');
  const { core, app, metrics } = await buildServedApp(cfg);
  core.start();
  const server = await startServer(app, { host: cfg.host ?? '::', port: cfg.port ?? 8080 });
  // prom-client after the first answers, not before them (a scrape sooner loads it itself).
  setTimeout(() => void metrics.load(), METRICS_AFTER_MS).unref();
  await new Promise<void>((resolve) => {
    installGracefulShutdown(
      async () => {
        await server.close();
        await core.close();
        resolve();
      },
      core.logger,
    );
  });
  return 0;
}

/**
 * MCP over stdio: stdout carries only protocol messages, so every log line goes to
 * stderr. The data stays live (polled, or --snapshot) for as long as the assistant
 * keeps the process.
 */
async function mcp(cfg: Config): Promise<number> {
  const { createMcpServer } = await import('./channels/mcp-server.js');
  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const { systemInfos } = await import('./systems/systems-sources.js');
  const core = await buildCore(cfg, { mode: 'live' });
  core.start();
  const waitMs = cfg.requestTimeoutS * 1000;
  const server = createMcpServer({
    // A question asked before the first fetch waits for it rather than hear "no data yet".
    handleTurn: async (msg) => {
      await core.whenData(waitMs);
      return core.handleTurn(msg);
    },
    index: () => core.live.index(),
    systems: () => systemInfos(core.systems),
    version: VERSION,
    alerts: core.alerts?.service ?? null,
  });
  const transport = new StdioServerTransport();
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
  await core.close();
  return 0;
}

async function evaluate(cfg: Config): Promise<number> {
  const { loadEvalCases } = await import('./eval/eval-case.js');
  const { runEval, formatEvalReport } = await import('./eval/run-eval.js');
  const file = cfg.args[0];
  if (!file) {
    process.stderr.write('bikebot eval: give a .jsonl file, e.g. bikebot eval ../shared/eval/dev.jsonl --snapshot <BikePoint.json> --gazetteer ../shared/data/london\n');
    return 2;
  }
  const { selectSplit } = await import('./eval/split.js');
  const cases = selectSplit(loadEvalCases(file), cfg.evalSplit);
  const core = await buildCore(cfg, { mode: 'oneshot' });
  try {
    const index = core.live.index();
    if (!index) throw new Error('no station data');
    const report = await runEval(cases, core.handleTurn, index);
    process.stdout.write(formatEvalReport(report, { failures: cfg.json }) + '\n');
    if (cfg.plotFile) {
      const { reliabilitySvg } = await import('./eval/reliability.js');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(cfg.plotFile, reliabilitySvg(report.reliability, `BikeBot reliability: ${file}${cfg.evalSplit === 'all' ? '' : ` (${cfg.evalSplit})`}`));
      process.stdout.write(`reliability plot written to ${cfg.plotFile}\n`);
    }
    return 0;
  } finally {
    await core.close();
  }
}

async function replayServer(cfg: Config): Promise<number> {
  const { runReplayServerCommand } = await import('./replay/replay-command.js');
  const { gbfsReplayRoutes } = await import('./replay/gbfs-routes.js');
  // The replay server is a stand-in for upstream: loopback and its own port unless told otherwise.
  const host = cfg.host ?? '127.0.0.1';
  const port = cfg.port ?? 8081;
  const server = await runReplayServerCommand({ ...cfg.replay, host, port }, (l) => process.stdout.write(l + '\n'), (folders) => gbfsReplayRoutes(folders));
  await new Promise<void>((resolve) => {
    const stop = () => void server.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

async function systems(cfg: Config): Promise<number> {
  const { loadSystemsConfig } = await import('./systems/systems-config.js');
  const { systemsAdd, systemsList } = await import('./systems/systems-command.js');
  const { schemasDirFrom } = await import('./feeds/gbfs-validate.js');
  const [sub, ...rest] = cfg.args;
  const words = rest.join(' ').trim();
  const catalogue = async () => (await import('./systems/catalogue.js')).loadCatalogue(cfg.dataDir);
  if (sub === 'search') {
    if (!words) {
      process.stderr.write('bikebot systems search <name, city or country>, e.g. bikebot systems search chicago\n');
      return 2;
    }
    const { systemsSearch } = await import('./systems/catalogue-command.js');
    process.stdout.write(systemsSearch(await catalogue(), words) + '\n');
    return 0;
  }
  if (sub === 'update') {
    const { systemsUpdate } = await import('./systems/catalogue-command.js');
    process.stdout.write((await systemsUpdate({ url: cfg.catalogueUrl, dataDir: cfg.dataDir, userAgent: USER_AGENT, timeoutMs: cfg.requestTimeoutS * 1000 }, await catalogue())) + '\n');
    return 0;
  }
  if (sub === 'add') {
    if (!words) {
      process.stderr.write('bikebot systems add <gbfs.json URL | name or city from the catalogue>\n');
      return 2;
    }
    const configPath = cfg.configFile ?? join(cfg.dataDir, 'bikebot.config.json');
    const addOpts = { configPath, userAgent: USER_AGENT, timeoutMs: cfg.requestTimeoutS * 1000, schemasDir: schemasDirFrom(cfg.gbfsSchemas) };
    if (/^https?:\/\//i.test(words)) {
      process.stdout.write((await systemsAdd(words, addOpts)) + '\n');
    } else {
      const { systemsAddByName } = await import('./systems/catalogue-command.js');
      process.stdout.write((await systemsAddByName(words, { ...addOpts, catalogue: await catalogue() })) + '\n');
    }
    if (!cfg.configFile) process.stdout.write(`Use it with --config ${configPath} (or BIKEBOT_CONFIG).\n`);
    return 0;
  }
  if (sub === 'list' || sub === undefined) {
    const sysCfg = loadSystemsConfig(cfg.configFile);
    // Station counts and ages come from the stored snapshots of a running or earlier `serve`.
    const { openStore, DB_FILE_NAME } = await import('./store/open-store.js');
    const { SnapshotStore } = await import('./store/snapshot-store.js');
    let stored = new Map<string, { stations: number; asOf: string | null }>();
    try {
      // Listing must not create a database where there is none.
      if (!cfg.redisUrl && !existsSync(join(cfg.dataDir, DB_FILE_NAME))) throw new Error(`nothing stored in ${cfg.dataDir} yet`);
      const kv = await openStore({ dataDir: cfg.dataDir, redisUrl: cfg.redisUrl });
      const snaps = await new SnapshotStore(kv).loadAll();
      stored = new Map(snaps.map((s) => [s.systemId, { stations: s.stations.length, asOf: s.asOf ?? s.fetchedAt }]));
      await kv.close();
    } catch (e) {
      process.stderr.write(`(no stored snapshots: ${errText(e)})\n`);
    }
    process.stdout.write(
      systemsList(sysCfg, (id) => {
        const s = stored.get(id);
        return { stations: s?.stations ?? 0, snapshotAgeS: ageS(s?.asOf ?? null), lastError: null };
      }) + '\n',
    );
    return 0;
  }
  process.stderr.write(`bikebot systems: unknown subcommand "${sub}" (list | search <words> | add <url or name> | update)\n`);
  return 2;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (isBikeBotError(e)) {
      process.stderr.write(`bikebot: ${e.message}\n`);
      process.exitCode = e.code === 'CONFIG_INVALID' ? 2 : 1;
    } else {
      process.stderr.write(`bikebot: unexpected error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
