import { sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import type { Events } from '../../platform/contract';
import { rowsOf } from '../readings/repository';

export type DemoImportState = 'site' | 'readings' | 'done' | 'failed';

/** A demo organization's import as stored. Times are epoch ms. */
export interface DemoImport {
  orgId: number;
  state: DemoImportState;
  startDate: string;
  days: number;
  timeZone: string;
  meterIds: Record<string, number>;
  total: number;
  done: number;
  error: string | null;
  startedAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

const ms = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).getTime());

/** SQL of `demo_imports` (migration 0121). */
export class DemoImportRepository {
  /** With `events`, finishing an import emits `demo.import.finished` in the same transaction. */
  constructor(
    private readonly db: Db,
    private readonly events?: Events,
  ) {}

  async get(orgId: number): Promise<DemoImport | undefined> {
    const [r] = await rowsOf<Record<string, unknown>>(
      this.db,
      sql`select * from demo_imports where org_id = ${orgId}`,
    );
    return r && toImport(r);
  }

  /** Imports not finished (state site or readings), oldest first. */
  async unfinished(): Promise<DemoImport[]> {
    const rows = await rowsOf<Record<string, unknown>>(
      this.db,
      sql`select * from demo_imports where state in ('site', 'readings') order by started_at`,
    );
    return rows.map(toImport);
  }

  async create(
    i: Pick<DemoImport, 'orgId' | 'startDate' | 'days' | 'timeZone' | 'total'>,
    now: Date,
  ): Promise<void> {
    await this.db.execute(sql`
      insert into demo_imports (org_id, state, start_date, days, time_zone, total, started_at, updated_at)
      values (${i.orgId}, 'site', ${i.startDate}, ${i.days}, ${i.timeZone}, ${i.total}, ${now.toISOString()}, ${now.toISOString()})`);
  }

  /** The site exists: its meter ids, and the readings import begins. */
  async siteCreated(orgId: number, meterIds: Record<string, number>, now: Date): Promise<void> {
    await this.db.execute(sql`
      update demo_imports set state = 'readings', meter_ids = ${JSON.stringify(meterIds)}::jsonb,
        updated_at = ${now.toISOString()} where org_id = ${orgId}`);
  }

  async progress(orgId: number, done: number, now: Date): Promise<void> {
    await this.db.execute(sql`
      update demo_imports set done = ${done}, updated_at = ${now.toISOString()} where org_id = ${orgId}`);
  }

  async finish(orgId: number, state: 'done' | 'failed', error: string | null, now: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.execute(sql`
        update demo_imports set state = ${state}, error = ${error}, updated_at = ${now.toISOString()},
          finished_at = ${now.toISOString()}, done = case when ${state} = 'done' then total else done end
        where org_id = ${orgId}`);
      await this.events?.emit(tx, 'demo.import.finished', orgId, { state });
    });
  }
}

function toImport(r: Record<string, unknown>): DemoImport {
  return {
    orgId: Number(r.org_id),
    state: r.state as DemoImportState,
    startDate: String(r.start_date),
    days: Number(r.days),
    timeZone: String(r.time_zone),
    meterIds: (r.meter_ids ?? {}) as Record<string, number>,
    total: Number(r.total),
    done: Number(r.done),
    error: (r.error as string | null) ?? null,
    startedAt: ms(r.started_at)!,
    updatedAt: ms(r.updated_at)!,
    finishedAt: ms(r.finished_at),
  };
}
