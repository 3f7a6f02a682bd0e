import type { Redis } from 'ioredis';
import {
  bmsCommandResult,
  bmsStatusResult,
  deviceTopic,
  DeviceErrorCode,
  reactiveControlResult,
  rpcResponse,
  type CommandStatus,
  type RpcRequest,
} from '@wattdesk/shared';
import type { z } from 'zod';
import { AppError } from '../../../core/errors';
import type { Clock } from '../../../infra/clock';
import type { Logger } from '../../../infra/logger';
import type { MqttBus } from '../../../infra/mqtt/bus';
import type { CommandRow } from '../tables';
import type { AnswerValues, CommandRepository } from './repository';

type Waker = (row?: CommandRow) => void;

/**
 * Ends a command in one statement when its answer reaches the instance that sent it: stores the answer,
 * completes the record (and what else the caller needs: device state, a read-back's parent). Returns the
 * record, or undefined when the command no longer waits for an answer (late / duplicate).
 */
export type Finisher = (
  answer: AnswerValues,
  at: Date,
  sentAt: Date | null,
) => Promise<CommandRow | undefined>;

const resultSchemas: Record<string, z.ZodType> = {
  'bms.command': bmsCommandResult,
  'bms.status': bmsStatusResult,
  'reactive.set': reactiveControlResult,
  'reactive.get': reactiveControlResult,
};

/** The answer as it is recorded: a success whose result does not fit the method is a failure. */
export function checkAnswer(method: string, answer: AnswerValues): AnswerValues {
  const schema = resultSchemas[method];
  if (answer.status === 'succeeded' && schema && !schema.safeParse(answer.result).success)
    return { ...answer, status: 'failed', error: { code: -1, message: MALFORMED } };
  return answer;
}
const MALFORMED = '设备应答内容不符合协议';

/** Device error code → record status. */
export function statusForDeviceError(code: number): CommandStatus {
  if (code === DeviceErrorCode.refused) return 'refused';
  if (code === DeviceErrorCode.busy) return 'device_busy';
  return 'failed';
}

/**
 * Sends requests to devices and waits for their answers. Any BFF instance may receive an answer
 * (the database update is conditional, so exactly one stores it); the instance that asked hears of it
 * directly or through a Redis channel shared by all instances.
 */
export class CommandRelay {
  private readonly wakers = new Map<string, Set<Waker>>();
  /** Commands this instance sent and waits for, each with how it ends and when the broker took it. */
  private readonly local = new Map<string, { finish?: Finisher; acked: Promise<Date | null> }>();
  private readonly stoppers = new Set<() => void>();
  private stopping = false;

  constructor(
    private readonly repo: CommandRepository,
    private readonly bus: MqttBus | null,
    private readonly redis: Redis,
    private readonly subscriber: Redis | null,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly opts: { topicRoot: string; channel: string },
  ) {}

  /** Listens for changes made by other instances (abandoned commands are closed by the sweep job). */
  async start(): Promise<void> {
    this.subscriber?.on('message', (channel: string, id: string) => {
      if (channel === this.opts.channel) this.wake(id);
    });
    // ioredis re-subscribes after a reconnect; until then, waiters still poll at their deadline.
    await this.subscriber
      ?.subscribe(this.opts.channel)
      .catch((err: unknown) => this.log.warn({ err }, 'command channel subscription failed'));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
    for (const stop of this.stoppers) stop();
  }

  /**
   * Publishes the request and waits for the answer or the deadline; returns the record as it ends,
   * with `sentAt` (when the broker took the request; null if it never did) for the caller to store.
   */
  async call(row: CommandRow, finish?: Finisher): Promise<CommandRow> {
    if (!this.bus) throw new Error('MQTT bus is off (WD_MQTT_MODE=off)');
    const deadline = row.deadline.getTime();
    const answered = this.waitFor(
      row.id,
      (r) => r.status !== 'pending' && r.status !== 'sent',
      deadline,
      false,
    );
    const acked = this.publish(row);
    this.local.set(row.id, { finish, acked });
    const final = await answered.finally(() => this.local.delete(row.id));
    if (!final && this.stopping)
      // Shutting down: leave the record open for another instance (or the sweeper) to finish truthfully.
      throw new AppError('internal', 'BFF 正在停止，命令结果将由其他实例记录');
    const sentAt = await Promise.race([acked, new Promise<null>((r) => setTimeout(() => r(null), 1000))]);
    if (final) return { ...final, sentAt: final.sentAt ?? sentAt };
    return (await this.repo.markTimedOut(row.id, sentAt)) ?? (await this.repo.find(row.id))!;
  }

  /** Publishes a request; resolves with the time the broker acknowledged it (null if it failed). */
  private publish(row: CommandRow): Promise<Date | null> {
    const request: RpcRequest = {
      id: row.id,
      method: row.method,
      params: row.params,
      deadline: row.deadline.getTime(),
    };
    return this.bus!.publish(
      deviceTopic(row.deviceUid, 'rpc/request', this.opts.topicRoot),
      JSON.stringify(request),
    ).then(
      () => this.clock.now(),
      (err: unknown) => {
        this.log.warn({ err, id: row.id }, 'publishing a device request failed');
        return null;
      },
    );
  }

