/**
 * `bikebot rehearse [scenario.yaml]`: starts N replicas, Redis and the replay server on
 * loopback, runs the scenario, prints a table per phase, writes an HTML report and exits
 * non-zero when a promise broke.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import { BikeBotError } from '../domain/errors.js';
import { formatTable, renderHtml, verdict } from './report.js';
import { runRehearsal } from './run-rehearsal.js';
import { CI_SCENARIO, DEFAULT_SCENARIO, loadScenario, scenarioSeconds } from './scenario.js';

const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const BUNDLED_QUESTIONS = fileURLToPath(new URL('../../scenarios/questions.txt', import.meta.url));

/** Utterances from a .jsonl (field "utterance" or "text") or a text file (one per line, # comments). */
export function loadQuestions(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const l = line.trim();
    if (!l || l.startsWith('#')) continue;
    if (l.startsWith('{')) {
      try {
        const o = JSON.parse(l) as { utterance?: unknown; text?: unknown };
        const q = typeof o.utterance === 'string' ? o.utterance : typeof o.text === 'string' ? o.text : null;
        if (q) out.push(q);
      } catch {
        // A broken line in a recorded set is skipped, not fatal.
      }
    } else out.push(l);
  }
  if (out.length === 0) throw new BikeBotError('CONFIG_INVALID', `no questions in ${path}`);
  return out;
}

function progressBar(stream: NodeJS.WriteStream): (p: { phase: number; phases: number; name: string; elapsedS: number; totalS: number }) => void {
  return (p) => {
    const width = 30;
    const done = Math.min(width, Math.round((p.elapsedS / p.totalS) * width));
    const line = `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${Math.round(p.elapsedS)}/${p.totalS} s  phase ${p.phase}/${p.phases}: ${p.name}`;
    stream.write(`\r${line.slice(0, (stream.columns ?? 100) - 1).padEnd(Math.min(99, (stream.columns ?? 100) - 1))}`);
  };
}

export async function rehearseCommand(cfg: Config, out: (s: string) => void = (s) => process.stdout.write(s + '\n')): Promise<number> {
  const arg = cfg.args[0];
  const scenarioPath = !arg || arg === 'default' ? DEFAULT_SCENARIO : arg === 'ci' ? CI_SCENARIO : arg;
  const scenario = loadScenario(scenarioPath);
  const from = cfg.replay.from ?? (existsSync(`${SHARED}data/tfl/stations.csv`) ? `${SHARED}data/tfl` : null);
  if (!from || !existsSync(from)) {
    throw new BikeBotError('CONFIG_INVALID', 'bikebot rehearse needs recorded TfL data for the replay server: --from <tfl folder | BikePoint.json> (default ../shared/data/tfl beside the repository)');
  }
  const questionsPath = cfg.rehearse.questions ?? (existsSync(`${SHARED}eval/dev.jsonl`) ? `${SHARED}eval/dev.jsonl` : BUNDLED_QUESTIONS);
  const questions = loadQuestions(questionsPath);
  const replicas = cfg.rehearse.replicas ?? scenario.replicas;
  out(`bikebot rehearse: scenario "${scenario.name}" (${scenarioPath}), ${scenarioSeconds(scenario)} s, ${replicas} replicas, ${questions.length} questions from ${questionsPath}${from.endsWith('.json') || statSync(from).isFile() ? `, data ${from}` : `, data ${from}/`}`);
  const tty = process.stderr.isTTY === true;
  const bar = tty ? progressBar(process.stderr) : null;
  const result = await runRehearsal({
    scenario,
    from,
    questions,
    redisUrl: cfg.redisUrl,
    replicas,
    onProgress: bar ?? undefined,
    onNote: (n) => {
      if (tty) process.stderr.write('\r\x1b[K');
      out(`  ${n}`);
    },
  });
  if (tty) process.stderr.write('\r\x1b[K');
  out('');
  out(formatTable(result));
  out('');
  writeFileSync(cfg.rehearse.out, renderHtml(result));
  out(`report: ${cfg.rehearse.out}`);
  out(verdict(result));
  return result.broken.length === 0 ? 0 : 1;
}
