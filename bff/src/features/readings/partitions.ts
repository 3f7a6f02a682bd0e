import { sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';

const PARTITION_LOCK = 7_302_503;

/** Start of the UTC month holding `t` (epoch ms). */
export const monthOf = (t: number): number => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};

/**
 * Creates the monthly partitions of `readings` that hold the given instants, once per process per
 * month (a set remembers those known to exist). Runs outside the ingest transaction, so its DDL lock
 * is brief, and under an advisory lock, so two instances never race to create the same partition.
 */
export class ReadingPartitions {
  private readonly known = new Set<number>();
  constructor(private readonly db: Db) {}

  async ensure(instants: Iterable<number>): Promise<void> {
    const missing = new Set<number>();
    for (const t of instants) {
      const m = monthOf(t);
      if (!this.known.has(m)) missing.add(m);
    }
    if (!missing.size) return;
    await this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${PARTITION_LOCK})`);
      for (const m of missing) {
        const d = new Date(m);
        const y = d.getUTCFullYear();
        const mo = d.getUTCMonth() + 1;
        const next = new Date(Date.UTC(y, mo, 1));
        // The name and bounds come from integers computed here, never from user text.
        const name = `readings_p${y}${String(mo).padStart(2, '0')}`;
        await tx.execute(
          sql.raw(
            `create table if not exists ${name} partition of readings for values from ('${d.toISOString()}') to ('${next.toISOString()}')`,
          ),
        );
      }
    });
    for (const m of missing) this.known.add(m);
  }
}
