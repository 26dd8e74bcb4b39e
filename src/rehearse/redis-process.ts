import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

/** A throwaway redis-server on loopback: no persistence, no files written. */
export interface RedisProcess {
  url: string;
  port: number;
  /** kill -9 and wait for the exit: Redis crashes, every key is gone. */
  kill9(): Promise<void>;
  /** Start again on the same port (after kill9). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Starts `redis-server` (from PATH, or `binary`) on a free loopback port. Throws if it is not installed. */
export async function startRedisServer(opts: { binary?: string; port?: number } = {}): Promise<RedisProcess> {
  const port = opts.port ?? (await freePort());
  let child: ChildProcess | null = null;
  const launch = async () => {
    const c = spawn(opts.binary ?? 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], { stdio: 'ignore' });
    const failed = new Promise<never>((_, reject) => {
      c.once('error', (e) => reject(new Error(`cannot start redis-server: ${e.message}`)));
      c.once('exit', (code) => reject(new Error(`redis-server exited with code ${code} on port ${port}`)));
    });
    failed.catch(() => undefined);
    child = c;
    const end = Date.now() + 10_000;
    while (!(await Promise.race([accepts(port), failed]))) {
      if (Date.now() > end) throw new Error(`redis-server did not listen on ${port} within 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const kill = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill9: kill,
    restart: async () => {
      await kill();
      await launch();
    },
    stop: kill,
  };
}
