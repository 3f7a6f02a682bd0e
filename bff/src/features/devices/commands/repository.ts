import { and, count, desc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { BmsStatus, CommandStatus } from '@wattdesk/shared';
import type { Db } from '../../../infra/db/client';
import { deviceCommands, type CommandRow } from '../tables';
import { isUniqueViolation } from '../../../core/errors';

export type NewCommand = typeof deviceCommands.$inferInsert;
/** What an insert did: stored, or refused by the idempotency key or the one-in-flight rule. */
export type InsertOutcome = { row: CommandRow } | { conflict: 'idempotency' } | { conflict: 'busy' };

const OPEN: CommandStatus[] = ['pending', 'sent'];

/** The only code that reads or writes command records. Conditional updates make each transition happen once. */
export class CommandRepository {
  constructor(private readonly db: Db) {}

  /** Inserts a command; a used idempotency key or a command already in flight refuses it. */
  async insert(values: NewCommand): Promise<InsertOutcome> {
    try {
      const [row] = await this.db
        .insert(deviceCommands)
        .values(values)
        .onConflictDoNothing({
          target: [deviceCommands.userId, deviceCommands.idempotencyKey],
          where: sql`idempotency_key is not null`,
        })
        .returning();
      return row ? { row } : { conflict: 'idempotency' };
    } catch (err) {
      if (isUniqueViolation(err, 'device_commands_one_in_flight')) return { conflict: 'busy' };
      throw err;
    }
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
    const [row] = await this.db
      .update(deviceCommands)
      .set({
        completedAt: at,
        ...(sentAt ? { sentAt } : {}),
        ...(readback ? { readback: readback.state, readbackError: readback.error } : {}),
      })
      .where(and(eq(deviceCommands.id, id), isNull(deviceCommands.completedAt)))
      .returning();
    return row;
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
    const rows = await this.db
      .update(deviceCommands)
      .set({
        status: sql`case when ${deviceCommands.status} in ('pending', 'sent') then 'timed_out' else ${deviceCommands.status} end`,
        completedAt: at,
        readbackError: sql`case when ${deviceCommands.method} = 'bms.command' and ${deviceCommands.status} = 'succeeded' and ${deviceCommands.readback} is null then coalesce(${deviceCommands.readbackError}, '回读未完成') else ${deviceCommands.readbackError} end`,
      })
      .where(and(isNull(deviceCommands.completedAt), lt(deviceCommands.answerBy, before)))
      .returning({ id: deviceCommands.id });
    return rows.map((r) => r.id);
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
