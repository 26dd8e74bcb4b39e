import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from './redis-process.js';

export interface ReplicaExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One `bikebot serve` child process on loopback. */
export interface ReplicaProcess {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
  /** Resolves when the process has exited, however. */
  exited: Promise<ReplicaExit>;
  /** Set once it has exited. */
  exit: ReplicaExit | null;
  /** The last log lines (stdout and stderr), for reports when something breaks. */
  tail(): string[];
  /** kill -9: no clean-up, no lease release — what a crash or an OOM kill looks like. */
  kill9(): Promise<ReplicaExit>;
  /** SIGTERM and wait (graceful shutdown), SIGKILL after timeoutMs. */
  stop(timeoutMs?: number): Promise<ReplicaExit>;
}

/**
 * The same CLI this code was loaded from: dist/cli.js when built, src/cli.ts through
 * tsx when run from source (tests), so a child always runs the code under test.
 */
export function cliInvocation(): string[] {
  const js = fileURLToPath(new URL('../cli.js', import.meta.url));
  if (existsSync(js)) return [js];
  return ['--import', 'tsx', fileURLToPath(new URL('../cli.ts', import.meta.url))];
}

export interface StartReplicaOptions {
  name: string;
  /** serve's options, e.g. ['--redis-url', …, '--tfl-url', …]; host and port are added. */
  args: string[];
  /** Give up if it is not listening within this long. Default 30 s. */
  startTimeoutMs?: number;
  /** Told about every log line (JSON from pino). */
  onLog?: (line: string, replica: string) => void;
}

/**
 * Starts `bikebot serve --host 127.0.0.1 --port <free port> …` and resolves once
 * /healthz answers (whatever the log level, so the logs need not be parsed).
 */
export async function startReplica(opts: StartReplicaOptions): Promise<ReplicaProcess> {
  // All load comes from one loopback address: serve's per-client chat limit (60 a minute by
  // default) would turn the rehearsal into a test of that limit. opts.args may set it again.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...cliInvocation(), 'serve', '--host', '127.0.0.1', '--port', String(port), '--chat-rate-limit', '0', ...opts.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Options come from the arguments alone, not from whatever BIKEBOT_* the caller has set.
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BIKEBOT_'))),
  });
  const lines: string[] = [];
  let exit: ReplicaExit | null = null;
  const exited = new Promise<ReplicaExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`replica ${opts.name} did not listen within ${opts.startTimeoutMs ?? 30_000} ms`)), opts.startTimeoutMs ?? 30_000);
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${e.message}\n${lines.slice(-20).join('\n')}`));
    };
    const replica: ReplicaProcess = {
      name: opts.name,
      url,
      pid: child.pid ?? -1,
      child,
      exited,
      get exit() {
        return exit;
      },
      tail: () => [...lines],
      kill9: () => {
        if (!exit) child.kill('SIGKILL');
        return exited;
      },
      stop: async (timeoutMs = 10_000) => {
        if (exit) return exit;
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        const r = await exited;
        clearTimeout(t);
        return r;
      },
    };
    const onLine = (line: string) => {
      if (!line) return;
      lines.push(line);
      if (lines.length > 200) lines.splice(0, lines.length - 200);
      opts.onLog?.(line, opts.name);
    };
    void (async () => {
      while (!settled && !exit) {
        try {
          const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
          if (res.ok && !settled) {
            settled = true;
            clearTimeout(timer);
            resolve(replica);
            return;
          }
        } catch {
          // Not listening yet.
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    for (const stream of [child.stdout, child.stderr]) {
      let buf = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          onLine(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
    }
    void exited.then((e) => fail(new Error(`replica ${opts.name} exited (code ${e.code}, signal ${e.signal}) before listening`)));
  });
}
