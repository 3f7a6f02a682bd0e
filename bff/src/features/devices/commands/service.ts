import crypto from 'node:crypto';
import {
  bmsStatusResult,
  reactiveControlResult,
  type BmsControlBody,
  type BmsControlData,
  type BmsStatus,
  type CommandRecord,
  type ReactivePowerControlBody,
  type ReactivePowerControlData,
  type RpcMethod,
} from '@wattdesk/shared';
import { AppError, forbidden, invalid, notFound } from '../../../core/errors';
import type { Actor } from '../../../core/auth/actor';
import type { Clock } from '../../../infra/clock';
import type { RequestOrigin } from '../../accounts/service';
import type { DeviceRepository } from '../registry/repository';
import type { DeviceRegistry } from '../registry/service';
import { permissionForBmsCommand, DevicePermissions } from '../permissions';
import type { CommandRow, DeviceRow } from '../tables';
import type { AnswerValues, CommandRepository, FinishInput, NewCommand } from './repository';
import { checkAnswer, type CommandRelay, type Finisher } from './relay';
import { outcomeOf, presentCommand } from './present';

/** Who asks, from where, and the repeated-tap key they sent. */
export interface CommandContext {
  actor: Actor;
  origin: RequestOrigin;
  idempotencyKey?: string;
  /** A read the app made by itself (page open), not the user's command; ignored for state changes. */
  automatic?: boolean;
}

/** What a command needs of its device once it is recorded. */
type CommandDevice = Pick<DeviceRow, 'id' | 'kind' | 'deviceUid'>;

interface RunCommand {
  ctx: CommandContext;
  /** The EMS controller's uid, as the request names it. */
  uid: string;
  method: RpcMethod;
  params: Record<string, unknown>;
  stateChanging: boolean;
  readback: boolean;
}

const stable = (v: unknown): string => JSON.stringify(v, Object.keys(v as object).sort());

/**
 * Seed 000/001 commands: validate rights, record the command durably, relay it, wait for the device
 * (and read the BMS state back), store the outcome. The record is the truth the answer is derived from.
 */
export class CommandService {
  constructor(
    private readonly repo: CommandRepository,
    private readonly devices: DeviceRepository,
    private readonly registry: DeviceRegistry,
    private readonly relay: CommandRelay,
    private readonly clock: Clock,
    private readonly opts: { timeoutMs: number },
  ) {}

  /** POST /bms-control: fault reset or contactor, then the state read back. */
  async bmsControl(ctx: CommandContext, body: BmsControlBody): Promise<CommandRow> {
    const permission = permissionForBmsCommand(body.command);
    if (!ctx.actor.permissions.has(permission)) throw forbidden(permission);
    return this.run({
      ctx,
      uid: body.device_uid,
      method: 'bms.command',
      params: { command: body.command },
      stateChanging: true,
      readback: true,
    });
  }

  /** POST /reactive-power-control: the device answers with the control it now applies. */
  async reactiveControl(ctx: CommandContext, body: ReactivePowerControlBody): Promise<CommandRow> {
    if (!ctx.actor.permissions.has(DevicePermissions.reactive)) throw forbidden(DevicePermissions.reactive);
    const { device_uid: uid, ...params } = body;
    const row = await this.run({
      ctx,
      uid,
      method: 'reactive.set',
      params,
      stateChanging: true,
      readback: false,
    });
    return row;
  }

  /** PUT /bms-control/sync. */
  async syncBms(ctx: CommandContext, uid: string): Promise<BmsControlData> {
    const row = await this.run({
      ctx,
      uid,
      method: 'bms.status',
      params: {},
      stateChanging: false,
      readback: false,
    });
    outcomeOf(row);
    return { device_uid: uid, ...bmsStatusResult.parse(row.result) };
  }

  /** PUT /reactive-power-control/sync. */
  async syncReactive(ctx: CommandContext, uid: string): Promise<ReactivePowerControlData> {
    const row = await this.run({
      ctx,
      uid,
      method: 'reactive.get',
      params: {},
      stateChanging: false,
      readback: false,
    });
    outcomeOf(row);
    return { device_uid: uid, ...reactiveControlResult.parse(row.result) };
  }

  /** GET /bms-control: the stored state, no device round trip. */
  async storedBms(actor: Actor, uid: string): Promise<BmsControlData> {
    const device = await this.emsDevice(actor, uid);
    if (!device.bmsState)
      throw notFound(`设备 ${uid} 尚无已同步的BMS状态（请先 PUT /bms-control/sync），该数据`);
    return { device_uid: uid, ...device.bmsState };
  }

  /** GET /reactive-power-control: the stored control, no device round trip. */
  async storedReactive(actor: Actor, uid: string): Promise<ReactivePowerControlData> {
    const device = await this.emsDevice(actor, uid);
    if (!device.reactiveState)
      throw notFound(
        `设备 ${uid} 尚无已同步的无功治理控制（请先下发或 PUT /reactive-power-control/sync），该数据`,
      );
    return { device_uid: uid, ...device.reactiveState };
  }

