import { and, count, desc, eq, getTableColumns, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { BmsStatus, CommandStatus } from '@wattdesk/shared';
import type { Db } from '../../../infra/db/client';
import { deviceCommands, devices, type CommandRow } from '../tables';
import type { DomainEventTypes, Events, Tx } from '../../../platform/contract';

export type NewCommand = typeof deviceCommands.$inferInsert;

/** A device's answer as stored on its record. */
export interface AnswerValues {
  status: CommandStatus;
  result: unknown;
  error: { code: number; message: string } | null;
}

/** Everything that ends a command once its (last) answer is in, written in one statement. */
export interface FinishInput {
  /** The command as it waits for its answer (its identity goes into the completion event). */
  command: CommandRow;
  answer: AnswerValues;
  at: Date;
  sentAt: Date | null;
  /** The device state the answer carries (stored on the device row in the same statement). */
  state?: { deviceId: number; deviceKind: string; kind: 'bms' | 'reactive'; value: unknown };
  /** A read-back: its parent command is completed with the state read (or the reason it is missing). */
  parent?: { row: CommandRow; readback: BmsStatus | null; readbackError: string | null };
}

/** `device.command.completed` of a command ending with `outcome` (and, for a BMS command, its read-back). */
function completedPayload(
  row: Pick<CommandRow, 'id' | 'deviceId' | 'deviceUid' | 'method' | 'userId'>,
  outcome: CommandStatus,
  readback: BmsStatus | null,
): DomainEventTypes['device.command.completed'] {
  return {
    commandId: row.id,
    deviceId: row.deviceId,
    deviceUid: row.deviceUid,
    method: row.method,
    outcome,
    userId: row.userId,
    ...(readback ? { readback: { ...readback } } : {}),
  };
}

const commandColumns = Object.entries(getTableColumns(deviceCommands));

/** A raw `device_commands` row (snake_case, driver values) as Drizzle would return it. */
function toCommandRow(raw: Record<string, unknown>): CommandRow {
  const row: Record<string, unknown> = {};
  for (const [key, col] of commandColumns) {
    const v = raw[col.name];
    row[key] = v === null || v === undefined ? null : col.mapFromDriverValue(v);
  }
  return row as CommandRow;
}

/**
 * A new command's row as the database stores it: the given values, and for the rest the columns'
 * defaults (null, 0, 'user'). Lets the hot path insert without reading the row back.
 */
function newRow(values: NewCommand): CommandRow {
  return {
    parentId: null,
    userId: null,
    userName: null,
    ip: null,
    idempotencyKey: null,
    requestHash: null,
    params: {},
    requestedAt: new Date(),
    sentAt: null,
    answeredAt: null,
    completedAt: null,
    result: null,
    error: null,
    readback: null,
    readbackError: null,
    lateResponse: null,
    lateAt: null,
    duplicateResponses: 0,
    origin: 'user',
    ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)),
  } as CommandRow;
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const OPEN: CommandStatus[] = ['pending', 'sent'];

/** The only code that reads or writes command records. Conditional updates make each transition happen once. */
export class CommandRepository {
  /** The hot path's insert, built once: Drizzle building a 19-column insert per command cost more than its round trip. */
  private readonly insertQuery;
  /** The same insert, for the organization's online EMS controller found by uid (the usual command). */
  private readonly insertForOnlineEmsQuery;

