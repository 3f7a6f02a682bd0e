import type { Server } from 'node:http';

/**
 * Returns a stop function: stop accepting connections, let in-flight requests finish (cutting what is
 * still open after `graceMs`), then run `close` (storage, Redis, demo parts). Calling it twice is harmless.
 */
export function gracefulShutdown(
  server: Server,
  graceMs: number,
  close: () => Promise<void>,
  log: { info: (o: object, m: string) => void },
): (reason: string) => Promise<void> {
  let stopping: Promise<void> | undefined;
  return (reason) =>
    (stopping ??= (async () => {
      log.info({ reason }, 'shutting down: finishing in-flight requests');
      const force = setTimeout(() => server.closeAllConnections(), graceMs);
      force.unref();
      // A keep-alive connection whose request just finished would otherwise linger until keepAliveTimeout.
      const reap = setInterval(() => server.closeIdleConnections(), 100);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      clearTimeout(force);
      clearInterval(reap);
      await close();
      log.info({}, 'stopped');
    })());
}