  /** Extension GET /device-commands: a device's command history, newest first. */
  async history(actor: Actor, uid: string, page: number, pageSize: number, includeAuto = false) {
    const device = await this.registry.get(actor, uid);
    const { rows, total } = await this.repo.history(
      actor.orgId,
      device.id,
      pageSize,
      (page - 1) * pageSize,
      includeAuto,
    );
    const items: CommandRecord[] = rows.map(presentCommand);
    return { total, page, page_size: pageSize, items };
  }

  private async emsDevice(actor: Actor, uid: string): Promise<DeviceRow> {
    const device = await this.registry.get(actor, uid);
    if (device.kind !== 'ems') throw invalid('device_uid', `设备 ${uid} 是计量网关，不是 EMS 控制器`);
    return device;
  }

  private async run(cmd: RunCommand): Promise<CommandRow> {
    const { ctx, uid } = cmd;
    const key = ctx.idempotencyKey;
    const requestHash = crypto
      .createHash('sha256')
      .update(`${uid}\n${cmd.method}\n${stable(cmd.params)}`)
      .digest('hex');
    const now = this.clock.now();
    const deadline = new Date(now.getTime() + this.opts.timeoutMs);
    const answerBy = new Date(deadline.getTime() + (cmd.readback ? this.opts.timeoutMs : 0) + 2000);
    const command = {
      id: crypto.randomUUID(),
      orgId: ctx.actor.orgId,
      deviceUid: uid,
      userId: ctx.actor.userId,
      userName: ctx.actor.userName,
      ip: ctx.origin.ip,
      idempotencyKey: key ?? null,
      requestHash,
      method: cmd.method,
      params: cmd.params,
      stateChanging: cmd.stateChanging,
      requestedAt: now,
      deadline,
      answerBy,
      origin: ctx.automatic && !cmd.stateChanging ? ('auto' as const) : ('user' as const),
    };
    // The usual case in one statement: the organization's online EMS controller is looked up and the
    // command recorded, claiming the device (one state change in flight).
    let row = await this.repo.insertForOnlineEms({ ...command, status: 'pending' });
    let device: CommandDevice;
    if (row) device = { id: row.deviceId, kind: 'ems', deviceUid: uid };
    else {
      // Not recorded: unknown device (404), a gateway (400), offline, busy or a repeated tap.
      const found = await this.emsDevice(ctx.actor, uid);
      device = found;
      const base = { ...command, deviceId: found.id, deviceUid: found.deviceUid };
      if (!found.online) return this.refuse(base, 'not_sent_offline', requestHash);
      row = await this.repo.insert({ ...base, status: 'pending' });
      if (!row) {
        const existing = key ? await this.repo.findByKey(ctx.actor.userId, key) : undefined;
        if (existing) return this.replay(existing, requestHash);
        return this.refuse(base, 'not_sent_busy', requestHash);
      }
    }
    const recorded = row;
    // Without a read-back, the answer ends the command: stored, completed and its state kept at once.
    // With one, the answer and the read-back's record are stored in one statement.
    let readbackRow: CommandRow | undefined;
    const answered = await this.relay.call(
      recorded,
      cmd.readback
        ? async (raw, at, sentAt) => {
            const done = await this.repo.answerWithReadback({
              id: recorded.id,
              uid: device.deviceUid,
              answer: checkAnswer(recorded.method, raw),
              at,
              sentAt,
              readback: this.readbackRecord(recorded, at),
            });
            readbackRow = done?.readback;
            return done?.row;
          }
        : this.finisher(recorded, device, (answer) => ({
            state: this.stateOf(device, recorded.method, answer),
          })),
    );
    if (answered.completedAt) return answered;
    let readback: { state: BmsStatus | null; error: string | null } | undefined;
    if (cmd.readback && answered.status === 'succeeded') {
      const rb = await this.readBack(answered, device, readbackRow);
      if ('parent' in rb) return rb.parent;
      readback = rb;
    }
    const [done] = await Promise.all([
      this.repo.complete(answered.id, this.clock.now(), answered.sentAt, readback).then((r) => r ?? answered),
      answered.status === 'succeeded' ? this.storeState(device, answered) : undefined,
    ]);
    this.relay.changed(done);
    return done;
  }

  /** A command not sent (offline / busy) is still recorded, with the key, and answered from the record. */
  private async refuse(
    base: Omit<NewCommand, 'status'>,
    status: 'not_sent_offline' | 'not_sent_busy',
    requestHash: string,
  ): Promise<CommandRow> {
    const row = await this.repo.insert({
      ...base,
      stateChanging: false,
      status,
      completedAt: base.requestedAt,
    });
    if (row) return row;
    return this.replay((await this.repo.findByKey(base.userId!, base.idempotencyKey!))!, requestHash);
  }

