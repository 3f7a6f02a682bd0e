import crypto from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import type { Redis } from 'ioredis';
import type { AlarmStreamEvent } from '@wattdesk/shared';
import type { Logger } from '../../infra/logger';
import type { AlarmBroadcast } from './deliveries/planner';

interface Connection {
  userId: number;
  orgId: number;
  out: PassThrough;
}
/** Renders what one user's stream shows for a change (the record as 6.9 shows it, and the new badge). */
export type RenderEvent = (
  orgId: number,
  userId: number,
  alarmId: number,
  event: string,
) => Promise<AlarmStreamEvent | null>;

const TICKET_TTL_SEC = 60;
const HEARTBEAT_MS = 25_000;

/**
 * The platform channel's real-time half: Server-Sent Events to every open app. A change is published
 * on Redis, so every instance forwards it to the streams it holds. A stream is opened with a one-time
 * ticket (POST /api_3/alarm_stream_ticket), so the session token never travels in a URL.
 */
export class AlarmStreamHub implements AlarmBroadcast {
  private sub?: Redis;
  private readonly conns = new Set<Connection>();
  private heartbeat?: NodeJS.Timeout;
  private render?: RenderEvent;

  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
    private readonly log: Logger,
  ) {}

  setRenderer(render: RenderEvent): void {
    this.render = render;
  }

  async start(): Promise<void> {
    this.sub = this.redis.duplicate();
    this.sub.on('message', (_ch: string, raw: string) => void this.dispatch(raw));
    await this.sub.subscribe(this.channel);
    this.heartbeat = setInterval(() => {
      for (const c of this.conns) c.out.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const c of this.conns) c.out.end();
    this.conns.clear();
    await this.sub?.quit().catch(() => undefined);
  }

  async publish(orgId: number, alarmId: number, event: string): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify({ orgId, alarmId, event }));
  }

  private async dispatch(raw: string): Promise<void> {
    const { orgId, alarmId, event } = JSON.parse(raw) as { orgId: number; alarmId: number; event: string };
    for (const c of [...this.conns].filter((x) => x.orgId === orgId)) {
      try {
        const data = await this.render?.(orgId, c.userId, alarmId, event);
        if (data) c.out.write(`event: alarm\ndata: ${JSON.stringify(data)}\n\n`);
      } catch (err) {
        this.log.warn({ err, alarmId }, 'alarm stream event not rendered');
      }
    }
  }

  async ticket(orgId: number, userId: number): Promise<string> {
    const t = crypto.randomBytes(24).toString('base64url');
    await this.redis.set(`alarms:ticket:${t}`, JSON.stringify({ orgId, userId }), 'EX', TICKET_TTL_SEC);
    return t;
  }

  /** Redeems a ticket once; null when unknown, used or expired. */
  async redeem(ticket: string): Promise<{ orgId: number; userId: number } | null> {
    const raw = await this.redis.getdel(`alarms:ticket:${ticket}`);
    return raw ? (JSON.parse(raw) as { orgId: number; userId: number }) : null;
  }

  /**
   * Turns the request into an event stream for this user. The stream is written here, not by Koa's
   * body pipeline: an app going away mid-stream is how every stream ends, not an error to report.
   */
  attach(ctx: Context, who: { orgId: number; userId: number }, hello: unknown): void {
    const out = new PassThrough();
    const conn: Connection = { ...who, out };
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.status = 200;
    ctx.respond = false;
    ctx.res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      'X-Accel-Buffering': 'no',
    });
    out.pipe(ctx.res);
    out.write(`retry: 5000\nevent: hello\ndata: ${JSON.stringify(hello)}\n\n`);
    this.conns.add(conn);
    const drop = () => {
      this.conns.delete(conn);
      out.unpipe(ctx.res);
      out.destroy();
    };
    ctx.req.on('close', drop);
    ctx.res.on('close', drop);
  }

  get openStreams(): number {
    return this.conns.size;
  }
}