  constructor(
    private readonly db: Db,
    private readonly events: Events,
  ) {
    const p = sql.placeholder;
    const t = (name: string) => sql`${p(name)}::timestamptz`;
    this.insertQuery = db
      .insert(deviceCommands)
      .values({
        id: sql`${p('id')}::uuid`,
        orgId: sql`${p('orgId')}::int`,
        deviceId: sql`${p('deviceId')}::int`,
        deviceUid: sql`${p('deviceUid')}::text`,
        parentId: sql`${p('parentId')}::uuid`,
        userId: sql`${p('userId')}::int`,
        userName: sql`${p('userName')}::text`,
        ip: sql`${p('ip')}::text`,
        idempotencyKey: sql`${p('idempotencyKey')}::text`,
        requestHash: sql`${p('requestHash')}::text`,
        method: sql`${p('method')}::text`,
        params: sql`${p('params')}::jsonb`,
        stateChanging: sql`${p('stateChanging')}::boolean`,
        status: sql`${p('status')}::text`,
        requestedAt: t('requestedAt'),
        deadline: t('deadline'),
        answerBy: t('answerBy'),
        completedAt: t('completedAt'),
        origin: sql`${p('origin')}::text`,
      })
      .onConflictDoNothing()
      .returning({ id: deviceCommands.id })
      .prepare('device_command_insert');
    // Every column in the table's order (Drizzle inserts a select into all of them).
    this.insertForOnlineEmsQuery = db
      .insert(deviceCommands)
      .select(
        sql`select ${p('id')}::uuid, d.org_id, d.id, d.device_uid, ${p('parentId')}::uuid, ${p('userId')}::int,
                   ${p('userName')}::text, ${p('ip')}::text, ${p('idempotencyKey')}::text, ${p('requestHash')}::text,
                   ${p('method')}::text, ${p('params')}::jsonb, ${p('stateChanging')}::boolean, ${p('status')}::text,
                   ${t('requestedAt')}, ${t('deadline')}, ${t('answerBy')}, null::timestamptz, null::timestamptz,
                   ${t('completedAt')}, null::jsonb, null::jsonb, null::jsonb, null::text, null::jsonb,
                   null::timestamptz, 0, ${p('origin')}::text
              from ${devices} d
             where d.org_id = ${p('orgId')}::int and d.device_uid = ${p('deviceUid')}::text
               and d.online and d.kind = 'ems'`,
      )
      .onConflictDoNothing()
      .returning({ deviceId: deviceCommands.deviceId })
      .prepare('device_command_insert_online_ems');
  }

  /** Announces a command's final outcome (`device.command.completed`) in the closing transaction. */
  private async completedEvent(tx: Tx, row: CommandRow): Promise<void> {
    await this.events.emit(
      tx,
      'device.command.completed',
      row.orgId,
      completedPayload(row, row.status, row.readback),
    );
  }

  /**
   * Inserts a command, and with it claims the device when it changes state (the partial unique index
   * allows one such command in flight per device): one statement, no exception on the hot path.
   * Undefined when refused — by the idempotency key or by a command already in flight; the caller
   * tells them apart by looking the key up (only on this rare path).
   */
  async insert(values: NewCommand): Promise<CommandRow | undefined> {
    const row = newRow(values);
    const [inserted] = await this.insertQuery.execute({ ...row, params: JSON.stringify(row.params) });
    return inserted ? row : undefined;
  }

  /**
   * Records a command for the organization's EMS controller `deviceUid` if it is online — the device
   * lookup and the insert (with its claim) in one statement. Undefined when nothing was recorded: no
   * such device, not an EMS controller, offline, busy or the key taken (the caller finds out which).
   */
  async insertForOnlineEms(values: Omit<NewCommand, 'deviceId'>): Promise<CommandRow | undefined> {
    const row = newRow({ ...values, deviceId: 0 });
    const [inserted] = await this.insertForOnlineEmsQuery.execute({
      ...row,
      params: JSON.stringify(row.params),
    });
    return inserted ? { ...row, deviceId: inserted.deviceId } : undefined;
  }

  async find(id: string): Promise<CommandRow | undefined> {
    const [row] = await this.db.select().from(deviceCommands).where(eq(deviceCommands.id, id));
    return row;
  }

  async findByKey(userId: number, key: string): Promise<CommandRow | undefined> {
    const [row] = await this.db
      .select()
      .from(deviceCommands)
      .where(and(eq(deviceCommands.userId, userId), eq(deviceCommands.idempotencyKey, key)));
    return row;
  }

  /** Stores the device's answer if the command still waits for one; undefined when it does not. */
  async answer(
    id: string,
    uid: string,
    values: { status: CommandStatus; result: unknown; error: { code: number; message: string } | null },
    at: Date,
  ): Promise<CommandRow | undefined> {
    const [row] = await this.db
      .update(deviceCommands)
      .set({ ...values, answeredAt: at })
      .where(
        and(
          eq(deviceCommands.id, id),
          eq(deviceCommands.deviceUid, uid),
          inArray(deviceCommands.status, OPEN),
          gt(deviceCommands.deadline, at),
        ),
      )
      .returning();
    return row;
  }

