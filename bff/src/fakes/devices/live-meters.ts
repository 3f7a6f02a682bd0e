import type { ReadingsMessage } from '@wattdesk/shared';
import { syntheticReadings } from '../../demo/data/readings';
import type { DemoSite, GeneratedReading } from '../../demo/data/types';

/** Readings per MQTT message (the protocol allows 10,000). */
export const READINGS_PER_MESSAGE = 2000;

/**
 * The demo site's meters read on past their generated history: the same seeded stream the history
 * came from (so registers and load shapes continue where the history ends), stepped lazily on the
 * site's 15-minute grid. `due(now)` hands out every step not handed out yet, from `from` (the
 * history's last step) up to `now`, as gateway messages of meter ids.
 */
export class DemoMeterFeed {
  private readonly stream: Generator<GeneratedReading[]>;
  private next: GeneratedReading[] | undefined;
  /** The first step still to hand out is the first with ts >= this. */
  private from: number;
  private handed: number;

  /**
   * `from`: the first step to hand out — the history's last step itself, so that the feed's first
   * readings are counted from the history's last register even while an import is still filling the
   * history in (re-sending a stored reading changes nothing).
   */
  constructor(
    site: DemoSite,
    private readonly ids: ReadonlyMap<string, number>,
    from: number,
  ) {
    this.from = from;
    this.handed = from;
    // An open end: the generator yields one step at a time for as long as it is asked.
    this.stream = syntheticReadings({ ...site, end: Number.MAX_SAFE_INTEGER }, { batchSteps: 1 });
  }

  /** The instant of the last step handed out (before any: `from`). */
  get last(): number {
    return this.handed;
  }

  /** Whether steps up to `now` remain after a `due` call cut short by its `maxSteps`. */
  behind(now: number): boolean {
    return this.next !== undefined && this.next[0]!.ts <= now;
  }

  /**
   * Every step with `last < ts <= now`, in time order, in messages of at most `max` readings; at most
   * `maxSteps` steps of the stream are walked (those before the history's end included), so a caller can
   * yield to the event loop between calls while a long history is skipped.
   */
  due(now: number, max = READINGS_PER_MESSAGE, maxSteps = Number.POSITIVE_INFINITY): ReadingsMessage[] {
    const out: ReadingsMessage['readings'] = [];
    for (let walked = 0; ; walked++) {
      const step = this.next ?? this.stream.next().value;
      this.next = undefined;
      if (!step || !step.length) break;
      const ts = step[0]!.ts;
      if (ts > now || walked >= maxSteps) {
        this.next = step;
        break;
      }
      if (ts < this.from) continue;
      for (const r of step) {
        const meter = this.ids.get(r.meter);
        if (meter !== undefined) out.push({ meter, ts: r.ts, total: r.total, params: r.params ?? {} });
      }
      this.from = ts + 1;
      this.handed = ts;
    }
    const messages: ReadingsMessage[] = [];
    for (let i = 0; i < out.length; i += max) messages.push({ readings: out.slice(i, i + max) });
    return messages;
  }
}

export interface LiveMetersOptions {
  feed: DemoMeterFeed;
  /** Publishes one message (the gateway's `wd/{uid}/readings`). */
  publish(message: ReadingsMessage): Promise<void>;
  now(): number;
  /** How often to look for a due step (default 30 s; steps come every 15 minutes). */
  checkEveryMs?: number;
  onError?(err: unknown): void;
}

/** A running live feed: `tick()` publishes what is due (also called by its timer); `stop()` ends it. */
export interface LiveMeters {
  tick(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Publishes the feed's due steps at once (catch-up from the history's end to now) and then every time
 * a step falls due. Ticks never overlap; a failed publish is retried at the next tick (the feed does
 * not move past a step it could not hand over: see `tick`).
 */
export function startLiveMeters(opts: LiveMetersOptions): LiveMeters {
  let running: Promise<number> | null = null;
  let unsent: ReadingsMessage[] = [];
  const run = async (): Promise<number> => {
    let sent = 0;
    const now = opts.now();
    do {
      // A few days of steps at a time, with an event-loop turn between: skipping a year of history
      // must not stall the BFF.
      unsent.push(...opts.feed.due(now, READINGS_PER_MESSAGE, 500));
      while (unsent.length) {
        await opts.publish(unsent[0]!);
        sent += unsent[0]!.readings.length;
        unsent.shift();
      }
      await new Promise((resolve) => setImmediate(resolve));
    } while (opts.feed.behind(now));
    return sent;
  };
  const tick = (): Promise<number> => {
    running ??= run().finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => {
    tick().catch((err: unknown) => opts.onError?.(err));
  }, opts.checkEveryMs ?? 30_000);
  timer.unref();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
      unsent = [];
    },
  };
}
