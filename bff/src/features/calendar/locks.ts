import { sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

// Advisory-lock namespaces (first key of the two-key form); any constants, the same in every instance.
const ORG_NS = 7_302_501;
const METER_NS = 7_302_502;

/**
 * Ingest holds its organization's calendar lock shared; a calendar change (which rebuilds rollups)
 * holds it exclusively, so no batch writes day/month rollups under a calendar being replaced.
 */
export async function lockOrgCalendar(tx: Tx, orgId: number, mode: 'shared' | 'exclusive'): Promise<void> {
  if (mode === 'shared') await tx.execute(sql`select pg_advisory_xact_lock_shared(${ORG_NS}, ${orgId})`);
  else await tx.execute(sql`select pg_advisory_xact_lock(${ORG_NS}, ${orgId})`);
}

/** Serializes writers of the same meters' readings (ingest, replacement); ids are locked in order. */
export async function lockMeters(tx: Tx, meterIds: number[]): Promise<void> {
  const ids = [...new Set(meterIds)].sort((a, b) => a - b);
  if (!ids.length) return;
  await tx.execute(
    sql`select pg_advisory_xact_lock(${METER_NS}, id) from unnest(${`{${ids.join(',')}}`}::int[]) as id order by id`,
  );
}