  /**
   * Stores the answer and completes the command in one statement (one round trip, one commit) — and,
   * when given, stores the device state it carries and completes the read-back's parent. Conditional
   * like `answer()`: undefined when the command no longer waits for an answer (late / duplicate).
   * The events (the completed command and parent, the stored device state) are CTEs of the same
   * statement, each written exactly when the row it announces is: consumers see what committed.
   * Returns the command's row and, for a read-back, the parent's.
   */
  async finish(input: FinishInput): Promise<{ row: CommandRow; parent?: CommandRow } | undefined> {
    const { command, answer, at, sentAt, state, parent } = input;
    const ev = this.events;
    const id = command.id;
    let stateSql = sql``;
    if (state) {
      const value = { ...(state.value as Record<string, unknown>) };
      const telemetry: DomainEventTypes['device.telemetry'] = {
        deviceId: state.deviceId,
        deviceUid: command.deviceUid,
        kind: state.deviceKind,
        ts: at.getTime(),
        ...(state.kind === 'bms' && typeof value['alarm_status'] === 'number'
          ? { bms: { ...value, alarm_status: value['alarm_status'] } }
          : {}),
        data: value,
      };
      const set =
        state.kind === 'bms'
          ? sql`bms_state = ${json(state.value)}::jsonb, bms_synced_at = ${at}`
          : sql`reactive_state = ${json(state.value)}::jsonb, reactive_synced_at = ${at}`;
      stateSql = sql`, d as (update devices set ${set}, last_seen_at = ${at}
                 where id = ${state.deviceId} and exists (select 1 from c) returning id),
        de as (${ev.insertFrom('device.telemetry', command.orgId, telemetry, sql`d`)})`;
    }
    const parentSql = parent
      ? sql`, p as (update device_commands set completed_at = ${at}, sent_at = coalesce(${parent.row.sentAt}, sent_at),
                 readback = ${json(parent.readback)}::jsonb, readback_error = ${parent.readbackError}
               where id = ${parent.row.id} and completed_at is null and exists (select 1 from c) returning *),
        pe as (${ev.insertFrom(
          'device.command.completed',
          parent.row.orgId,
          completedPayload(parent.row, parent.row.status, parent.readback),
          sql`p`,
        )})`
      : sql``;
    const res = await this.db.execute(sql`
      with c as (
        update device_commands
           set status = ${answer.status}, result = ${json(answer.result)}::jsonb, error = ${json(answer.error)}::jsonb,
               answered_at = ${at}, completed_at = ${at}, sent_at = coalesce(${sentAt}, sent_at)
         where id = ${id} and device_uid = ${command.deviceUid} and status in ('pending', 'sent') and deadline > ${at}
           and completed_at is null
        returning *),
      ce as (${ev.insertFrom('device.command.completed', command.orgId, completedPayload(command, answer.status, null), sql`c`)})
      ${stateSql}${parentSql}
      select * from c${parent ? sql` union all select * from p` : sql``}`);
    const rows = (res as unknown as { rows: Record<string, unknown>[] }).rows.map(toCommandRow);
    const row = rows.find((r) => r.id === id);
    if (!row) return undefined;
    ev.emitted('device.command.completed');
    if (state) ev.emitted('device.telemetry');
    return { row, parent: rows.find((r) => r.id !== id) };
  }

  /**
   * Stores a command's answer and, when it succeeded, records its read-back request in the same
   * statement (one commit; the read-back is durable before it is sent). Conditional like `answer()`.
   */
  async answerWithReadback(input: {
    id: string;
    uid: string;
    answer: AnswerValues;
    at: Date;
    sentAt: Date | null;
    readback: NewCommand;
  }): Promise<{ row: CommandRow; readback?: CommandRow } | undefined> {
    const { id, uid, answer, at, sentAt } = input;
    const k = newRow(input.readback);
    const res = await this.db.execute(sql`
      with c as (
        update device_commands
           set status = ${answer.status}, result = ${json(answer.result)}::jsonb, error = ${json(answer.error)}::jsonb,
               answered_at = ${at}, sent_at = coalesce(${sentAt}, sent_at)
         where id = ${id} and device_uid = ${uid} and status in ('pending', 'sent') and deadline > ${at}
        returning *),
      k as (insert into device_commands (id, org_id, device_id, device_uid, parent_id, user_id, user_name, ip,
              method, params, state_changing, status, requested_at, deadline, answer_by, origin)
            select ${k.id}::uuid, ${k.orgId}::int, ${k.deviceId}::int, ${k.deviceUid}, ${k.parentId}::uuid,
              ${k.userId}::int, ${k.userName}, ${k.ip}, ${k.method}, ${json(k.params)}::jsonb, ${k.stateChanging},
              ${k.status}, ${k.requestedAt}::timestamptz, ${k.deadline}::timestamptz, ${k.answerBy}::timestamptz,
              ${k.origin}
              from c where c.status = 'succeeded'
        returning id)
      select c.*, (select count(*) from k)::int as readback_recorded from c`);
    const [raw] = (res as unknown as { rows: Record<string, unknown>[] }).rows;
    if (!raw) return undefined;
    const { readback_recorded: recorded, ...rest } = raw;
    return { row: toCommandRow(rest), readback: recorded ? k : undefined };
  }