  /** Re-publishes commands still waiting for a device that just came back (the device runs each id once). */
  async republishOpen(uid: string): Promise<void> {
    if (!this.bus) return;
    for (const row of await this.repo.openFor(uid, this.clock.now())) {
      this.log.info({ id: row.id, uid }, 're-publishing a waiting request after the device reconnected');
      void this.publish(row);
    }
  }

  /**
   * Resolves with the record once `done(record)` holds, or with null at `untilMs`. Woken by this
   * instance's own answers (with the row) and by other instances (re-read).
   */
  waitFor(
    id: string,
    done: (r: CommandRow) => boolean,
    untilMs: number,
    checkNow = true,
  ): Promise<CommandRow | null> {
    return new Promise((resolve) => {
      let finished = false;
      const finish = (r: CommandRow | null) => {
        if (finished) return;
        finished = true;
        this.stoppers.delete(stop);
        clearTimeout(timer);
        this.wakers.get(id)?.delete(waker);
        if (this.wakers.get(id)?.size === 0) this.wakers.delete(id);
        resolve(r);
      };
      const check = async (row?: CommandRow) => {
        const r = row ?? (await this.repo.find(id));
        if (r && done(r)) finish(r);
      };
      const waker: Waker = (row) => void check(row).catch(() => undefined);
      const timer = setTimeout(() => finish(null), Math.max(0, untilMs - this.clock.now().getTime()));
      const stop = () => finish(null);
      this.stoppers.add(stop);
      if (!this.wakers.has(id)) this.wakers.set(id, new Set());
      this.wakers.get(id)!.add(waker);
      if (checkNow) void check().catch(() => undefined);
    });
  }

  /**
   * Tells waiters that a record changed: here at once, and on every other instance through Redis when
   * someone there may wait for it — a repeated tap (only commands with an Idempotency-Key have those)
   * or, when `elsewhere`, the instance that sent a command whose answer was stored here.
   */
  changed(row: CommandRow, elsewhere = false): void {
    this.wake(row.id, row);
    if (elsewhere || row.idempotencyKey !== null)
      this.redis.publish(this.opts.channel, row.id).catch(() => undefined);
  }

  private wake(id: string, row?: CommandRow): void {
    for (const w of this.wakers.get(id) ?? []) w(row);
  }

  /** Handles one `rpc/response` (each transmission reaches exactly one instance's handler). */
  async handleResponse(uid: string, payload: Buffer): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      this.log.warn({ uid }, 'device response is not JSON; ignored');
      return;
    }
    const parsed = rpcResponse.safeParse(body);
    if (!parsed.success) {
      this.log.warn({ uid }, 'device response does not follow the protocol; ignored');
      return;
    }
    const msg = parsed.data as { id: string; result?: unknown; error?: { code: number; message: string } };
    const now = this.clock.now();
    const answer: AnswerValues = msg.error
      ? { status: statusForDeviceError(msg.error.code), result: null, error: msg.error }
      : { status: 'succeeded', result: msg.result ?? null, error: null };
    const mine = this.local.get(msg.id);
    if (mine?.finish) {
      // Sent from here: answer and completion in one statement (the broker's ack is all but always in).
      const sentAt = await Promise.race([
        mine.acked,
        new Promise<null>((r) => setTimeout(() => r(null), 1000)),
      ]);
      const done = await mine.finish(answer, now, sentAt);
      if (done) return this.changed(done);
    } else {
      let row = await this.repo.answer(msg.id, uid, answer, now);
      if (row) {
        if (checkAnswer(row.method, answer).status !== row.status)
          row = (await this.repo.markMalformed(row.id, MALFORMED)) ?? row;
        this.changed(row, !mine);
        return;
      }
    }
    const existing = await this.repo.find(msg.id);
    if (!existing || existing.deviceUid !== uid) {
      this.log.warn({ uid, id: msg.id }, 'response to an unknown request; ignored');
      return;
    }
    if (existing.status === 'pending' || existing.status === 'sent') {
      const timedOut = await this.repo.markTimedOut(existing.id);
      if (timedOut) this.changed(timedOut, true);
    }
    if (await this.repo.recordLate(existing.id, body, now)) {
      this.log.info({ uid, id: msg.id }, 'late response kept on the timed-out record');
    } else {
      await this.repo.countDuplicate(existing.id);
      this.log.info({ uid, id: msg.id }, 'duplicate response ignored');
    }
  }

  /**
   * The sweep job (`devices.commands-sweep`, a cron tick every minute on one instance): closes the
   * commands whose instance died before ending them — open ones become `timed_out`, a BMS command
   * without its read-back gets `回读未完成` — once their `answer_by` has passed. Waiters anywhere are told.
   * A failure throws, so the job runner retries it and shows it.
   */
  async sweep(): Promise<string[]> {
    const now = this.clock.now();
    const ids = await this.repo.sweep(new Date(now.getTime() - 1000), now);
    for (const id of ids) {
      this.log.warn({ id }, 'closed a command abandoned by its instance as timed out');
      this.wake(id);
      await this.redis.publish(this.opts.channel, id);
    }
    return ids;
  }
}
