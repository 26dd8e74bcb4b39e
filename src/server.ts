import type { FastifyInstance } from 'fastify';

export interface RunningServer {
  /** A URL this machine can reach the server on (loopback for wildcard hosts). */
  url: string;
  /** Stops accepting, lets requests in progress finish, then closes. */
  close(): Promise<void>;
}

function urlFor(address: string, port: number): string {
  if (address === '::' || address === '::0') return `http://[::1]:${port}`;
  if (address === '0.0.0.0') return `http://127.0.0.1:${port}`;
  return address.includes(':') ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}

const NO_IPV6 = new Set(['EAFNOSUPPORT', 'EADDRNOTAVAIL', 'EINVAL']);

/**
 * Listens on host:port. The default '::' is one dual-stack socket (Node leaves
 * IPV6_V6ONLY off), so both [::1] and 127.0.0.1 reach it; on a machine without
 * IPv6 it falls back to 0.0.0.0 and says so.
 */
export async function startServer(app: FastifyInstance, opts: { host: string; port: number }): Promise<RunningServer> {
  let host = opts.host;
  try {
    await app.listen({ host, port: opts.port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (host !== '::' || !NO_IPV6.has(code)) throw err;
    app.log.warn({ code }, 'IPv6 is unavailable; listening on 0.0.0.0 (IPv4 only)');
    host = '0.0.0.0';
    await app.listen({ host, port: opts.port });
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const url = urlFor(host, port);
  app.log.info({ url, host, port }, 'listening');
  let closing: Promise<void> | null = null;
  return {
    url,
    close: () => (closing ??= app.close()),
  };
}

export interface ShutdownLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * On SIGTERM/SIGINT: close gracefully, but never hang past `timeoutMs`; a second
 * signal exits at once. Returns a function that removes the handlers again.
 */
export function installGracefulShutdown(
  close: () => Promise<void>,
  log: ShutdownLog,
  opts: { signals?: NodeJS.Signals[]; timeoutMs?: number; exit?: (code: number) => void } = {},
): () => void {
  const signals = opts.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      log.info({ signal }, 'second signal: exiting now');
      exit(1);
      return;
    }
    shuttingDown = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error({ timeoutMs }, 'shutdown took too long: exiting');
      exit(1);
    }, timeoutMs);
    timer.unref();
    close().then(
      () => {
        clearTimeout(timer);
        log.info({}, 'shut down cleanly');
        exit(0);
      },
      (err: unknown) => {
        clearTimeout(timer);
        log.error({ err }, 'error while shutting down');
        exit(1);
      },
    );
  };
  for (const s of signals) process.on(s, onSignal);
  return () => {
    for (const s of signals) process.off(s, onSignal);
  };
}