  /** Marks a command timed out unless it was answered first. */
  async markTimedOut(id: string, sentAt: Date | null = null): Promise<CommandRow | undefined> {
    const [row] = await this.db
      .update(deviceCommands)
      .set({ status: 'timed_out', ...(sentAt ? { sentAt } : {}) })
      .where(and(eq(deviceCommands.id, id), inArray(deviceCommands.status, OPEN)))
      .returning();
    return row;
  }

  /** Keeps the first answer that came after the deadline (the status stays `timed_out`). */
  async recordLate(id: string, payload: unknown, at: Date): Promise<boolean> {
    const rows = await this.db
      .update(deviceCommands)
      .set({ lateResponse: payload, lateAt: at })
      .where(
        and(eq(deviceCommands.id, id), eq(deviceCommands.status, 'timed_out'), isNull(deviceCommands.lateAt)),
      )
      .returning({ id: deviceCommands.id });
    return rows.length > 0;
  }

  async countDuplicate(id: string): Promise<void> {
    await this.db
      .update(deviceCommands)
      .set({ duplicateResponses: sql`${deviceCommands.duplicateResponses} + 1` })
      .where(eq(deviceCommands.id, id));
  }

  /** Overrides an answer whose content the device got wrong (a result not matching the method). */
  async markMalformed(id: string, message: string): Promise<CommandRow | undefined> {
    const [row] = await this.db
      .update(deviceCommands)
      .set({ status: 'failed', error: { code: -1, message } })
      .where(and(eq(deviceCommands.id, id), eq(deviceCommands.status, 'succeeded')))
      .returning();
    return row;
  }

  /** Closes the operation: the HTTP answer is derived from the record from now on. */
  async complete(
    id: string,
    at: Date,
    sentAt: Date | null,
    readback?: { state: BmsStatus | null; error: string | null },
  ): Promise<CommandRow | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(deviceCommands)
        .set({
          completedAt: at,
          ...(sentAt ? { sentAt } : {}),
          ...(readback ? { readback: readback.state, readbackError: readback.error } : {}),
        })
        .where(and(eq(deviceCommands.id, id), isNull(deviceCommands.completedAt)))
        .returning();
      if (row) await this.completedEvent(tx, row);
      return row;
    });
  }

  /** Commands still waiting for a device (re-published when it reconnects). */
  async openFor(uid: string, now: Date): Promise<CommandRow[]> {
    return this.db
      .select()
      .from(deviceCommands)
      .where(
        and(
          eq(deviceCommands.deviceUid, uid),
          inArray(deviceCommands.status, OPEN),
          gt(deviceCommands.deadline, now),
        ),
      );
  }

  /** Closes operations whose instance died: open ones become `timed_out`. Returns their ids. */
  async sweep(before: Date, at: Date): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(deviceCommands)
        .set({
          status: sql`case when ${deviceCommands.status} in ('pending', 'sent') then 'timed_out' else ${deviceCommands.status} end`,
          completedAt: at,
          readbackError: sql`case when ${deviceCommands.method} = 'bms.command' and ${deviceCommands.status} = 'succeeded' and ${deviceCommands.readback} is null then coalesce(${deviceCommands.readbackError}, '回读未完成') else ${deviceCommands.readbackError} end`,
        })
        .where(and(isNull(deviceCommands.completedAt), lt(deviceCommands.answerBy, before)))
        .returning();
      for (const row of rows) await this.completedEvent(tx, row);
      return rows.map((r) => r.id);
    });
  }

  /** A device's commands, newest first (read-backs are shown on their command). */
  async history(
    orgId: number,
    deviceId: number,
    limit: number,
    offset: number,
    includeAuto = false,
  ): Promise<{ rows: CommandRow[]; total: number }> {
    const where = and(
      eq(deviceCommands.orgId, orgId),
      eq(deviceCommands.deviceId, deviceId),
      isNull(deviceCommands.parentId),
      includeAuto ? undefined : eq(deviceCommands.origin, 'user'),
    );
    const rows = await this.db
      .select()
      .from(deviceCommands)
      .where(where)
      .orderBy(desc(deviceCommands.requestedAt), desc(deviceCommands.id))
      .limit(limit)
      .offset(offset);
    const [total] = await this.db.select({ n: count() }).from(deviceCommands).where(where);
    return { rows, total: Number(total?.n ?? 0) };
  }
}
