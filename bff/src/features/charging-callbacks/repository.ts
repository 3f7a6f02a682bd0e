import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import type { Tx } from '../../platform/contract';
import {
  chargingCallbackAttempts,
  chargingCallbackCalls,
  chargingCallbackUrls,
  type CallbackCallRow,
} from './tables';

export interface NewCall {
  orgId: number;
  operatorPk: number;
  operatorId: string;
  kind: string;
  callKey: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export interface NewAttempt {
  callId: number;
  orgId: number;
  operatorPk: number;
  at: Date;
  url: string;
  httpStatus: number | null;
  result: string;
  answer: string;
}

/** SQL of callback addresses, calls and attempts. */
export class CallbackRepository {
  constructor(private readonly db: Db) {}

  async saveUrl(operatorPk: number, orgId: number, kind: string, url: string, at: Date): Promise<void> {
    await this.db
      .insert(chargingCallbackUrls)
      .values({ operatorPk, orgId, kind, url, updatedAt: at })
      .onConflictDoUpdate({
        target: [chargingCallbackUrls.operatorPk, chargingCallbackUrls.kind],
        set: { url, updatedAt: at },
      });
  }

  /** Removes an address; false when none was set. */
  async removeUrl(operatorPk: number, kind: string): Promise<boolean> {
    const rows = await this.db
      .delete(chargingCallbackUrls)
      .where(and(eq(chargingCallbackUrls.operatorPk, operatorPk), eq(chargingCallbackUrls.kind, kind)))
      .returning({ kind: chargingCallbackUrls.kind });
    return rows.length > 0;
  }

  async url(operatorPk: number, kind: string): Promise<string | null> {
    const [row] = await this.db
      .select({ url: chargingCallbackUrls.url })
      .from(chargingCallbackUrls)
      .where(and(eq(chargingCallbackUrls.operatorPk, operatorPk), eq(chargingCallbackUrls.kind, kind)));
    return row?.url ?? null;
  }

  async urls(operatorPk: number) {
    return this.db
      .select({
        kind: chargingCallbackUrls.kind,
        url: chargingCallbackUrls.url,
        updatedAt: chargingCallbackUrls.updatedAt,
      })
      .from(chargingCallbackUrls)
      .where(eq(chargingCallbackUrls.operatorPk, operatorPk))
      .orderBy(chargingCallbackUrls.kind);
  }

  /** Inserts a call once per (operator, kind, key); null when it already exists. */
  async insertCall(tx: Tx, call: NewCall): Promise<number | null> {
    const [row] = await tx
      .insert(chargingCallbackCalls)
      .values(call)
      .onConflictDoNothing({
        target: [chargingCallbackCalls.operatorPk, chargingCallbackCalls.kind, chargingCallbackCalls.callKey],
      })
      .returning({ id: chargingCallbackCalls.id });
    return row?.id ?? null;
  }

  async findCall(id: number): Promise<CallbackCallRow | undefined> {
    const [row] = await this.db.select().from(chargingCallbackCalls).where(eq(chargingCallbackCalls.id, id));
    return row;
  }

  /** Logs an attempt and counts it on the call, in one transaction; `finish` ends the call too. */
  async logAttempt(a: NewAttempt, finish?: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const [call] = await tx
        .update(chargingCallbackCalls)
        .set({
          attempts: sql`${chargingCallbackCalls.attempts} + 1`,
          ...(finish ? { status: finish, doneAt: a.at } : {}),
        })
        .where(eq(chargingCallbackCalls.id, a.callId))
        .returning({ attempts: chargingCallbackCalls.attempts });
      const attemptNo = call?.attempts ?? 1;
      await tx.insert(chargingCallbackAttempts).values({ ...a, attemptNo });
      return attemptNo;
    });
  }

  async finishCall(id: number, status: string, at: Date): Promise<void> {
    await this.db
      .update(chargingCallbackCalls)
      .set({ status, doneAt: at })
      .where(eq(chargingCallbackCalls.id, id));
  }

  /** Attempts, newest first, of one operator or of an organization's operators. */
  async attempts(
    scope: { orgId: number; operatorPk?: number },
    kind: string | undefined,
    limit: number,
    offset: number,
  ) {
    const where = and(
      eq(chargingCallbackAttempts.orgId, scope.orgId),
      scope.operatorPk === undefined ? undefined : eq(chargingCallbackAttempts.operatorPk, scope.operatorPk),
      kind ? eq(chargingCallbackCalls.kind, kind) : undefined,
    );
    const base = () =>
      this.db
        .select({
          callId: chargingCallbackAttempts.callId,
          operatorId: chargingCallbackCalls.operatorId,
          kind: chargingCallbackCalls.kind,
          attemptNo: chargingCallbackAttempts.attemptNo,
          at: chargingCallbackAttempts.at,
          url: chargingCallbackAttempts.url,
          httpStatus: chargingCallbackAttempts.httpStatus,
          result: chargingCallbackAttempts.result,
          answer: chargingCallbackAttempts.answer,
          callStatus: chargingCallbackCalls.status,
        })
        .from(chargingCallbackAttempts)
        .innerJoin(chargingCallbackCalls, eq(chargingCallbackCalls.id, chargingCallbackAttempts.callId));
    const [rows, [total]] = await Promise.all([
      base().where(where).orderBy(desc(chargingCallbackAttempts.id)).limit(limit).offset(offset),
      this.db
        .select({ n: count() })
        .from(chargingCallbackAttempts)
        .innerJoin(chargingCallbackCalls, eq(chargingCallbackCalls.id, chargingCallbackAttempts.callId))
        .where(where),
    ]);
    return { rows, total: total?.n ?? 0 };
  }
}
