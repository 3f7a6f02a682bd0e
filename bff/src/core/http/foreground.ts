import type { Middleware } from 'koa';

/**
 * Requests being served right now, so background work that shares the event loop with them — the demo
 * import on the embedded PGlite database runs its statements on this thread — can give way: it starts its
 * next slice when no request is in flight, or after a bounded wait, so a steady stream of requests slows
 * the import down but never stops it.
 */
export class Foreground {
  private inFlight = 0;
  /** When the last request was answered (performance.now()). */
  private lastAnswer = -Infinity;
  private waiters: (() => void)[] = [];

  /** Koa middleware counting every request from its start to its answer (errors included). */
  middleware(): Middleware {
    return async (_ctx, next) => {
      this.inFlight += 1;
      try {
        await next();
      } finally {
        this.inFlight -= 1;
        this.lastAnswer = performance.now();
        if (this.inFlight === 0) for (const wake of this.waiters.splice(0)) wake();
      }
    };
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  /**
   * Resolves once no request has been in flight for `graceMs` (the calls of one page load come in quick
   * succession), or after `maxMs` at the latest.
   */
  async quiet(maxMs: number, graceMs = 0): Promise<void> {
    const deadline = performance.now() + maxMs;
    for (;;) {
      const now = performance.now();
      const calm = now - this.lastAnswer;
      if ((this.inFlight === 0 && calm >= graceMs) || now >= deadline) return;
      const wait = deadline - now;
      await (this.inFlight > 0 ? this.answered(wait) : sleep(Math.min(graceMs - calm, wait)));
    }
  }

  /** Resolves when the requests in flight are answered, or after `ms`. */
  private answered(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.push(done);
    });
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));