  /** A repeated tap: the first command's answer, waiting for it when it is still running. Never sends. */
  private async replay(existing: CommandRow, requestHash: string): Promise<CommandRow> {
    if (existing.requestHash !== requestHash)
      throw new AppError('conflict', 'Idempotency-Key 已用于另一个不同的请求', {
        field: 'Idempotency-Key',
        rule: '同一个 Idempotency-Key 只能用于同一个请求',
      });
    if (existing.completedAt) return existing;
    const done = await this.relay.waitFor(
      existing.id,
      (r) => r.completedAt !== null,
      existing.answerBy.getTime() + 1500,
    );
    return done ?? (await this.repo.find(existing.id))!;
  }

  /** A finisher for `row`: its checked answer, plus what `extra` adds to the one statement. */
  private finisher(
    row: CommandRow,
    device: CommandDevice,
    extra: (answer: AnswerValues) => Pick<FinishInput, 'state' | 'parent'>,
    onDone?: (parent: CommandRow | undefined) => void,
  ): Finisher {
    return async (raw, at, sentAt) => {
      const answer = checkAnswer(row.method, raw);
      const done = await this.repo.finish({
        command: row,
        answer,
        at,
        sentAt,
        ...extra(answer),
      });
      if (done) onDone?.(done.parent);
      return done?.row;
    };
  }

  /** The device state a successful answer carries, to store on the device row. */
  private stateOf(device: CommandDevice, method: string, answer: AnswerValues): FinishInput['state'] {
    if (answer.status !== 'succeeded') return undefined;
    if (method === 'bms.status') {
      const s = bmsStatusResult.safeParse(answer.result);
      return s.success
        ? { deviceId: device.id, deviceKind: device.kind, kind: 'bms', value: s.data }
        : undefined;
    }
    if (method === 'reactive.set' || method === 'reactive.get') {
      const c = reactiveControlResult.safeParse(answer.result);
      return c.success
        ? { deviceId: device.id, deviceKind: device.kind, kind: 'reactive', value: c.data }
        : undefined;
    }
    return undefined;
  }

  /** The read-back as its parent records it. */
  private static readbackOf(row: Pick<CommandRow, 'status' | 'result' | 'error'>): {
    state: BmsStatus | null;
    error: string | null;
  } {
    const state = bmsStatusResult.safeParse(row.result);
    if (row.status !== 'succeeded' || !state.success)
      return {
        state: null,
        error: row.status === 'timed_out' ? '超时未应答' : (row.error?.message ?? '回读失败'),
      };
    return { state: state.data, error: null };
  }

  /**
   * Reads the BMS state after a command, as its own recorded request. When its answer reaches this
   * instance, one statement stores it, completes it and the parent, and keeps the state (`parent` is
   * then the completed parent); otherwise the caller completes the parent with the returned read-back.
   */
  /** The read-back request of a command, as its own record (sent once the command succeeded). */
  private readbackRecord(parent: CommandRow, now: Date): NewCommand {
    return {
      id: crypto.randomUUID(),
      orgId: parent.orgId,
      deviceId: parent.deviceId,
      deviceUid: parent.deviceUid,
      parentId: parent.id,
      userId: parent.userId,
      userName: parent.userName,
      ip: parent.ip,
      method: 'bms.status',
      params: {},
      stateChanging: false,
      status: 'pending',
      requestedAt: now,
      deadline: new Date(now.getTime() + this.opts.timeoutMs),
      answerBy: new Date(now.getTime() + this.opts.timeoutMs + 2000),
    };
  }

  private async readBack(
    parent: CommandRow,
    device: CommandDevice,
    recorded?: CommandRow,
  ): Promise<{ state: BmsStatus | null; error: string | null } | { parent: CommandRow }> {
    const readback = recorded ?? (await this.repo.insert(this.readbackRecord(parent, this.clock.now())));
    if (!readback) return { state: null, error: '回读请求未能记录' };
    let completedParent: CommandRow | undefined;
    const finish = this.finisher(
      readback,
      device,
      (answer) => {
        const rb = CommandService.readbackOf(answer);
        return {
          state: this.stateOf(device, 'bms.status', answer),
          parent: { row: parent, readback: rb.state, readbackError: rb.error },
        };
      },
      (p) => (completedParent = p),
    );
    const row = await this.relay.call(readback, finish);
    if (row.completedAt && completedParent) {
      this.relay.changed(completedParent);
      return { parent: completedParent };
    }
    if (!row.completedAt) await this.repo.complete(row.id, this.clock.now(), row.sentAt);
    const rb = CommandService.readbackOf(row);
    if (rb.state) await this.devices.saveBmsState(device.id, rb.state, this.clock.now());
    return rb;
  }

  private async storeState(device: CommandDevice, row: CommandRow): Promise<void> {
    const at = row.answeredAt ?? this.clock.now();
    if (row.method === 'bms.status') {
      const s = bmsStatusResult.safeParse(row.result);
      if (s.success) await this.devices.saveBmsState(device.id, s.data, at);
    } else if (row.method === 'reactive.set' || row.method === 'reactive.get') {
      const c = reactiveControlResult.safeParse(row.result);
      if (c.success) await this.devices.saveReactiveState(device.id, c.data, at);
    }
  }
}
